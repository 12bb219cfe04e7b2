// Running the stack: start services in the background under our supervisor, stop them (only
// processes we can prove we started), report their status, and read their logs.
import {spawn} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import type {AppConfig} from '../core/config/load.js'
import {PortInUseError, StorybookError, UsageError} from '../core/errors.js'
import {isRunning, isSameProcess} from '../core/process/identity.js'
import {currentPlatform} from '../core/process/platform/index.js'
import {isPortOpen, probeHttp} from '../core/process/port-probe.js'
import {withProjectLock} from '../core/process/project-lock.js'
import {SERVICES, type ServiceSpec} from '../core/process/registry.js'
import {shellQuote} from '../core/text/shell-quote.js'
import {readServiceState, removeServiceState, type ServiceMode, type ServiceState} from '../core/process/state.js'
import type {SupervisorLaunch} from '../supervisor-main.js'

export interface ServicesContext {
  config: AppConfig
  /** Where the toolkit is installed (dist/server.cjs, dist/supervisor.cjs). */
  toolkitRoot: string
  env: NodeJS.ProcessEnv
}

export function selectServices(names: string[], options: {withOptional?: boolean} = {}): ServiceSpec[] {
  if (names.length === 0) return SERVICES.filter((service) => !service.optional || options.withOptional)
  return names.map((name) => {
    const service = SERVICES.find((candidate) => candidate.name === name)
    if (!service) {
      throw new UsageError(`There is no service named "${name}".`, {next: [`storybook status   # services: ${SERVICES.map((known) => known.name).join(', ')}`]})
    }
    return service
  })
}

export const logFileOf = (config: AppConfig, service: string) => join(config.state.log, `${service}.log`)
/** Its health URL on `port` (the port a running service was started with, which flags may have changed). */
const healthUrl = (config: AppConfig, service: ServiceSpec, port = service.port(config)) => `http://127.0.0.1:${port}${service.healthPath}`

/** Reads the last `count` lines of a service's log, going back through rotated files as needed. */
export async function lastLogLines(config: AppConfig, service: string, count: number): Promise<string[]> {
  const file = logFileOf(config, service)
  const read = (path: string) => readFile(path, 'utf8').then((text) => text.split('\n').filter(Boolean), () => undefined)
  let lines = (await read(file)) ?? []
  for (let generation = 1; lines.length < count; generation++) {
    const older = await read(`${file}.${generation}`)
    if (!older) break
    lines = [...older, ...lines]
  }
  return lines.slice(-count)
}

export type LiveState =
  | {kind: 'stopped'}
  | {kind: 'ours'; state: ServiceState}
  | {kind: 'crashed'; state: ServiceState}
  | {kind: 'stale'; reason: string; state?: ServiceState}

/** What the state file says, checked against the kernel: a recycled PID is stale, never ours. */
export async function liveState(config: AppConfig, service: string): Promise<LiveState> {
  const read = await readServiceState(config.state.run, service)
  if (read.kind === 'missing') return {kind: 'stopped'}
  if (read.kind === 'corrupt') return {kind: 'stale', reason: `the state file is unreadable (${read.problem})`}
  if (read.state.status === 'crashed') return {kind: 'crashed', state: read.state}
  if (!isSameProcess(read.state.supervisor)) {
    const orphan = read.state.child && isSameProcess(read.state.child) ? ` (its ${service}, PID ${read.state.child.pid}, still runs)` : ''
    return {kind: 'stale', reason: `PID ${read.state.supervisor.pid} is no longer the supervisor that was started${orphan}`, state: read.state}
  }
  return {kind: 'ours', state: read.state}
}

export interface StartedService {
  name: string
  port: number
  pid: number | null
  already: boolean
  startedInMs: number
}

