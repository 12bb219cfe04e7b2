// Services in the foreground of this terminal: unified mode (every service, output prefixed,
// under the same supervision code as the background) and the IDE mode (one service, stdio
// untouched). Both record a state file so that status and stop see them.
import {spawn} from 'node:child_process'
import {StorybookError} from '../core/errors.js'
import {identityOf} from '../core/process/identity.js'
import {probeHttp} from '../core/process/port-probe.js'
import {withProjectLock} from '../core/process/project-lock.js'
import type {ServiceSpec} from '../core/process/registry.js'
import {
  newServiceState,
  recordEvent,
  removeServiceState,
  writeServiceState,
  type ServiceState,
} from '../core/process/state.js'
import {Supervisor, type SupervisorEvent} from '../core/process/supervisor.js'
import {healthCheckOf, liveState, logFileOf, type ServicesContext} from './service-runtime.js'
import {clearForStart} from './start-services.js'

export interface UnifiedServiceResult {
  name: string
  port: number
  restarts: number
  /** Gave up after repeated crashes. */
  crashed: boolean
  reason: string | null
}

export interface UnifiedResult {
  exitCode: number
  services: UnifiedServiceResult[]
}

export interface UnifiedOptions {
  /** Each output line of a service. */
  write: (service: string, line: string, stream: 'stdout' | 'stderr') => void
  /** What the supervision did (restarting, gave up, could not record state), for the same terminal. */
  notice: (service: string, message: string) => void
  signals?: NodeJS.EventEmitter
  /** `terminal` when this session is one of --separate-terminals' windows. */
  mode?: 'unified' | 'terminal'
  /** Once every service is started (--watch begins watching here); returns what to undo at the end. */
  onStarted?: (supervisors: Array<{service: string; supervisor: Supervisor}>) => () => void
}

/** The line unified mode prints for a supervision event, or undefined for events it keeps quiet about. */
export function describeEvent(event: SupervisorEvent): string | undefined {
  if (event.type === 'exited') return `${event.reason}; restarting in ${event.restartInMs} ms`
  if (event.type === 'crashed') return `gave up: ${event.reason}`
  if (event.type === 'unhealthy')
    return `PID ${event.pid} failed ${event.failures} health checks in a row; restarting it`
  return undefined
}

async function foregroundIdentity(context: ServicesContext) {
  const me = await identityOf(process.pid, context.platform.processes)
  if (!me) throw new StorybookError('INTERNAL', 'Cannot read the identity of this process.')
  return me
}

/**
 * Unified mode: every selected service in this terminal under the same supervision code, output
 * prefixed per service. Resolves once Ctrl-C or SIGTERM has stopped them all, or one gave up
 * after repeated crashes (exit code 1).
 */
