// The base of every storybook command: shared flags, one configuration load, terminal
// settings, and one place that renders errors as text or as a JSON error document.
import {Chalk, type ChalkInstance} from 'chalk'
import {Command, Flags, type Interfaces} from '@oclif/core'
import {loadEnvironment, toAppConfig, type AppConfig, type EnvironmentReport} from '../config/load.js'
import {terminalSettings, type TerminalSettings} from '../config/terminal.js'
import {toErrorDocument, UsageError, StorybookError, toStorybookError, ERROR_CODES, mapNextSteps} from '../errors.js'
import type {LogLevel} from '../config/schema.js'
import {createLogger, type Logger} from '../logger.js'
import {renderError} from '../output/render-error.js'
import {suggestFlagValue, unknownFlagsError, type FlagSpec} from './command-not-found.js'
import {formatCommand} from './invocation.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    'env-file': Flags.string({
      // Node 20 itself checks that a --env-file argument exists, even after the script name,
      // so a new file is named with STORYBOOK_ENV_FILE instead.
      description:
        'The .env file to read and write (default: <project root>/.env). It must exist; name a new one with STORYBOOK_ENV_FILE',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({description: 'Show details and stack traces', helpGroup: 'GLOBAL'}),
    color: Flags.boolean({
      allowNo: true,
      description: 'Force colour on or off (default: on for a terminal; NO_COLOR is honoured)',
      helpGroup: 'GLOBAL',
    }),
  }

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  /** Every positional argument (for commands that take a list, such as service names). */
  protected positional: string[] = []
  protected terminal!: TerminalSettings
  /** Colours that respect the terminal settings (no ANSI when colour is off). */
  protected style!: ChalkInstance
  private environment: Promise<EnvironmentReport> | undefined
  private commandLogger: Promise<Logger> | undefined

  public override async init(): Promise<void> {
    await super.init()
    // Settings before parsing, so that a parse error is rendered with the right colour and detail.
    this.applyTerminal(this.argv.includes('--no-color') ? false : undefined, this.argv.includes('--verbose'))
    const {args, flags, argv} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    this.positional = argv as string[]
    this.applyTerminal(this.flags.color, this.flags.verbose)
  }

  private applyTerminal(colorFlag: boolean | undefined, verbose: boolean): void {
    this.terminal = terminalSettings({
      env: process.env,
      stdoutIsTTY: Boolean(process.stdout.isTTY),
      stderrIsTTY: Boolean(process.stderr.isTTY),
      stdinIsTTY: Boolean(process.stdin.isTTY),
      colorFlag,
      verbose,
    })
    this.style = new Chalk({level: this.terminal.color ? 1 : 0})
  }

  /** The environment report (every variable, its source and validity), loaded once. */
  protected loadEnvironment(options: {allowMissingEnvFile?: boolean} = {}): Promise<EnvironmentReport> {
    this.environment ??= loadEnvironment({
      env: process.env,
      cwd: process.cwd(),
      envFile: this.flags['env-file'],
      ...options,
    })
    return this.environment
  }

  /** Forgets the loaded environment, after a command changed the .env file it came from. */
  protected resetEnvironment(): void {
    this.environment = undefined
  }

  /** The validated configuration; throws CONFIG_INVALID listing every problem. */
  protected async loadConfig(): Promise<AppConfig> {
    return toAppConfig(await this.loadEnvironment())
  }

  /**
   * The command's logger, on stderr (readable on a terminal, JSON lines otherwise), at LOG_LEVEL,
   * or debug with --verbose. Created on first use: pino is not loaded by commands that never log.
   */
  protected async logger(): Promise<Logger> {
    if (!this.commandLogger) {
      const report = await this.loadEnvironment()
      const configured = report.variables.find((variable) => variable.spec.key === 'LOG_LEVEL')
      const level = this.terminal.debug ? 'debug' : configured?.valid ? (configured.parsed as LogLevel) : 'info'
      this.commandLogger = createLogger({
        name: `storybook ${(this.id ?? '').replaceAll(':', ' ')}`.trim(),
        level,
        target: process.stderr.isTTY ? {kind: 'pretty', fd: 2, color: this.terminal.color} : {kind: 'json', fd: 2},
      })
    }
    return this.commandLogger
  }

  /** Human output on stdout; suppressed under --json so stdout holds only the JSON document. */
  protected print(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  /** Progress and notes on stderr, never on stdout. */
  protected note(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  /** Exactly one plain JSON document on stdout: no colour, whatever the terminal. */
  public override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  public override async catch(thrown: Error & {oclif?: {exit?: number}; code?: string}): Promise<void> {
    const error = fromOclifError(thrown, `storybook ${(this.id ?? '').replaceAll(':', ' ')} --help`)
    process.exitCode = error.exitCode
    this.terminal ??= terminalSettings({env: process.env, stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false})
    this.style ??= new Chalk({level: 0})
    if (this.jsonEnabled()) {
      this.logJson(toErrorDocument(error))
      if (this.terminal.debug && error.stack) this.note(error.stack)
      return
    }
    this.note(renderError(error, {style: this.style, debug: this.terminal.debug}))
  }
}

/**
 * oclif's own parse and exit errors become USAGE errors with the exit code they meant (an unknown
 * flag or value with the closest known one), and every next step is written the way this shell
 * runs storybook: the one place that text and JSON error output both pass through.
 */
function fromOclifError(
  thrown: Error & {oclif?: {exit?: number}; code?: string; flags?: unknown; parse?: {input?: {flags?: unknown}}},
  helpCommand: string,
): StorybookError {
  const exit = thrown.oclif?.exit
  const exitCode = (Object.keys(ERROR_CODES) as Array<keyof typeof ERROR_CODES>).find(
    (key) => ERROR_CODES[key].exitCode === exit,
  )
  let error: StorybookError
  if (thrown instanceof StorybookError) error = thrown
  else if (thrown.name === 'ExitPromptError' || thrown.name === 'AbortPromptError') {
    error = new StorybookError('INTERRUPTED', 'Cancelled; nothing was changed.')
  } else if (Array.isArray(thrown.flags) && typeof thrown.parse?.input?.flags === 'object') {
    // oclif's NonExistentFlagsError: the flags typed, and the command's own (with --json and the global ones).
    const own = thrown.parse.input.flags as Record<string, FlagSpec>
    error = unknownFlagsError(thrown.flags as string[], own, helpCommand)
  } else if ('parse' in thrown || exit === 2) {
    // oclif's parse errors (missing argument, bad value, flag relations) carry `parse` and exit 2.
    error = new UsageError(suggestFlagValue(cleanOclifMessage(thrown.message)), {next: [helpCommand], cause: thrown})
  } else if (typeof exit === 'number' && exit !== 1 && exitCode) {
    // this.exit(n) and friends: keep the code, report it as the closest stable one.
    error = new StorybookError(exitCode, cleanOclifMessage(thrown.message))
  } else error = toStorybookError(thrown)
  return mapNextSteps(error, (step) => formatCommand(step))
}

function cleanOclifMessage(message: string): string {
  // oclif appends "See more help with --help" (our errors say what to type next instead), prefixes
  // flag-relation errors with a line that says nothing, and lays out a bad flag value as
  // "Parsing --steps \n\tExpected an integer…" (a trailing space, a tab), which reads badly in a
  // terminal and in JSON. Lines after the first are indented by two spaces, as the rest of ours.
  const [first = '', ...rest] = message
    .replace(/\n?\s*See more help with --help\s*$/, '')
    .replace(/^The following errors? occurred:\s*/, '')
    .replace(/^Parsing (--?[\w-]+)\s*\n\s*/, 'Invalid value for $1: ')
    .replace(/^(Invalid value for \S+: )([A-Z])(?=[a-z])/, (_match, head: string, letter: string) => {
      return `${head}${letter.toLowerCase()}`
    })
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  return [first, ...rest.map((line) => `  ${line}`)].join('\n')
}