/** Starts the services in the background and waits until each answers its health URL. */
export async function startServices(
  context: ServicesContext,
  services: ServiceSpec[],
  onProgress: (message: string) => void = () => {},
  /** Ports to use instead of the configured ones (restart keeps each service's port). */
  ports: Readonly<Record<string, number>> = {},
): Promise<StartedService[]> {
  const {config} = context
  return withProjectLock(config.state.run, async () => {
    const results: StartedService[] = []
    for (const service of services) {
      const started = Date.now()
      const port = ports[service.name] ?? service.port(config)
      const live = await liveState(config, service.name)
      if (live.kind === 'ours') {
        results.push({name: service.name, port: live.state.port, pid: live.state.child?.pid ?? null, already: true, startedInMs: 0})
        continue
      }
      await clearForStart(config, service, live, port, onProgress, (owner) => [
        owner ? `storybook stop ${service.name} --force   # stops PID ${owner.pid}` : `ss -ltnp 'sport = :${port}'`,
        `${service.portVariable}=${port + 10} storybook start`,
      ])
      onProgress(`${service.name}: starting on port ${port}`)
      const {env: serviceEnv, ...command} = service.command({config, toolkitRoot: context.toolkitRoot, env: {...context.env, [service.portVariable]: String(port)}})
      const launch: SupervisorLaunch = {
        service: service.name,
        // Secrets travel in the environment (readable by this user only), never in argv (readable by all).
        command,
        logFile: logFileOf(config, service.name),
        runDir: config.state.run,
        port,
        stopTimeoutMs: config.shutdownGraceMs + 2_000,
      }
      const supervisor = spawn(process.execPath, [join(context.toolkitRoot, 'dist', 'supervisor.cjs'), JSON.stringify(launch)], {
        cwd: config.root,
        detached: true, // its own session: our exit (or a closed terminal) does not end it
        stdio: 'ignore',
        env: serviceEnv,
      })
      supervisor.unref()
      const pid = await waitForHealth(config, service, port, onProgress)
      results.push({name: service.name, port, pid, already: false, startedInMs: Date.now() - started})
    }
    return results
  })
}

/**
 * Before any mode starts a service that is not running: clear what a previous run left (a stale or
 * crashed record, and its service if that provably still runs) and make sure the port is free.
 */
async function clearForStart(
  config: AppConfig,
  service: ServiceSpec,
  live: Exclude<LiveState, {kind: 'ours'}>,
  port: number,
  onProgress: (message: string) => void,
  next: (owner: {pid: number; command: string} | undefined) => string[],
): Promise<void> {
  if (live.kind !== 'stopped') {
    onProgress(`${service.name}: removing ${live.kind === 'stale' ? `stale state (${live.reason})` : 'the record of its last crash'}`)
    await stopOrphan(live, config.shutdownGraceMs + 2_000)
    await removeServiceState(config.state.run, service.name)
  }
  if (await isPortOpen('127.0.0.1', port)) {
    const owner = currentPlatform().findPortOwner(port)
    throw new PortInUseError(port, owner, {reason: `${service.name} needs it, and the process holding it was not started by storybook.`, next: next(owner)})
  }
}

