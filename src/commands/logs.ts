import {Args, Flags} from '@oclif/core'
import {watch} from 'node:fs'
import {open, stat} from 'node:fs/promises'
import {BaseCommand} from '../core/cli/base-command.js'
import {NotFoundError} from '../core/errors.js'

/** pino's numeric levels. */
const LEVELS: Record<string, number> = {trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60}

function levelOf(line: string): number {
  const match = /^\{"level":(\d+)/.exec(line)
  return match ? Number(match[1]) : LEVELS.info as number
}

export default class Logs extends BaseCommand<typeof Logs> {
  static override summary = "Show a service's log: the last lines, or follow it"
  static override description = 'Reads <state dir>/log/<service>.log (and the newest rotated file when more lines are asked for).'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %> api', description: 'The last 50 lines'},
    {command: '<%= config.bin %> <%= command.id %> api -f', description: 'Follow new lines until Ctrl-C'},
    {command: '<%= config.bin %> <%= command.id %> api -n 200 --grep login', description: 'The last 200 lines that mention login'},
    {command: '<%= config.bin %> <%= command.id %> api --level warn', description: 'Warnings and errors only'},
  ]

  static override args = {service: Args.string({description: 'The service', default: 'api'})}
  static override flags = {
    lines: Flags.integer({char: 'n', description: 'How many lines', default: 50, min: 1}),
    follow: Flags.boolean({char: 'f', description: 'Keep printing new lines'}),
    grep: Flags.string({description: 'Only lines containing this text (case-insensitive)'}),
    level: Flags.string({description: 'Only JSON log lines at this level or above (other lines count as info)', options: Object.keys(LEVELS)}),
  }

  public async run(): Promise<void> {
    const {lastLogLines, logExists, logFileOf, selectServices} = await import('../services/services.js')
    const config = await this.loadConfig()
    const [service] = selectServices([this.args.service])
    const name = service?.name as string
    if (!(await logExists(config, name))) {
      throw new NotFoundError(`${name} has no log yet (${logFileOf(config, name)}).`, {next: [`storybook start ${name}`]})
    }
    const needle = this.flags.grep?.toLowerCase()
    const minimum = this.flags.level ? LEVELS[this.flags.level] : undefined
    const matches = (line: string) => (!needle || line.toLowerCase().includes(needle)) && (minimum === undefined || levelOf(line) >= minimum)
    // With --grep, look further back so that -n counts matching lines.
    const lines = (await lastLogLines(config, name, needle || minimum ? this.flags.lines * 50 : this.flags.lines)).filter(matches).slice(-this.flags.lines)
    for (const line of lines) this.print(line)
    if (!this.flags.follow) return
    const file = logFileOf(config, name)
    let position = (await stat(file)).size
    let partial = ''
    const emit = (text: string) => {
      const parts = (partial + text).split('\n')
      partial = parts.pop() ?? ''
      for (const line of parts) if (matches(line)) this.print(line)
    }
    const readRange = async (path: string, from: number): Promise<number> => {
      const handle = await open(path, 'r')
      try {
        const {size} = await handle.stat()
        if (size > from) {
          const buffer = Buffer.alloc(size - from)
          await handle.read(buffer, 0, buffer.length, from)
          emit(buffer.toString())
        }
        return size
      } finally {
        await handle.close()
      }
    }
    const readNew = async () => {
      const {size} = await stat(file)
      if (size < position) {
        // Rotated: finish the old file (now <log>.1) from where we were, then the new one from its start.
        await readRange(`${file}.1`, position).catch(() => 0)
        position = 0
      }
      position = await readRange(file, position)
    }
    // watch and the poll both ask for a read; reads run one after another, never together.
    let reading = Promise.resolve()
    const scheduleRead = () => {
      reading = reading.then(readNew).catch(() => {})
    }
    await new Promise<void>((resolve) => {
      const watcher = watch(config.state.log, scheduleRead)
      const poll = setInterval(scheduleRead, 500) // watch can miss events on some file systems
      const stop = () => {
        watcher.close()
        clearInterval(poll)
        resolve()
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  }
}
