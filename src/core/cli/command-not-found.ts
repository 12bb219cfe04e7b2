// Answers to what storybook does not know, in one style: an unknown command (the
// command_not_found hook) and an unknown flag or flag value (from the commands' error handling)
// become StorybookErrors with a "Did you mean" and a next step, rendered like every other error
// (one JSON error document under --json). A guess is only ever suggested, never run.
import {Chalk} from 'chalk'
import {Help, toConfiguredId, type Hook, type Interfaces} from '@oclif/core'
import {terminalSettings} from '../config/terminal.js'
import {mapNextSteps, StorybookError, toErrorDocument, UsageError} from '../errors.js'
import {renderError} from '../output/render-error.js'
import {closestMatch} from '../text/closest.js'
import {currentCommandPrefix, formatCommand, type CommandPrefix} from './invocation.js'

export interface KnownCommands {
  /** Every visible command and alias, as typed (`db reset`). */
  commands: readonly string[]
  /** Every topic, as typed (`db`). */
  topics: readonly string[]
}

/** `typed` (as typed: `db rest`) is not a command: name the closest one, and say what to type. */
export function unknownCommandError(typed: string, known: KnownCommands): StorybookError {
  // A topic is a fine answer too: `storybook evn` → `env`, whose help lists its commands.
  const suggestion = closestMatch(typed, [...known.commands, ...known.topics])
  const topic = known.topics.find((name) => typed.startsWith(`${name} `))
  const help = suggestion ? `storybook ${suggestion} --help` : `storybook ${topic ? `${topic} ` : ''}--help`
  return new StorybookError(
    'UNKNOWN_COMMAND',
    `"${typed}" is not a storybook command.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
    {
      // Only ever a suggestion, never run for the user: a guess at `db rest --yes` is `db reset --yes`.
      next: [help],
      details: {command: typed, ...(suggestion ? {suggestion} : {})},
    },
  )
}

/** A flag as oclif describes it; only what a suggestion needs. */
export interface FlagSpec {
  char?: string | undefined
  allowNo?: boolean | undefined
  hidden?: boolean | undefined
}

/** The closest known flag to each unknown long flag (`--jsn` → `--json`); short ones are too short to guess. */
export function suggestFlags(unknown: readonly string[], flags: Record<string, FlagSpec>): Record<string, string> {
  const names = Object.entries(flags)
    .filter(([, spec]) => !spec.hidden)
    .flatMap(([name, spec]) => [`--${name}`, ...(spec.allowNo ? [`--no-${name}`] : [])])
  const suggestions: Record<string, string> = {}
  for (const flag of unknown) {
    if (!flag.startsWith('--')) continue
    const match = closestMatch(flag.split('=')[0] ?? flag, names)
    if (match) suggestions[flag] = match
  }
  return suggestions
}

/** One or more flags the command does not have, with the closest of its own for each. */
export function unknownFlagsError(
  unknown: readonly string[],
  flags: Record<string, FlagSpec>,
  helpCommand: string,
): UsageError {
  const suggestions = suggestFlags(unknown, flags)
  const guesses = Object.entries(suggestions).map(([typed, flag]) => {
    return unknown.length === 1 ? flag : `${flag} (for ${typed})`
  })
  const didYouMean = guesses.length > 0 ? ` Did you mean ${guesses.join(', ')}?` : ''
  return new UsageError(`Unknown flag${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}.${didYouMean}`, {
    next: [helpCommand],
    details: {flags: [...unknown], ...(guesses.length > 0 ? {suggestions} : {})},
  })
}

/** oclif's "Expected --level=wrn to be one of: …", with the closest allowed value. */
export function suggestFlagValue(message: string): string {
  const match = /^Expected (--[\w-]+)=(.*) to be one of: (.+)$/.exec(message)
  if (!match) return message
  const [, flag, value, allowed] = match as unknown as [string, string, string, string]
  const suggestion = closestMatch(value, allowed.split(', '))
  return suggestion ? `${message}. Did you mean ${flag}=${suggestion}?` : message
}

export interface UnknownCommandOutput {
  json: boolean
  color: boolean
  write: {stdout: (text: string) => void; stderr: (text: string) => void}
  exit: (code: number) => never
}

/** Prints the answer (an error document under --json, else our error text) and ends the run. */
export function answerUnknownCommand(error: StorybookError, output: UnknownCommandOutput): never {
  const written = mapNextSteps(error, (step) => formatCommand(step))
  const style = new Chalk({level: output.color ? 1 : 0})
  if (output.json) output.write.stdout(`${JSON.stringify(toErrorDocument(written), null, 2)}\n`)
  else output.write.stderr(`${renderError(written, {style, debug: false})}\n`)
  return output.exit(written.exitCode)
}

/** The commands and topics a person can type, from oclif's configuration. */
export function knownCommands(config: Interfaces.Config): KnownCommands {
  const visible = config.commands.filter((command) => !command.hidden)
  return {
    commands: [...visible.map((command) => command.id), ...visible.flatMap((command) => command.aliases)].map((id) =>
      toConfiguredId(id, config),
    ),
    topics: config.topics.map((topic) => toConfiguredId(topic.name, config)),
  }
}

/** Answers on this process's streams, with its colour settings, and exits. */
function answerOnThisTerminal(error: StorybookError, typed: ReadonlySet<string>): never {
  const terminal = terminalSettings({
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    colorFlag: typed.has('--no-color') ? false : typed.has('--color') ? true : undefined,
  })
  return answerUnknownCommand(error, {
    json: typed.has('--json'),
    color: terminal.color,
    write: {stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text)},
    exit: (code) => process.exit(code),
  })
}

export const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const {config} = options
  // Ending the process here, not throwing, is what keeps a guess from ever running: oclif runs
  // every plugin's command_not_found hook at once, and @oclif/plugin-not-found's asks "Did you
  // mean …? (Y/n)" on a terminal and then runs the guess with the flags typed (`db reset --yes`).
  // Ours is reached first (our bundle is loaded; the plugin's module is still being imported), and
  // its answer is written synchronously to a terminal, a file or a small pipe write.
  answerOnThisTerminal(
    unknownCommandError(toConfiguredId(options.id, config), knownCommands(config)),
    // Flags typed after the unknown command, wherever oclif put them.
    new Set([...(options.argv ?? []), ...process.argv.slice(2)]),
  )
}

/**
 * oclif's help (package.json oclif.helpClass), with commands written the way this shell runs
 * storybook (`$ npx storybook status --json` in usage lines and examples), and help asked for
 * something that is neither a command nor a topic (`storybook help staus`, `storybook staus
 * --help`) answered as an unknown command, with the closest one.
 */
export class StorybookHelp extends Help {
  constructor(config: Interfaces.Config, options?: Partial<Interfaces.HelpOptions>) {
    // oclif writes usage lines and examples (`<%= config.bin %> …`) with config.bin. Only this
    // help sees the prefix there: completion scripts and the rest keep the bin's own name.
    super(Object.create(config, {bin: {value: new.target.prefix()}}) as Interfaces.Config, options)
  }

  /** How this shell runs storybook; a seam for tests. */
  static prefix(): CommandPrefix {
    return currentCommandPrefix()
  }

  override async showHelp(argv: string[]): Promise<void> {
    try {
      await super.showHelp(argv)
    } catch (error) {
      // oclif's only answer for an unknown subject is this message.
      const subject = error instanceof Error ? /^Command (.+) not found\.$/.exec(error.message)?.[1] : undefined
      if (subject === undefined) throw error
      this.answerUnknown(unknownCommandError(toConfiguredId(subject, this.config), knownCommands(this.config)), argv)
    }
  }

  /** Prints the unknown-command answer and ends the run; a seam for tests. */
  protected answerUnknown(error: StorybookError, argv: string[]): void {
    answerOnThisTerminal(error, new Set([...argv, ...process.argv.slice(2)]))
  }
}