async function waitForHealth(config: AppConfig, service: ServiceSpec, port: number, onProgress: (message: string) => void): Promise<number | null> {
  const deadline = Date.now() + service.readyTimeoutMs
  let announced = false
  for (;;) {
    const live = await liveState(config, service.name)
    if (live.kind === 'crashed') {
      throw await startFailure(config, service, `${service.name} crashed: ${live.state.reason ?? 'no reason kept'}`)
    }
    // Healthy means our child answers: a server of someone else's on the port does not count.
    if (live.kind === 'ours' && live.state.child && isSameProcess(live.state.child) && currentPlatform().findPortOwner(port)?.pid === live.state.child.pid) {
      const answer = await probeHttp(healthUrl(config, service, port), 1_000)
      if (answer.ok) return live.state.child.pid
      if (live.state.lastExit && !announced) {
        announced = true
        onProgress(`${service.name}: exited with code ${live.state.lastExit.code}; restarting`)
      }
    }
    if (Date.now() > deadline) {
      throw await startFailure(config, service, `${service.name} did not answer ${healthUrl(config, service, port)} within ${service.readyTimeoutMs / 1000} s`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function startFailure(config: AppConfig, service: ServiceSpec, message: string): Promise<StorybookError> {
  const lines = await lastLogLines(config, service.name, 20)
  return new StorybookError('EXTERNAL_FAILED', `${message}.${lines.length > 0 ? `\nLast log lines (${logFileOf(config, service.name)}):\n${lines.map((line) => `  ${line}`).join('\n')}` : ''}`, {
    next: [`storybook logs ${service.name}`, 'storybook diagnose'],
    details: {service: service.name, logFile: logFileOf(config, service.name), lastLines: lines},
  })
}

export interface StoppedService {
  name: string
  /** What was there: our service, a stale record, nothing, or (with force) a foreign process. */
  found: 'running' | 'stale' | 'stopped' | 'crashed' | 'external'
  pid: number | null
  /** SIGKILL was needed after the timeout. */
  killed: boolean
}

/** Stops services gracefully; only processes we started, or with `force` a port's holder after naming it. */
export async function stopServices(
  context: ServicesContext,
  services: ServiceSpec[],
  options: {timeoutMs: number; force: boolean},
  onProgress: (message: string) => void = () => {},
): Promise<StoppedService[]> {
  const {config} = context
  return withProjectLock(config.state.run, async () => {
    const results: StoppedService[] = []
    const refusals: Array<{service: string; port: number; holder: {pid: number; command: string}}> = []
    for (const service of services) {
      const live = await liveState(config, service.name)
      if (live.kind === 'ours') {
        onProgress(`${service.name}: stopping (PID ${live.state.supervisor.pid})`)
        // A background supervisor leads its own process group; a unified session is someone's
        // terminal job (a pipe, npx, a script), so only that process is signalled, never its group.
        const killed = await signalAndWait(live.state.supervisor.pid, live.state.processGroup === live.state.supervisor.pid, options.timeoutMs)
        await removeServiceState(config.state.run, service.name)
        results.push({name: service.name, found: 'running', pid: live.state.child?.pid ?? null, killed})
        continue
      }
      if (live.kind === 'stale' || live.kind === 'crashed') {
        const orphan = await stopOrphan(live, options.timeoutMs)
        await removeServiceState(config.state.run, service.name)
        results.push({name: service.name, found: live.kind, pid: orphan?.pid ?? null, killed: orphan?.killed ?? false})
        continue
      }
      const port = service.port(config)
      const owner = (await isPortOpen('127.0.0.1', port)) ? currentPlatform().findPortOwner(port) : undefined
      if (owner) {
        if (!options.force) {
          refusals.push({service: service.name, port, holder: owner})
          continue
        }
        onProgress(`${service.name}: stopping PID ${owner.pid} (${owner.command}) on port ${port}, as --force asks`)
        const killed = await signalAndWait(owner.pid, false, options.timeoutMs)
        results.push({name: service.name, found: 'external', pid: owner.pid, killed})
        continue
      }
      results.push({name: service.name, found: 'stopped', pid: null, killed: false})
    }
    // Every other service was handled first; then say what was left alone, and why.
    if (refusals.length > 0) {
      const lines = refusals.map((refusal) => `port ${refusal.port} (${refusal.service}) is held by PID ${refusal.holder.pid} (${refusal.holder.command})`)
      throw new StorybookError('CONFLICT', `Left alone, because storybook did not start them: ${lines.join('; ')}.`, {
        next: refusals.map((refusal) => `storybook stop ${refusal.service} --force   # stops PID ${refusal.holder.pid}`),
        details: {refused: refusals, stopped: results},
      })
    }
    return results
  })
}

/**
 * A service whose supervisor died (kill -9) keeps running: its recorded identity proves it is ours,
 * so it is stopped by its own PID; anything that does not match exactly is left alone.
 */
async function stopOrphan(live: LiveState, timeoutMs: number): Promise<{pid: number; killed: boolean} | undefined> {
  const child = live.kind === 'stale' || live.kind === 'crashed' ? live.state?.child : undefined
  if (!child || !isSameProcess(child)) return undefined
  return {pid: child.pid, killed: await signalAndWait(child.pid, true, timeoutMs)}
}

/** SIGTERM (to the process group when we own it), then SIGKILL after the timeout. */
async function signalAndWait(pid: number, group: boolean, timeoutMs: number): Promise<boolean> {
  const target = group ? -pid : pid
  const alive = () => isRunning(pid)
  try {
    process.kill(target, 'SIGTERM')
  } catch {
    return false // already gone
  }
  const deadline = Date.now() + timeoutMs
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  if (!alive()) return false
  try {
    process.kill(target, 'SIGKILL')
  } catch {
    // it ended just now
  }
  return true
}

export interface ServiceStatus {
  name: string
  state: 'running' | 'starting' | 'stopped' | 'crashed' | 'stale' | 'external'
  pid: number | null
  port: number
  uptimeMs: number | null
  /** CPU use of the service process over a short sample, in percent of one core. */
  cpu: number | null
  memoryBytes: number | null
  restarts: number
  health: {ok: boolean; latencyMs: number | null}
  mode: ServiceMode | null
  /** For external: the holder's command; for crashed and stale: why. */
  command?: string
  reason?: string
}

/**
 * CPU use over the process's life, like `ps`: CPU time divided by the time since it started. No
 * sampling pause, so status answers at once.
 */
async function cpuPercent(pid: number): Promise<number | null> {
  const [stat, uptime] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''), readFile('/proc/uptime', 'utf8').catch(() => '')])
  if (!stat || !uptime) return null
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticksPerSecond = 100 // USER_HZ on Linux
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  const aliveSeconds = Number(uptime.split(' ')[0]) - Number(fields[19]) / ticksPerSecond
  return aliveSeconds > 0 ? Math.round((cpuSeconds / aliveSeconds) * 1000) / 10 : null
}

async function residentBytes(pid: number): Promise<number | null> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(text)?.[1]
  return kilobytes ? Number(kilobytes) * 1024 : null
}

