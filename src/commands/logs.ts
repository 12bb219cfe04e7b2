import {Args, Flags} from '@oclif/core'
import {watch} from 'node:fs'
import {open, stat, type FileHandle} from 'node:fs/promises'
import {dirname} from 'node:path'
import {StringDecoder} from 'node:string_decoder'
import {BaseCommand} from '../core/cli/base-command.js'
import {toLenientConfig} from '../core/config/load.js'
import {NotFoundError, UsageError} from '../core/errors.js'
import {formatLogLine, LOG_LEVELS, logLevelOf, parseLogLine, type LogLevelName} from '../core/output/log-line.js'

/** A stored line in --json: the parsed JSON object, or the text of a line that is not one. */
export type LogsLine = Record<string, unknown> | {raw: string}

export interface LogsResult {
  service: string
  file: string
  lines: LogsLine[]
}

const LOGS = '<%= config.bin %> <%= command.id %>'

export default class Logs extends BaseCommand<typeof Logs> {
  static override summary = "Show a service's log: the last lines, or follow it"
  static override description =
    'Reads <state dir>/log/<service>.log, going back through rotated files when more lines are asked for. ' +
    'JSON log lines are shown as local time, level, message and their useful fields (method, URL, status and ' +
    'response time of a request; the error, with its stack under --verbose); other lines as they were written. ' +
    '--raw prints the stored lines exactly; --json prints one document with every line parsed.'

  static override examples = [
    {command: `${LOGS} api`, description: 'The last 50 lines, readable'},
    {command: `${LOGS} api -f`, description: 'Follow new lines, across rotations, until Ctrl-C'},
    {command: `${LOGS} api -n 200 --grep login`, description: 'The last 200 lines that mention login'},
    {command: `${LOGS} api --level warn`, description: 'Warnings and errors only'},
    {command: `${LOGS} api --level error --verbose`, description: 'Errors with their stacks'},
    {command: `${LOGS} api --raw | jq .msg`, description: 'The stored lines exactly (pino JSON)'},
    {
      command: `${LOGS} api --json`,
      description: 'One document: {"service","file","lines":[<parsed JSON line> or {"raw":"<other line>"}]}',
    },
  ]

  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'The service', default: 'api'})}
  static override flags = {
    lines: Flags.integer({char: 'n', description: 'How many lines', default: 50, min: 1}),
    follow: Flags.boolean({char: 'f', description: 'Keep printing new lines (not with --json: use --raw)'}),
    grep: Flags.string({description: 'Only lines whose stored text contains this (case-insensitive)'}),
    level: Flags.string({
      description: 'Only JSON log lines at this level or above (other lines count as info)',
      options: Object.keys(LOG_LEVELS),
    }),
    raw: Flags.boolean({description: 'Print the lines exactly as stored (pino JSON), without formatting'}),
  }

  public async run(): Promise<LogsResult> {
    const json = this.jsonEnabled()
    const service = this.args.service
    if (json && this.flags.follow) {
      throw new UsageError('--json prints one document, so it cannot follow a log.', {
        next: [`storybook logs ${service} -f --raw`, `storybook logs ${service} --json -n ${this.flags.lines}`],
      })
    }
    if (json && this.flags.raw) {
      throw new UsageError('--json and --raw are two different outputs; choose one.', {
        next: [`storybook logs ${service} --raw`, `storybook logs ${service} --json`],
      })
    }
    const {lastLogLines, logExists, logFileOf, selectServices} = await import('../services/services.js')
    // Only the state directory matters here: reading a log must work while the configuration is broken.
    const {config} = toLenientConfig(await this.loadEnvironment())
    const name = selectServices([service])[0]?.name as string
    const file = logFileOf(config, name)
    if (!(await logExists(config, name))) {
      throw new NotFoundError(`${name} has no log yet (${file}).`, {next: [`storybook start ${name}`]})
    }
    const matches = lineFilter(this.flags.grep, this.flags.level as LogLevelName | undefined)
    // With a filter, look further back so that -n counts matching lines.
    const filtered = Boolean(this.flags.grep || this.flags.level)
    const stored = await lastLogLines(config, name, filtered ? this.flags.lines * 50 : this.flags.lines)
    const lines = stored.filter(matches).slice(-this.flags.lines)
    const show = this.flags.raw
      ? (line: string) => line
      : (line: string) => formatLogLine(line, {style: this.style, verbose: this.terminal.debug})
    for (const line of lines) this.print(show(line))
    if (this.flags.follow) {
      await followLog(file, {
        onLine: (line) => {
          if (matches(line)) this.print(show(line))
        },
        onError: (error) => this.note(`Cannot read ${file}: ${error.message}; trying again.`),
        onResume: () => this.note(`Reading ${file} again.`),
      })
    }
    return {service: name, file, lines: lines.map((line) => parseLogLine(line) ?? {raw: line})}
  }
}

