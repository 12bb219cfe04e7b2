// The supervisor core, the same in the background (a detached process of ours) and in unified
// mode (in the CLI's process): it owns one child, writes its output to a rotating log, restarts
// it after a crash with exponential backoff, gives up after K crashes in a window, and stops it
// gracefully (SIGTERM, then SIGKILL after the timeout).
import {spawn as nodeSpawn, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {EventEmitter} from 'node:events'
import {RotatingLog} from './rotating-log.js'

export interface SupervisedCommand {
  file: string
  args: string[]
  env: NodeJS.ProcessEnv
  cwd: string
}

export interface SupervisorOptions {
  service: string
  command: SupervisedCommand
  logFile: string
  maxLogBytes?: number
  keepLogs?: number
  /** Crashes allowed within `crashWindowMs` before giving up. */
  maxCrashes?: number
  crashWindowMs?: number
  backoffMs?: number
  maxBackoffMs?: number
  stopTimeoutMs?: number
  /** Each output line, for unified mode's prefixed terminal output. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
  spawn?: (file: string, args: string[], options: SpawnOptions) => ChildProcess
  clock?: () => number
}

export interface ExitInfo {
  code: number | null
  signal: string | null
  at: string
}

export type SupervisorEvent =
  | {type: 'started'; pid: number; restarts: number}
  | {type: 'exited'; exit: ExitInfo; willRestart: boolean; restartInMs: number}
  | {type: 'crashed'; exit: ExitInfo; reason: string}
  | {type: 'stopped'}

export class Supervisor extends EventEmitter<{event: [SupervisorEvent]}> {
  private child: ChildProcess | undefined
  private stopping = false
  private crashes: number[] = []
  private restartTimer: NodeJS.Timeout | undefined
  private readonly log: RotatingLog
  restarts = 0
  lastExit: ExitInfo | null = null

  constructor(private readonly options: SupervisorOptions) {
    super()
    this.log = new RotatingLog(options.logFile, options.maxLogBytes, options.keepLogs)
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  start(): void {
    const {command} = this.options
    const spawn = this.options.spawn ?? nodeSpawn
    // Its own process group, so that stopping it reaches whatever it started too.
    const child = spawn(command.file, command.args, {cwd: command.cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true})
    this.child = child
    this.pipe(child, 'stdout')
    this.pipe(child, 'stderr')
    child.once('spawn', () => this.emit('event', {type: 'started', pid: child.pid as number, restarts: this.restarts}))
    child.once('error', (error) => this.log.write(`[supervisor] cannot start: ${error.message}\n`))
    child.once('close', (code, signal) => this.onExit({code, signal, at: new Date((this.options.clock ?? Date.now)()).toISOString()}))
  }

  private pipe(child: ChildProcess, name: 'stdout' | 'stderr'): void {
    let partial = ''
    child[name]?.on('data', (chunk: Buffer) => {
      this.log.write(chunk)
      if (!this.options.onLine) return
      const lines = (partial + chunk.toString()).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) this.options.onLine(line, name)
    })
  }

  private onExit(exit: ExitInfo): void {
    this.lastExit = exit
    this.child = undefined
    if (this.stopping) {
      this.emit('event', {type: 'stopped'})
      return
    }
    const now = (this.options.clock ?? Date.now)()
    const window = this.options.crashWindowMs ?? 60_000
    this.crashes = [...this.crashes.filter((at) => now - at < window), now]
    const maxCrashes = this.options.maxCrashes ?? 5
    this.log.write(`[supervisor] ${this.options.service} exited (code ${exit.code}, signal ${exit.signal})\n`)
    if (this.crashes.length >= maxCrashes) {
      const reason = `crashed ${this.crashes.length} times within ${Math.round(window / 1000)} s; last exit code ${exit.code ?? exit.signal}`
      this.log.write(`[supervisor] giving up: ${reason}\n`)
      this.emit('event', {type: 'crashed', exit, reason})
      return
    }
    const delay = Math.min((this.options.backoffMs ?? 500) * 2 ** (this.crashes.length - 1), this.options.maxBackoffMs ?? 10_000)
    this.emit('event', {type: 'exited', exit, willRestart: true, restartInMs: delay})
    this.restartTimer = setTimeout(() => {
      this.restarts++
      this.start()
    }, delay)
  }

  /** Stops the child gracefully: SIGTERM, then SIGKILL after the timeout. */
  stop(): Promise<void> {
    this.stopping = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    const child = this.child
    if (!child || child.exitCode !== null) {
      this.log.close()
      return Promise.resolve()
    }
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), signal)
      } catch {
        child.kill(signal) // the group is gone: the child alone, if still there
      }
    }
    return new Promise((resolve) => {
      const killer = setTimeout(() => signalGroup('SIGKILL'), this.options.stopTimeoutMs ?? 10_000)
      child.once('close', () => {
        clearTimeout(killer)
        this.log.close()
        resolve()
      })
      signalGroup('SIGTERM')
    })
  }
}