async function probeHealth(url: string): Promise<{ok: boolean; latencyMs: number | null}> {
  const started = performance.now()
  const {ok} = await probeHttp(url, 1_000)
  return {ok, latencyMs: ok ? Math.round((performance.now() - started) * 10) / 10 : null}
}

export async function servicesStatus(context: ServicesContext, services: ServiceSpec[]): Promise<ServiceStatus[]> {
  const {config} = context
  return Promise.all(
    services.map(async (service): Promise<ServiceStatus> => {
      const port = service.port(config)
      const base = {name: service.name, port, pid: null, uptimeMs: null, cpu: null, memoryBytes: null, restarts: 0, health: {ok: false, latencyMs: null}, mode: null}
      const live = await liveState(config, service.name)
      if (live.kind === 'stale') return {...base, state: 'stale', reason: live.reason}
      if (live.kind === 'crashed') return {...base, state: 'crashed', restarts: live.state.restarts, mode: live.state.mode, reason: live.state.reason ?? undefined}
      if (live.kind === 'stopped') {
        const owner = (await isPortOpen('127.0.0.1', port)) ? currentPlatform().findPortOwner(port) : undefined
        if (!owner) return {...base, state: 'stopped'}
        return {...base, state: 'external', pid: owner.pid, command: owner.command, health: await probeHealth(healthUrl(config, service))}
      }
      const {state} = live
      const pid = state.child?.pid ?? null
      const [cpu, health, memoryBytes] = await Promise.all([pid ? cpuPercent(pid) : null, probeHealth(healthUrl(config, service, state.port)), pid ? residentBytes(pid) : null])
      return {
        ...base,
        state: health.ok ? 'running' : 'starting',
        pid,
        port: state.port,
        uptimeMs: Date.now() - Date.parse(state.startedAt),
        cpu,
        memoryBytes,
        restarts: state.restarts,
        health,
        mode: state.mode,
      }
    }),
  )
}

