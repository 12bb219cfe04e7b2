// Starting services in the background under our supervisor (or in terminal windows), and the
// readiness wait: a service is up when its own process, or one it started, holds its port and
// answers its health URL. A crash loop or a timeout stops what was started and says why.
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {PortInUseError, StorybookError} from '../core/errors.js'
import {probeHttp} from '../core/process/port-probe.js'
import {withProjectLock} from '../core/process/project-lock.js'
import type {ServiceSpec} from '../core/process/registry.js'
import {readServiceState, removeServiceState} from '../core/process/state.js'
import {shellQuote} from '../core/text/shell-quote.js'
import type {SupervisorLaunch} from '../supervisor-main.js'
import {
  healthCheckOf,
  healthUrl,
  lastLogLines,
  liveState,
  logFileOf,
  portHolder,
  treeHoldsPort,
  type LiveState,
  type ServicesContext,
} from './service-runtime.js'
import {stopRecorded} from './stop-services.js'

export interface StartedService {
  name: string
  port: number
  /** The service process (not its supervisor). */
  pid: number | null
  already: boolean
  startedInMs: number
}

export interface StartOptions {
  /** Ports to use instead of the configured ones (restart keeps each service's port). */
  ports?: Readonly<Record<string, number>>
  onProgress?: (message: string) => void
}

/** How often readiness is probed: a refused connection costs well under a millisecond. */
const READY_POLL_MS = 10

/** Starts the services in the background and waits until each answers its health URL. */
export async function startServices(
  context: ServicesContext,
  services: ServiceSpec[],
  options: StartOptions = {},
): Promise<StartedService[]> {
  const {config} = context
  const onProgress = options.onProgress ?? (() => {})
  return withProjectLock(config.state.run, () =>
    inDependencyOrder(services, async (service) => {
      const started = Date.now()
      const port = options.ports?.[service.name] ?? service.port(config)
      const live = await liveState(context, service.name)
      if (live.kind === 'ours') return alreadyRunning(service.name, live)
      await clearForStart(context, {
        service,
        live,
        port,
        onProgress,
        next: (owner) => [
          owner ? `storybook stop ${service.name} --force   # stops PID ${owner.pid}` : `ss -ltnp 'sport = :${port}'`,
          `storybook start ${service.name} --${service.name}-port ${port + 10}`,
        ],
      })
      onProgress(`${service.name}: starting on port ${port}`)
      const env = {...context.env, [service.portVariable]: String(port)}
      const {env: serviceEnv, ...command} = service.command({config, toolkitRoot: context.toolkitRoot, env})
      const launch: SupervisorLaunch = {
        service: service.name,
        // Secrets travel in the environment (readable by this user only), never in argv (readable by all).
        command,
        logFile: logFileOf(config, service.name),
        maxLogBytes: config.logMaxBytes,
        runDir: config.state.run,
        port,
        stopTimeoutMs: config.shutdownGraceMs + 2_000,
        healthCheck: healthCheckOf(config, service, port),
      }
      const supervisor = spawn(
        process.execPath,
        [join(context.toolkitRoot, 'dist', 'supervisor.cjs'), JSON.stringify(launch)],
        {
          cwd: config.root,
          detached: true, // its own session: our exit (or a closed terminal) does not end it
          stdio: 'ignore',
          env: serviceEnv,
        },
      )
      supervisor.unref()
      const pid = await waitForHealth(context, service, port, {onProgress, stopOnFailure: true})
      return {name: service.name, port, pid, already: false, startedInMs: Date.now() - started}
    }),
  )
}

/**
 * Runs `start` for every service, each as soon as the services it depends on (among those asked for)
 * are up: independent services start together, so starting several costs about the slowest one.
 * Results come in the order asked for; the first failure is thrown once its wave has settled.
 */
