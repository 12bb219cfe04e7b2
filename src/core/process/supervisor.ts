// The supervisor core, the same in the background (a detached process of ours) and in unified
// mode (in the CLI's process): it owns one child, writes its output to a rotating log, restarts
// it after a crash with exponential backoff, gives up after K crashes in a window, restarts a
// child that stops answering its health checks, and stops it gracefully (SIGTERM, then SIGKILL
// after the timeout).
import {spawn as nodeSpawn, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {EventEmitter} from 'node:events'
import {RotatingLog, type DroppedLines} from './rotating-log.js'

export interface SupervisedCommand {
  file: string
  args: string[]
  env: NodeJS.ProcessEnv
  cwd: string
}

/** Like a container HEALTHCHECK: every `intervalMs`, `retries` failures in a row restart the child. */
export interface HealthCheck {
  url: string
  intervalMs: number
  retries: number
  /** Failures while the child boots (until its first healthy answer, up to this long) do not count. */
  startPeriodMs: number
  timeoutMs?: number
  probe: (url: string, timeoutMs: number) => Promise<{ok: boolean}>
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
  healthCheck?: HealthCheck
  /** Each output line, for unified mode's prefixed terminal output. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
  onLogDropped?: (dropped: DroppedLines) => void
  spawn?: (file: string, args: string[], options: SpawnOptions) => ChildProcess
  kill?: (target: number, signal: NodeJS.Signals) => void
  clock?: () => number
}

export interface ExitInfo {
  code: number | null
  signal: string | null
  at: string
}

export type SupervisorEvent =
  | {type: 'started'; pid: number; restarts: number}
  | {type: 'exited'; exit: ExitInfo; willRestart: boolean; restartInMs: number; reason: string}
  | {type: 'crashed'; exit: ExitInfo; reason: string}
  | {type: 'unhealthy'; pid: number; failures: number}
  | {type: 'stopped'}

/** How long a stopped child's pipes may take to deliver its last output. */
const PIPE_DRAIN_MS = 1_000

/** How many of the child's last output lines are kept to explain a crash. */
const TAIL_LINES = 40

/**
 * The error a crashed service last wrote: a pino line at error level or above (its err's code and
 * message, or its msg), else the last line that looks like an error. Undefined when there is none.
 */
export function lastErrorLine(lines: readonly string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    if (line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as {level?: number; msg?: string; err?: {code?: string; message?: string}}
        if ((entry.level ?? 0) < 50) continue
        const error = entry.err?.message
          ? `${entry.err.code && !entry.err.message.includes(entry.err.code) ? `${entry.err.code}: ` : ''}${entry.err.message}`
          : undefined
        return [entry.msg, error].filter(Boolean).join(': ') || undefined
      } catch {
        // not JSON after all: judged as text below
      }
    }
    if (/\b([A-Z][A-Za-z]*)?Error\b|\bE[A-Z]{3,}\b|\bSQLITE_[A-Z_]+\b/.test(line) && !line.startsWith('    at '))
      return line.trim()
  }
  return undefined
}

export class Supervisor extends EventEmitter<{event: [SupervisorEvent]}> {
  private child: ChildProcess | undefined
  private stopping = false
  private crashes: number[] = []
  private restartTimer: NodeJS.Timeout | undefined
  private healthTimer: NodeJS.Timeout | undefined
  private readonly log: RotatingLog
  private tail: string[] = []
  /** The child being replaced by restart(): its exit is not a crash. */
  private replacing: ChildProcess | undefined
  restarts = 0
  lastExit: ExitInfo | null = null