/** Whether a log file exists yet, for a clear message instead of an empty answer. */
export async function logExists(config: AppConfig, service: string): Promise<boolean> {
  return stat(logFileOf(config, service)).then(() => true, () => false)
}

/**
 * Unified mode: every selected service in this terminal under the same supervision code, output
 * prefixed per service. Resolves with the exit code once Ctrl-C or SIGTERM has stopped them all
 * (1 when a service gave up after repeated crashes).
 */
export async function runUnified(
  context: ServicesContext,
  services: ServiceSpec[],
  write: (service: string, line: string, stream: 'stdout' | 'stderr') => void,
  signals: NodeJS.EventEmitter = process,
  /** `terminal` when this session is one of --separate-terminals' windows. */
  mode: 'unified' | 'terminal' = 'unified',
): Promise<number> {
  const {config} = context
  const {Supervisor} = await import('../core/process/supervisor.js')
  const {identityOf} = await import('../core/process/identity.js')
  const {writeServiceState} = await import('../core/process/state.js')
  const me = identityOf(process.pid)
  if (!me) throw new StorybookError('INTERNAL', 'Cannot read this process identity from /proc.')
  const running: Array<{service: ServiceSpec; supervisor: InstanceType<typeof Supervisor>}> = []
  await withProjectLock(config.state.run, async () => {
    for (const service of services) {
      const live = await liveState(config, service.name)
      if (live.kind === 'ours') {
        throw new StorybookError('CONFLICT', `${service.name} is already running in the ${live.state.mode} (PID ${live.state.supervisor.pid}).`, {
          next: [`storybook stop ${service.name}`, `storybook logs ${service.name} -f`],
        })
      }
      const port = service.port(config)
      await clearForStart(config, service, live, port, () => {}, () => [`${service.portVariable}=${port + 10} storybook start --unified-mode`])
      const command = service.command({config, toolkitRoot: context.toolkitRoot, env: context.env})
      const supervisor = new Supervisor({
        service: service.name,
        command,
        logFile: logFileOf(config, service.name),
        stopTimeoutMs: config.shutdownGraceMs + 2_000,
        onLine: (line, stream) => write(service.name, line, stream),
      })
      const state: ServiceState = {
        service: service.name,
        supervisor: me,
        processGroup: null,
        child: null,
        command: [command.file, ...command.args].join(' '),
        port,
        mode,
        restarts: 0,
        startedAt: new Date().toISOString(),
        status: 'starting',
        lastExit: null,
        reason: null,
      }
      await writeServiceState(config.state.run, state)
      supervisor.on('event', (event) => {
        if (event.type === 'started') Object.assign(state, {child: identityOf(event.pid) ?? null, restarts: event.restarts, status: 'running'})
        else if (event.type === 'exited') Object.assign(state, {child: null, lastExit: event.exit, status: 'starting'})
        else if (event.type === 'crashed') Object.assign(state, {child: null, lastExit: event.exit, status: 'crashed', reason: event.reason})
        else return
        void writeServiceState(config.state.run, state).catch(() => {})
      })
      supervisor.start()
      running.push({service, supervisor})
    }
  })
  return new Promise((resolve) => {
    let crashed = false
    let stopping = false
    const stopAll = async () => {
      if (stopping) return
      stopping = true
      await Promise.all(running.map(({supervisor}) => supervisor.stop()))
      for (const {service} of running) {
        if (!crashed) await removeServiceState(config.state.run, service.name)
      }
      resolve(crashed ? 1 : 0)
    }
    for (const {supervisor} of running) {
      supervisor.on('event', (event) => {
        if (event.type === 'crashed') {
          crashed = true
          void stopAll()
        }
      })
    }
    signals.once('SIGINT', () => void stopAll())
    signals.once('SIGTERM', () => void stopAll())
  })
}