export async function inDependencyOrder<T>(
  services: readonly ServiceSpec[],
  start: (service: ServiceSpec) => Promise<T>,
): Promise<T[]> {
  const results = new Map<string, T>()
  let waiting = [...services]
  while (waiting.length > 0) {
    const ready = waiting.filter((service) =>
      service.dependsOn.every((name) => results.has(name) || !waiting.some((other) => other.name === name)),
    )
    if (ready.length === 0) {
      throw new StorybookError(
        'INTERNAL',
        `The services ${waiting.map((service) => service.name).join(', ')} depend on each other.`,
      )
    }
    const settled = await Promise.allSettled(ready.map(start))
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
    if (failed) throw failed.reason
    ready.forEach((service, index) => results.set(service.name, (settled[index] as PromiseFulfilledResult<T>).value))
    waiting = waiting.filter((service) => !ready.includes(service))
  }
  return services.map((service) => results.get(service.name) as T)
}

export interface ClearOptions {
  service: ServiceSpec
  live: Exclude<LiveState, {kind: 'ours'}>
  port: number
  onProgress?: (message: string) => void
  /** What to type next when the port is held by someone else. */
  next: (owner: {pid: number; command: string} | undefined) => string[]
}

/** What start reports for a service that already runs (it is left as it is). */
function alreadyRunning(name: string, live: Extract<LiveState, {kind: 'ours'}>): StartedService {
  return {name, port: live.state.port, pid: live.child?.pid ?? null, already: true, startedInMs: 0}
}

/**
 * Before any mode starts a service that is not running: clear what a previous run left (a stale or
 * crashed record, and its service if that provably still runs) and make sure the port is free.
 */
export async function clearForStart(context: ServicesContext, options: ClearOptions): Promise<void> {
  const {config} = context
  const {service, live, port, next} = options
  const onProgress = options.onProgress ?? (() => {})
  if (live.kind !== 'stopped') {
    onProgress(
      `${service.name}: removing ${live.kind === 'stale' ? `stale state (${live.reason})` : 'the record of its last crash'}`,
    )
    const outcome = await stopRecorded(context, live, config.shutdownGraceMs + 2_000)
    if (outcome.survivors.length > 0) {
      const names = outcome.survivors.map((process) => `PID ${process.pid} (${process.command})`).join(', ')
      throw new StorybookError('CONFLICT', `${service.name} from an earlier run could not be stopped: ${names}.`, {
        next: [`storybook stop ${service.name}`],
      })
    }
    await removeServiceState(config.state.run, service.name)
  }
  const owner = await portHolder(context, port)
  if (owner) {
    throw new PortInUseError(port, owner, {
      reason: `${service.name} needs it, and the process holding it was not started by storybook.`,
      next: next(owner),
    })
  }
}

export interface WaitOptions {
  onProgress: (message: string) => void
  /** Stop what was started when it does not become healthy (a crash loop must not go on in the background). */
  stopOnFailure: boolean
}

