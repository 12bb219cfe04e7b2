// The one guard of the commands that replace or rewrite the whole database (restore, rollback,
// reset): refused while a service uses the database, or with --force run between a graceful stop
// of those services (which lets every request in flight finish) and their start again, so that
// no write they acknowledged can be lost.
import {StorybookError} from '../core/errors.js'
import {findService, SERVICES, type ServiceSpec} from '../core/process/registry.js'
import type {ServiceMode} from '../core/process/state.js'
import {liveState, type LiveState, type ServicesContext} from './service-runtime.js'
import {startServices, type StartedService} from './start-services.js'
import {stopServices} from './stop-services.js'

/** A service that uses the database now, as its state file and the live processes say. */
export interface DatabaseUser {
  name: string
  pid: number
  /** The port it runs on (the one it is started on again). */
  port: number | null
  /** How it was started; null when no record says (a service process whose supervisor died). */
  mode: ServiceMode | null
  /** "api (PID 123, port 8000)": how messages name it. */
  label: string
}

/**
 * The services that may write to the database now, from their state files checked against the
 * live processes (as `stop` does): a port probe would miss an API started with --api-port and
 * blame an unrelated program listening on API_PORT.
 */
export async function runningDatabaseUsers(context: ServicesContext): Promise<DatabaseUser[]> {
  const users: DatabaseUser[] = []
  for (const service of SERVICES.filter((candidate) => candidate.usesDatabase)) {
    const user = databaseUserOf(service.name, await liveState(context, service.name))
    if (user) users.push(user)
  }
  return users
}

function databaseUserOf(name: string, live: LiveState): DatabaseUser | undefined {
  if (live.kind === 'ours') {
    const {state} = live
    return {
      name,
      pid: state.supervisor.pid,
      port: state.port,
      mode: state.mode,
      label: `${name} (PID ${state.supervisor.pid}, port ${state.port})`,
    }
  }
  // A service process still running without its supervisor writes all the same.
  if (live.kind !== 'stopped' && live.orphan) {
    const port = live.state?.port ?? null
    return {name, pid: live.orphan.pid, port, mode: null, label: `${name} (PID ${live.orphan.pid})`}
  }
  return undefined
}

export interface DatabaseGuardOptions {
  context: ServicesContext
  /** What the command does, as the refusal says it: "restore", "roll back", "reset". */
  action: string
  /** The command as typed, to run again once the services are stopped (without --force). */
  command: string
  /** Stop the services that use the database, run, and start them again. */
  force: boolean
  onProgress?: (message: string) => void
  /** The effects, real unless a test passes its own. */
  users?: (context: ServicesContext) => Promise<DatabaseUser[]>
  stop?: (context: ServicesContext, services: ServiceSpec[], timeoutMs: number) => Promise<unknown>
  start?: (
    context: ServicesContext,
    services: ServiceSpec[],
    ports: Record<string, number>,
  ) => Promise<StartedService[]>
}

export interface GuardedResult<T> {
  result: T
  /** The services stopped for the command and started again (empty when none was running). */
  restarted: StartedService[]
}

export interface DatabaseGuard {
  /** Refuses now, before anything is asked or changed, when the command could not run. */
  check(): Promise<void>
  /** Runs `work` with no service using the database (stopping and restarting them under --force). */
  run<T>(work: () => Promise<T>): Promise<GuardedResult<T>>
}

export function databaseGuard(options: DatabaseGuardOptions): DatabaseGuard {
  const {context} = options
  const findUsers = options.users ?? runningDatabaseUsers
  const refuseOrAllow = async () => {
    const users = await findUsers(context)
    if (users.length > 0) refuseUnlessForceCan(options, users)
    return users
  }
  return {
    check: async () => void (await refuseOrAllow()),
    run: async (work) => {
      const users = await refuseOrAllow()
      if (users.length === 0) return {result: await work(), restarted: []}
      return runWithUsersStopped(options, users, work)
    },
  }
}

/** Throws why the command cannot run while `users` use the database, unless --force can handle them. */
function refuseUnlessForceCan(options: DatabaseGuardOptions, users: DatabaseUser[]): void {
  const foreground = users.filter((user) => user.mode !== null && user.mode !== 'background')
  const labels = users.map((user) => user.label)
  const running = `${labels.join(', ')} ${users.length === 1 ? 'is' : 'are'} running`
  const stop = `storybook stop ${users.map((user) => user.name).join(' ')}`
  if (!options.force) {
    throw new StorybookError('CONFLICT', `Refusing to ${options.action} while ${running}.`, {
      reason:
        'Changing the database under a running service can corrupt it or lose its writes. --force stops it ' +
        '(letting requests in flight finish), runs, and starts it again.',
      next: [stop, options.command, `${options.command} --force`],
      details: {running: labels},
    })
  }
  if (foreground.length > 0) {
    const modes = foreground.map((user) => `${user.label} runs in ${user.mode} mode`).join(', ')
    throw new StorybookError('CONFLICT', `Refusing to ${options.action}: ${modes}, in a terminal of its own.`, {
      reason: '--force stops only services running in the background; one in a terminal belongs to that terminal.',
      next: [`press Ctrl-C in that terminal (or: ${stop})`, options.command, ...foreground.map(startAgainIn)],
      details: {running: labels},
    })
  }
}

/** How a service that ran in a terminal is started there again. */
function startAgainIn(user: DatabaseUser): string {
  if (user.mode === 'ide') return `storybook start ${user.name} --use-ide-terminal`
  if (user.mode === 'terminal') return `storybook start ${user.name} --separate-terminals`
  return `storybook start ${user.name} --unified-mode`
}

async function runWithUsersStopped<T>(
  options: DatabaseGuardOptions,
  users: DatabaseUser[],
  work: () => Promise<T>,
): Promise<GuardedResult<T>> {
  const {context} = options
  const onProgress = options.onProgress ?? (() => {})
  const services = users.map((user) => findService(user.name)).filter((service) => service !== undefined)
  const names = services.map((service) => service.name)
  const ports = Object.fromEntries(users.flatMap((user) => (user.port === null ? [] : [[user.name, user.port]])))
  // The same allowance as a supervisor gives its service: the server's own grace period, and a margin.
  const timeoutMs = context.config.shutdownGraceMs + 2_000
  const stop = options.stop ?? ((c, s, t) => stopServices(c, s, {timeoutMs: t, force: false, onProgress}))
  const start = options.start ?? ((c, s, p) => startServices(c, s, {ports: p, onProgress}))
  const labels = users.map((user) => user.label).join(', ')
  onProgress(`Stopping ${labels} to ${options.action}; it is started again after.`)
  await stop(context, services, timeoutMs)
  let result: T
  try {
    result = await work()
  } catch (error) {
    // The services come back on the database as the failed command left it; the failure is what is reported.
    await start(context, services, ports).catch((startError: unknown) =>
      onProgress(`Starting ${names.join(', ')} again failed: ${(startError as Error).message}`),
    )
    throw error
  }
  try {
    return {result, restarted: await start(context, services, ports)}
  } catch (error) {
    throw new StorybookError(
      'EXTERNAL_FAILED',
      `The ${options.action} finished, but starting ${names.join(' ')} again failed: ${(error as Error).message}`,
      {
        next: [`storybook logs ${names.join(' ')}`, `storybook start ${names.join(' ')}`],
        details: {result},
        cause: error,
      },
    )
  }
}