  constructor(private readonly options: SupervisorOptions) {
    super()
    this.log = new RotatingLog(options.logFile, {
      maxBytes: options.maxLogBytes,
      keep: options.keepLogs,
      onDrop: options.onLogDropped,
      clock: options.clock,
    })
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  private now(): number {
    return (this.options.clock ?? Date.now)()
  }

  start(): void {
    const {command} = this.options
    const spawn = this.options.spawn ?? nodeSpawn
    // Its own session and process group, so that stopping it reaches whatever it started too.
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    this.child = child
    this.tail = []
    this.pipe(child, 'stdout')
    this.pipe(child, 'stderr')
    child.once('spawn', () => {
      this.emit('event', {type: 'started', pid: child.pid as number, restarts: this.restarts})
      this.watchHealth(child)
    })
    child.once('error', (error) => this.log.write(`[supervisor] cannot start: ${error.message}\n`))
    // 'exit', not 'close': a grandchild that inherited the pipes may keep them open for good.
    child.once('exit', (code, signal) => this.onExit(child, {code, signal, at: new Date(this.now()).toISOString()}))
  }

  private pipe(child: ChildProcess, name: 'stdout' | 'stderr'): void {
    let partial = ''
    child[name]?.on('data', (chunk: Buffer) => {
      this.log.write(chunk)
      const lines = (partial + chunk.toString()).split('\n')
      partial = lines.pop() ?? ''
      if (child === this.child) this.tail = [...this.tail, ...lines].slice(-TAIL_LINES)
      if (this.options.onLine) for (const line of lines) this.options.onLine(line, name)
    })
  }

  private watchHealth(child: ChildProcess): void {
    const check = this.options.healthCheck
    if (!check) return
    const spawnedAt = this.now()
    let healthy = false
    let failures = 0
    const tick = async () => {
      if (this.child !== child || this.stopping) return
      const answer = await check
        .probe(check.url, check.timeoutMs ?? Math.min(check.intervalMs, 5_000))
        .catch(() => ({ok: false}))
      if (this.child !== child || this.stopping) return
      if (answer.ok) {
        healthy = true
        failures = 0
      } else if (healthy || this.now() - spawnedAt > check.startPeriodMs) {
        failures++
        if (failures >= check.retries) {
          this.log.write(
            `[supervisor] ${this.options.service} (PID ${child.pid}) failed ${failures} health checks in a row; restarting it\n`,
          )
          this.emit('event', {type: 'unhealthy', pid: child.pid as number, failures})
          // It does not answer: SIGTERM may never be handled (a stopped or hung process), so SIGKILL.
          this.signalChild(child, 'SIGKILL')
          return
        }
      }
      this.healthTimer = setTimeout(() => void tick(), check.intervalMs)
    }
    this.healthTimer = setTimeout(() => void tick(), check.intervalMs)
  }

  private onExit(child: ChildProcess, exit: ExitInfo): void {
    if (child !== this.child) return
    clearTimeout(this.healthTimer)
    // What it left in its group (a worker, a grandchild holding the port) would block the restart.
    this.killLeftovers(child)
    this.lastExit = exit
    this.child = undefined
    if (this.stopping) {
      this.emit('event', {type: 'stopped'})
      return
    }
    if (this.replacing === child) {
      this.replacing = undefined
      return
    }
    const now = this.now()
    const window = this.options.crashWindowMs ?? 60_000
    this.crashes = [...this.crashes.filter((at) => now - at < window), now]
    const maxCrashes = this.options.maxCrashes ?? 5
    const error = lastErrorLine(this.tail)
    const how = exit.code !== null ? `code ${exit.code}` : `signal ${exit.signal}`
    const reason = `exited with ${how}${error ? `: ${error}` : ''}`
    this.log.write(`[supervisor] ${this.options.service} ${reason}\n`)
    if (this.crashes.length >= maxCrashes) {
      const gaveUp = `crashed ${this.crashes.length} times within ${Math.round(window / 1000)} s; last ${reason}`
      this.log.write(`[supervisor] giving up: ${gaveUp}\n`)
      this.emit('event', {type: 'crashed', exit, reason: gaveUp})
      return
    }
    // The first crash in a while is restarted at once, as pm2 does; a loop backs off exponentially.
    const delay =
      this.crashes.length === 1
        ? 0
        : Math.min(
            (this.options.backoffMs ?? 500) * 2 ** (this.crashes.length - 2),
            this.options.maxBackoffMs ?? 10_000,
          )
    this.emit('event', {type: 'exited', exit, willRestart: true, restartInMs: delay, reason})
    this.restartTimer = setTimeout(() => {
      this.restarts++
      this.start()
    }, delay)
  }

  /** Its process group (it leads one: spawned detached), else the child alone. */
  private signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
    const pid = child.pid
    if (pid === undefined || pid <= 1 || child.exitCode !== null || child.signalCode !== null) return
    const kill = this.options.kill ?? ((target, name) => process.kill(target, name))
    try {
      kill(-pid, signal)
    } catch {
      try {
        kill(pid, signal)
      } catch {
        // it is gone
      }
    }
  }

  /**
   * SIGKILL to what is left of the exited child's process group. The group keeps its number while
   * any member lives, so the number cannot have been given to another group meanwhile.
   */
  private killLeftovers(child: ChildProcess): void {
    const pid = child.pid
    if (pid === undefined || pid <= 1) return
    try {
      ;(this.options.kill ?? ((target, name) => process.kill(target, name)))(-pid, 'SIGKILL')
    } catch {
      // no member left: the usual case
    }
  }

  /** Stops the child gracefully: SIGTERM, then SIGKILL after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true
    clearTimeout(this.restartTimer)
    clearTimeout(this.healthTimer)
    if (this.child) await this.terminate(this.child)
    this.log.close()
  }

  /** A new process in place of the running one (new code after a rebuild): not counted as a crash. */
  async restart(): Promise<void> {
    if (this.stopping) return
    clearTimeout(this.restartTimer)
    const child = this.child
    if (child) {
      this.replacing = child
      await this.terminate(child)
    }
    if (this.stopping) return
    this.restarts++
    this.start()
  }

  private terminate(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
    return new Promise((resolve) => {
      const killer = setTimeout(() => this.signalChild(child, 'SIGKILL'), this.options.stopTimeoutMs ?? 10_000)
      child.once('exit', () => {
        clearTimeout(killer)
        // Its last output may still be in the pipes: wait for them, but not for a grandchild that holds them.
        const drained = setTimeout(resolve, PIPE_DRAIN_MS)
        child.once('close', () => {
          clearTimeout(drained)
          resolve()
        })
      })
      this.signalChild(child, 'SIGTERM')
      // A stopped process handles SIGTERM only once it runs again.
      this.signalChild(child, 'SIGCONT')
    })
  }

  /** A line of the supervisor's own in the service log. */
  note(text: string): void {
    this.log.write(`[supervisor] ${text}\n`)
  }

  /** Lines the log could not take (a full or failing disk). */
  get droppedLogLines(): DroppedLines {
    return this.log.dropped
  }
}
