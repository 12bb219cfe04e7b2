// How to talk to the terminal: colour, interactivity and debug output, decided once from the
// environment and the streams (NO_COLOR, FORCE_COLOR, --no-color, TTY detection).
import type {Environment} from './load.js'

export interface TerminalSettings {
  /** Colour and other ANSI styling on stdout and stderr. */
  color: boolean
  /** Prompts and spinners are allowed: stdin and stderr are terminals and not in CI. */
  interactive: boolean
  /** Stack traces and debug logs: --verbose or DEBUG. */
  debug: boolean
}

export interface TerminalInput {
  env: Environment
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
  stdinIsTTY: boolean
  /** `--color` / `--no-color`; undefined when not given. */
  colorFlag?: boolean | undefined
  verbose?: boolean
}

export function terminalSettings(input: TerminalInput): TerminalSettings {
  const {env} = input
  const ci = isSet(env.CI) && env.CI !== 'false'
  return {
    color: decideColor(input),
    interactive: input.stdinIsTTY && input.stderrIsTTY && !ci && env.TERM !== 'dumb',
    debug: Boolean(input.verbose) || (isSet(env.DEBUG) && env.DEBUG !== '0' && env.DEBUG !== 'false'),
  }
}

function decideColor({env, colorFlag, stdoutIsTTY, stderrIsTTY}: TerminalInput): boolean {
  // An explicit flag wins over the environment (https://no-color.org allows that).
  if (colorFlag !== undefined) return colorFlag
  if (isSet(env.NO_COLOR)) return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  return stdoutIsTTY && stderrIsTTY && env.TERM !== 'dumb'
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== ''
}