export async function runUnified(
  context: ServicesContext,
  services: ServiceSpec[],
  options: UnifiedOptions,
): Promise<UnifiedResult> {
  const {config} = context
  const backend = context.platform.processes
  const signals = options.signals ?? process
  const me = await foregroundIdentity(context)
  const running: Array<{service: ServiceSpec; supervisor: Supervisor; state: ServiceState}> = []
  await withProjectLock(config.state.run, async () => {
    for (const service of services) {
      const live = await liveState(context, service.name)
      if (live.kind === 'ours') {
        throw new StorybookError(
          'CONFLICT',
          `${service.name} is already running in the ${live.state.mode} mode (PID ${live.child?.pid ?? live.state.supervisor.pid}).`,
          {
            next: [`storybook stop ${service.name}`, `storybook logs ${service.name} -f`],
          },
        )
      }
      const port = service.port(config)
      await clearForStart(context, {
        service,
        live,
        port,
        next: () => [`storybook start ${service.name} --unified-mode --${service.name}-port ${port + 10}`],
      })
      const command = service.command({config, toolkitRoot: context.toolkitRoot, env: context.env})
      const supervisor = new Supervisor({
        service: service.name,
        command,
        logFile: logFileOf(config, service.name),
        maxLogBytes: config.logMaxBytes,
        stopTimeoutMs: config.shutdownGraceMs + 2_000,
        healthCheck: {...healthCheckOf(config, service, port), probe: probeHttp},
        onLine: (line, stream) => options.write(service.name, line, stream),
        onLogDropped: (dropped) => {
          if (dropped.lines === 1)
            options.notice(
              service.name,
              `cannot write ${logFileOf(config, service.name)} (${dropped.error}); dropping log lines`,
            )
        },
      })
      const state = newServiceState({
        service: service.name,
        supervisor: me,
        processGroup: null,
        command: [command.file, ...command.args].join(' '),
        port,
        mode: options.mode ?? 'unified',
      })
      await writeServiceState(config.state.run, state)
      // One write at a time, each of the record as it is then: a slow write must not land after a newer one.
      let writing: Promise<void> = Promise.resolve()
      const save = () =>
        (writing = writing.then(() =>
          writeServiceState(config.state.run, state).catch((error: unknown) =>
            options.notice(
              service.name,
              `cannot record its state: ${error instanceof Error ? error.message : String(error)}`,
            ),
          ),
        ))
      supervisor.on('event', async (event) => {
        const line = describeEvent(event)
        if (line) options.notice(service.name, line)
        if (await recordEvent(state, event, (pid) => identityOf(pid, backend))) await save()
      })
      supervisor.start()
      running.push({service, supervisor, state})
    }
  })
  const undo = options.onStarted?.(running.map(({service, supervisor}) => ({service: service.name, supervisor})))
  return new Promise((resolve) => {
    let stopping = false
    const stopAll = async () => {
      if (stopping) return
      stopping = true
      undo?.()
      await Promise.all(running.map(({supervisor}) => supervisor.stop()))
      const crashed = running.some(({state}) => state.status === 'crashed')
      // A crash record stays for status to explain; everything else is gone.
      for (const {service, state} of running)
        if (state.status !== 'crashed') await removeServiceState(config.state.run, service.name)
      resolve({
        exitCode: crashed ? 1 : 0,
        services: running.map(({service, state}) => ({
          name: service.name,
          port: state.port,
          restarts: state.restarts,
          crashed: state.status === 'crashed',
          reason: state.reason,
        })),
      })
    }
    for (const {supervisor} of running) {
      supervisor.on('event', (event) => {
        if (event.type === 'crashed') void stopAll()
      })
    }
    signals.once('SIGINT', () => void stopAll())
    signals.once('SIGTERM', () => void stopAll())
  })
}

/**
 * --use-ide-terminal: one service in this terminal with its stdio untouched (debuggers and link
 * detection work), recorded in a state file so that status and stop see it. Resolves with its exit code.
 */
export async function runForIde(
  context: ServicesContext,
  service: ServiceSpec,
  options: {inspect?: string},
): Promise<number> {
  const {config} = context
  const backend = context.platform.processes
  const port = service.port(config)
  await withProjectLock(config.state.run, async () => {
    const live = await liveState(context, service.name)
    if (live.kind === 'ours') {
      throw new StorybookError(
        'CONFLICT',
        `${service.name} is already running (${live.state.mode}, PID ${live.child?.pid ?? live.state.supervisor.pid}).`,
        {
          next: [`storybook stop ${service.name}`],
        },
      )
    }
    await clearForStart(context, {service, live, port, next: () => [`storybook stop ${service.name}`]})
  })
  const nodeOptions =
    options.inspect === undefined ? [] : [options.inspect === '' ? '--inspect' : `--inspect=${options.inspect}`]
  const command = service.command({config, toolkitRoot: context.toolkitRoot, env: context.env, nodeOptions})
  const child = spawn(command.file, command.args, {cwd: command.cwd, env: command.env, stdio: 'inherit'})
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  const me = await foregroundIdentity(context)
  const state = newServiceState({
    service: service.name,
    supervisor: me,
    processGroup: null,
    command: [command.file, ...command.args].join(' '),
    port,
    mode: 'ide',
  })
  await recordEvent(state, {type: 'started', pid: child.pid as number, restarts: 0}, (pid) => identityOf(pid, backend))
  await writeServiceState(config.state.run, state)
  // Ctrl-C reaches the child from the terminal too; SIGTERM (from storybook stop) is passed on.
  const forward = () => child.kill('SIGTERM')
  const ignore = () => {}
  process.on('SIGTERM', forward)
  process.on('SIGINT', ignore)
  const code = await new Promise<number>((resolve) =>
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 15 : 1))),
  )
  process.off('SIGTERM', forward)
  process.off('SIGINT', ignore)
  await removeServiceState(config.state.run, service.name)
  return code
}
