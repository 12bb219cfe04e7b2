// How a person runs this CLI from the shell they typed in, so that every command we suggest can be
// pasted as it is: `storybook` when the `storybook` found first on PATH is this project's launcher,
// else `npx storybook` (the npm package named `storybook` is an unrelated tool, so a bare
// `storybook` may be missing or be that tool).
import {accessSync, constants, realpathSync, statSync} from 'node:fs'
import {delimiter, join} from 'node:path'

/** The two ways of running this CLI that we suggest. */
export type CommandPrefix = 'storybook' | 'npx storybook'

export interface InvocationInput {
  /** The PATH of the shell the user typed in. */
  path: string | undefined
  /** The launcher that is running now (bin/run.js, or a link to it). */
  launcher: string | undefined
  /** The real path of an executable file, or undefined when there is none at `file`. */
  resolveExecutable: (file: string) => string | undefined
  /** PATH's separator (`:`; `;` on Windows). */
  pathDelimiter?: string
  /**
   * Started by `npx storybook` (npm exec): the `storybook` on PATH is a link npx made for this run
   * only, not one the user's shell has, so `npx storybook` is what works there.
   */
  viaNpx?: boolean
}

/** Decides the prefix: `storybook` only when the shell would run this very launcher for it. */
export function commandPrefix(input: InvocationInput): CommandPrefix {
  const launcher = input.launcher === undefined ? undefined : input.resolveExecutable(input.launcher)
  if (launcher === undefined || input.viaNpx) return 'npx storybook'
  // The shell runs the first `storybook` on PATH; a later one (ours) would never be reached. On
  // Windows npm links a storybook.cmd shim, which is not our file: npx storybook is said there.
  for (const directory of (input.path ?? '').split(input.pathDelimiter ?? delimiter)) {
    if (directory === '') continue
    const found = input.resolveExecutable(join(directory, 'storybook'))
    if (found !== undefined) return found === launcher ? 'storybook' : 'npx storybook'
  }
  return 'npx storybook'
}

/** The real path of an executable regular file, or undefined. */
export function resolveExecutable(file: string): string | undefined {
  try {
    const real = realpathSync(file)
    if (!statSync(real).isFile()) return undefined
    accessSync(real, constants.X_OK)
    return real
  } catch {
    return undefined
  }
}

// Decided once per process: PATH and the running launcher do not change while a command runs, and
// a run may format several commands (every next step of an error, every hint).
let decided: CommandPrefix | undefined

/**
 * The prefix for this process, from its PATH and its launcher (process.argv[1]). PATH is read here,
 * not from the loaded configuration: it is the shell's, and errors are formatted before (or without)
 * any configuration.
 */
export function currentCommandPrefix(): CommandPrefix {
  decided ??= commandPrefix({
    path: process.env.PATH,
    launcher: process.argv[1],
    resolveExecutable,
    viaNpx: process.env.npm_command === 'exec',
  })
  return decided
}

// `storybook` where a shell would take it as the command: at the start, after variable
// assignments (`STORYBOOK_ENV_FILE=x storybook …`) and after `&&`, `||`, `;` or `|`.
const ASSIGNMENT = String.raw`[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|[^\s'"])*\s+`
const SEPARATOR = String.raw`^|&&\s*|\|\|\s*|;\s*|\|\s*`
const COMMAND_POSITION = new RegExp(String.raw`(${SEPARATOR})((?:${ASSIGNMENT})*)storybook(?=\s|$)`, 'gm')

/**
 * A suggested command line, written the way this shell runs storybook:
 * `formatCommand('storybook status')` is `npx storybook status` unless `storybook` on PATH is
 * this project's. Lines that do not run storybook are returned as they are.
 */
export function formatCommand(line: string, prefix: CommandPrefix = currentCommandPrefix()): string {
  if (prefix === 'storybook') return line
  return line.replace(COMMAND_POSITION, (_match, separator: string, assignments: string) => {
    return `${separator}${assignments}${prefix}`
  })
}