/**
 * --separate-terminals: each service in a window of its own (tmux, or the platform's terminal),
 * running `storybook start <service>` in the foreground there, under the same supervision; returns
 * once each answers its health URL. With no terminal to open, says which to install instead.
 */
export async function startInTerminals(
  context: ServicesContext,
  services: ServiceSpec[],
  cliPath: string,
  onProgress: (message: string) => void = () => {},
): Promise<StartedService[]> {
  const {config} = context
  const platform = currentPlatform()
  const terminal = platform.terminal(context.env)
  if (!terminal) {
    throw new StorybookError('EXTERNAL_FAILED', 'There is no terminal to open service windows in.', {
      reason: `--separate-terminals needs one: ${platform.terminalAdvice}.`,
      next: ['storybook start --unified-mode', 'storybook start'],
    })
  }
  const results: StartedService[] = []
  for (const service of services) {
    const live = await liveState(config, service.name)
    const port = service.port(config)
    if (live.kind === 'ours') {
      results.push({name: service.name, port: live.state.port, pid: live.state.child?.pid ?? null, already: true, startedInMs: 0})
      continue
    }
    const started = Date.now()
    // The new window does not inherit this environment (tmux keeps its own): pass what matters.
    const settings = {STORYBOOK_ROOT: config.root, STORYBOOK_STATE_DIR: config.state.root, STORYBOOK_ENV_FILE: config.envFile, [service.portVariable]: String(port)}
    const exports = Object.entries(settings).map(([key, value]) => `${key}=${shellQuote(value)}`).join(' ')
    const line = `${exports} ${shellQuote(process.execPath)} ${shellQuote(cliPath)} start ${service.name} --unified-mode --terminal-window`
    onProgress(`${service.name}: opening a ${terminal.name} window`)
    terminal.open(`storybook ${service.name}`, line)
    const pid = await waitForHealth(config, service, port, onProgress)
    results.push({name: service.name, port, pid, already: false, startedInMs: Date.now() - started})
  }
  return results
}

/**
 * --use-ide-terminal: one service in this terminal with its stdio untouched (debuggers and link
 * detection work), recorded in a state file so that status and stop see it. Resolves with its exit code.
 */
export async function runForIde(context: ServicesContext, service: ServiceSpec, options: {inspect: boolean}): Promise<number> {
  const {config} = context
  const {identityOf} = await import('../core/process/identity.js')
  const {writeServiceState} = await import('../core/process/state.js')
  const port = service.port(config)
  await withProjectLock(config.state.run, async () => {
    const live = await liveState(config, service.name)
    if (live.kind === 'ours') {
      throw new StorybookError('CONFLICT', `${service.name} is already running (${live.state.mode}, PID ${live.state.supervisor.pid}).`, {next: [`storybook stop ${service.name}`]})
    }
    await clearForStart(config, service, live, port, () => {}, () => [`storybook stop ${service.name}`])
  })
  const command = service.command({config, toolkitRoot: context.toolkitRoot, env: context.env})
  const args = options.inspect ? ['--inspect', ...command.args] : command.args
  const child = spawn(command.file, args, {cwd: command.cwd, env: command.env, stdio: 'inherit'})
  const me = identityOf(process.pid)
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  if (me) {
    await writeServiceState(config.state.run, {
      service: service.name,
      supervisor: me,
      processGroup: null,
      child: identityOf(child.pid as number) ?? null,
      command: [command.file, ...args].join(' '),
      port,
      mode: 'ide',
      restarts: 0,
      startedAt: new Date().toISOString(),
      status: 'running',
      lastExit: null,
      reason: null,
    })
  }
  // Ctrl-C reaches the child from the terminal too; SIGTERM (from storybook stop) is passed on.
  const forward = () => child.kill('SIGTERM')
  process.on('SIGTERM', forward)
  process.on('SIGINT', () => {})
  const code = await new Promise<number>((resolve) => child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 15 : 1))))
  process.off('SIGTERM', forward)
  await removeServiceState(config.state.run, service.name)
  return code
}