function lineFilter(grep: string | undefined, level: LogLevelName | undefined): (line: string) => boolean {
  const needle = grep?.toLowerCase()
  const minimum = level ? LOG_LEVELS[level] : undefined
  return (line) =>
    (!needle || line.toLowerCase().includes(needle)) && (minimum === undefined || logLevelOf(line) >= minimum)
}

interface FollowOptions {
  onLine: (line: string) => void
  /** A read failed (other than the file being briefly absent during a rotation); told once per message. */
  onError: (error: Error) => void
  /** Lines can be read again after an error. */
  onResume: () => void
  /** Stops following on SIGINT or SIGTERM. */
  signals?: NodeJS.EventEmitter
}

/**
 * Prints lines appended to `file` from its current end until a signal, like `tail -F`: the open
 * file is read to its end, and when the path names another file (the supervisor rotated it to
 * <log>.1) the old file is finished first and the new one read from its start. A file that
 * shrank in place (truncated) is read again from its start.
 */
async function followLog(file: string, options: FollowOptions): Promise<void> {
  const {onLine, signals = process} = options
  let handle: FileHandle | undefined
  let position = 0
  let decoder = new StringDecoder('utf8')
  let partial = ''
  const emit = (text: string) => {
    const parts = (partial + text).split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) if (line !== '') onLine(line)
  }
  const drain = async (from: FileHandle) => {
    const {size} = await from.stat()
    if (size < position) position = 0
    const buffer = Buffer.alloc(64 * 1024)
    while (position < size) {
      const {bytesRead} = await from.read(buffer, 0, Math.min(buffer.length, size - position), position)
      if (bytesRead === 0) break
      position += bytesRead
      emit(decoder.write(buffer.subarray(0, bytesRead)))
    }
  }
  // The file a failed read was on: opened again, the same file goes on from where it was.
  let failedFile: {ino: number; dev: number} | undefined
  const openCurrent = async (fromStart: boolean): Promise<FileHandle> => {
    const opened = await open(file, 'r')
    const opening = await opened.stat()
    const same = failedFile?.ino === opening.ino && failedFile.dev === opening.dev
    if (!same) decoder = new StringDecoder('utf8')
    if (!same || opening.size < position) position = fromStart ? 0 : opening.size
    failedFile = undefined
    handle = opened
    return opened
  }
  const readNew = async () => {
    const current = handle ?? (await openCurrent(true))
    const [atPath, mine] = await Promise.all([stat(file).catch(() => undefined), current.stat()])
    await drain(current)
    // The path is absent for a moment during a rotation: keep the old file until the new one exists.
    if (!atPath || (atPath.ino === mine.ino && atPath.dev === mine.dev)) return
    // Rotated: the old file is complete (the writer closes it before renaming), so its last
    // unterminated line is a line of its own.
    emit(`${decoder.end()}\n`)
    handle = undefined
    await current.close()
    await drain(await openCurrent(true))
  }
  await openCurrent(false)
  // watch and the poll both ask for a read; reads run one after another, never together.
  let reading = Promise.resolve()
  let lastError = ''
  const scheduleRead = () => {
    reading = reading
      .then(readNew)
      .then(() => {
        if (lastError === '') return
        lastError = ''
        options.onResume()
      })
      .catch(async (error: NodeJS.ErrnoException) => {
        // A handle that failed once may fail for good (the path became a directory, the disk went away):
        // drop it, so that the next poll opens the path again instead of going silent.
        const failed = handle
        handle = undefined
        failedFile = await failed?.stat().catch(() => undefined)
        await failed?.close().catch(() => {})
        if (error.code === 'ENOENT' || error.message === lastError) return
        lastError = error.message
        options.onError(error)
      })
  }
  await new Promise<void>((resolve) => {
    const watcher = watch(dirname(file), scheduleRead)
    watcher.on('error', () => {}) // the poll below still reads
    const poll = setInterval(scheduleRead, 500) // watch can miss events on some file systems
    const stop = () => {
      watcher.close()
      clearInterval(poll)
      signals.off('SIGINT', stop)
      signals.off('SIGTERM', stop)
      resolve()
    }
    signals.once('SIGINT', stop)
    signals.once('SIGTERM', stop)
  })
  await reading
  await handle?.close()
}