/** Waits until the service's own process tree holds the port and answers its health URL; its PID. */
export async function waitForHealth(
  context: ServicesContext,
  service: ServiceSpec,
  port: number,
  options: WaitOptions,
): Promise<number | null> {
  const {config} = context
  const url = healthUrl(service, port)
  // The wait ends after readyTimeoutMs without news: a crash loop that the supervisor is still working
  // through (each exit is news) is waited for until it answers or gives up, also on a slow machine.
  let deadline = Date.now() + service.readyTimeoutMs
  let announcedExits = 0
  for (;;) {
    const answer = await probeHttp(url, 1_000)
    const read = await readServiceState(config.state.run, service.name)
    const state = read.kind === 'ok' ? read.state : undefined
    if (state?.status === 'crashed') {
      throw await startFailure(context, service, `${service.name} crashed: ${state.reason ?? 'no reason kept'}`)
    }
    if (state?.lastExit && state.restarts + 1 > announcedExits && state.status === 'starting') {
      announcedExits = state.restarts + 1
      deadline = Date.now() + service.readyTimeoutMs
      options.onProgress(`${service.name}: ${state.reason ?? `exited with code ${state.lastExit.code}`}; restarting`)
    }
    if (answer.ok) {
      // Healthy means our process answers: a server of someone else's on the port does not count.
      const live = await liveState(context, service.name)
      if (live.kind === 'ours' && live.child && (await treeHoldsPort(context, live.child, port))) return live.child.pid
    }
    if (Date.now() > deadline) {
      const live = await liveState(context, service.name)
      const looping = state?.lastExit
        ? `; it kept exiting (${state.restarts} restarts, last: ${state.reason ?? `code ${state.lastExit.code}`})`
        : ''
      const since = state?.lastExit ? ' of its last start' : ''
      const holder = await portHolder(context, port)
      const foreign =
        holder && !(live.kind === 'ours' && live.child?.pid === holder.pid)
          ? `; port ${port} is held by PID ${holder.pid} (${holder.command})`
          : ''
      if (options.stopOnFailure && live.kind === 'ours') {
        await stopRecorded(context, live, config.shutdownGraceMs + 2_000)
        await removeServiceState(config.state.run, service.name)
      }
      throw await startFailure(
        context,
        service,
        `${service.name} did not answer ${url} within ${service.readyTimeoutMs / 1000} s${since}${looping}${foreign}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS))
  }
}

async function startFailure(context: ServicesContext, service: ServiceSpec, message: string): Promise<StorybookError> {
  const {config} = context
  const lines = await lastLogLines(config, service.name, 20)
  const shown =
    lines.length > 0
      ? `\nLast log lines (${logFileOf(config, service.name)}):\n${lines.map((line) => `  ${line}`).join('\n')}`
      : ''
  return new StorybookError('EXTERNAL_FAILED', `${message}.${shown}`, {
    next: [`storybook logs ${service.name}`, 'storybook diagnose'],
    details: {service: service.name, logFile: logFileOf(config, service.name), lastLines: lines},
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
  options: StartOptions & {cliPath: string},
): Promise<StartedService[]> {
  const {config, platform} = context
  const onProgress = options.onProgress ?? (() => {})
  const terminal = platform.terminal(context.env)
  if (!terminal) {
    throw new StorybookError('EXTERNAL_FAILED', 'There is no terminal to open service windows in.', {
      reason: `--separate-terminals needs one: ${platform.terminalAdvice}.`,
      next: ['storybook start --unified-mode', 'storybook start'],
    })
  }
  return inDependencyOrder(services, async (service) => {
    const port = options.ports?.[service.name] ?? service.port(config)
    // What an earlier run left (a crash record) is cleared here, so that the wait below reads only the new window's state.
    const live = await withProjectLock(config.state.run, async () => {
      const found = await liveState(context, service.name)
      if (found.kind !== 'ours')
        await clearForStart(context, {
          service,
          live: found,
          port,
          onProgress,
          next: () => [`storybook stop ${service.name}`],
        })
      return found
    })
    if (live.kind === 'ours') return alreadyRunning(service.name, live)
    const started = Date.now()
    // The new window does not inherit this environment (tmux keeps its own): pass what matters.
    const settings = {
      STORYBOOK_ROOT: config.root,
      STORYBOOK_STATE_DIR: config.state.root,
      STORYBOOK_ENV_FILE: config.envFile,
      [service.portVariable]: String(port),
      ...(context.env.STORYBOOK_PROCESS_BACKEND
        ? {STORYBOOK_PROCESS_BACKEND: context.env.STORYBOOK_PROCESS_BACKEND}
        : {}),
    }
    const exports = Object.entries(settings)
      .map(([key, value]) => `${key}=${shellQuote(value)}`)
      .join(' ')
    const cli = `${shellQuote(process.execPath)} ${shellQuote(options.cliPath)}`
    const line = `${exports} ${cli} start ${service.name} --unified-mode --terminal-window`
    onProgress(`${service.name}: opening a ${terminal.name} window`)
    terminal.open(`storybook ${service.name}`, line)
    const pid = await waitForHealth(context, service, port, {onProgress, stopOnFailure: false})
    return {name: service.name, port, pid, already: false, startedInMs: Date.now() - started}
  })
}
