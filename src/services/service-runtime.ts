// What start, stop, restart, status and the doctor share about running services: the context
// they work in (configuration, platform, the signal gate), which services were asked for, where
// each logs, and what a state file says once checked against the live processes.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {AppConfig} from '../core/config/load.js'
import {UsageError} from '../core/errors.js'
import {isSameProcess, type ProcessIdentity} from '../core/process/identity.js'
import {currentPlatform, type Platform, type ProcessInfo} from '../core/process/platform/index.js'
import {isLoopbackPortOpen} from '../core/process/port-probe.js'
import {SERVICES, type ServiceSpec} from '../core/process/registry.js'
import {defaultSignalContext, type SignalContext} from '../core/process/signals.js'
import {readServiceState, type ServiceState} from '../core/process/state.js'
import {treeMembers} from '../core/process/stop-tree.js'

export interface ServicesContext {
  config: AppConfig
  /** Where the toolkit is installed (dist/server.cjs, dist/supervisor.cjs). */
  toolkitRoot: string
  env: NodeJS.ProcessEnv
  platform: Platform
  /** The one way to signal a process: identity proved first, `kill` injected. */
  signals: SignalContext
}

export function createServicesContext(options: {
  config: AppConfig
  toolkitRoot: string
  env: NodeJS.ProcessEnv
  platform?: Platform
  signals?: Partial<SignalContext>
}): ServicesContext {
  const platform = options.platform ?? currentPlatform(options.env)
  return {...options, platform, signals: {...defaultSignalContext(platform.processes), ...options.signals}}
}

/**
 * stop and status work from the state files alone, as pm2's do: an invalid or missing .env value
 * matters to them only when it is a port or the state folder. What to tell the user then.
 */
export function stateOnlyConfigWarning(invalid: readonly string[]): string | undefined {
  const relevant = invalid.filter(
    (key) => key === 'STORYBOOK_STATE_DIR' || SERVICES.some((service) => service.portVariable === key),
  )
  if (relevant.length === 0) return undefined
  const one = relevant.length === 1
  return `${relevant.join(', ')} ${one ? 'is' : 'are'} invalid; using the default for ${one ? 'it' : 'them'}.`
}

/** The services named (each once, in the order given), or every default one. */
export function selectServices(names: string[], options: {withOptional?: boolean} = {}): ServiceSpec[] {
  if (names.length === 0) return SERVICES.filter((service) => !service.optional || options.withOptional)
  return [...new Set(names)].map((name) => {
    const service = SERVICES.find((candidate) => candidate.name === name)
    if (!service) {
      throw new UsageError(`There is no service named "${name}".`, {
        next: [`storybook status   # services: ${SERVICES.map((known) => known.name).join(', ')}`],
      })
    }
    return service
  })
}

export const logFileOf = (config: AppConfig, service: string) => join(config.state.log, `${service}.log`)

/** Its health URL on `port` (the port a running service was started with, which flags may have changed). */
export const healthUrl = (service: ServiceSpec, port: number, path = service.healthPath) =>
  `http://127.0.0.1:${port}${path}`

/** The supervisor's health check of a service on `port`, from the configuration. */
export function healthCheckOf(config: AppConfig, service: ServiceSpec, port: number) {
  const {intervalMs, retries} = config.healthCheck
  return {url: healthUrl(service, port), intervalMs, retries, startPeriodMs: service.readyTimeoutMs}
}

/** Reads the last `count` lines of a service's log, going back through rotated files as needed. */
export async function lastLogLines(config: AppConfig, service: string, count: number): Promise<string[]> {
  const file = logFileOf(config, service)
  const read = (path: string) =>
    readFile(path, 'utf8').then(
      (text) => text.split('\n').filter(Boolean),
      () => undefined,
    )
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
  /** `child`: the service process proved to be ours now (null between a crash and its restart). */
  | {kind: 'ours'; state: ServiceState; supervisor: ProcessInfo; child: ProcessInfo | null}
  | {kind: 'crashed'; state: ServiceState; orphan: ProcessIdentity | null}
  /** `orphan`: its service process, proved to be ours, still running without its supervisor. */
  | {kind: 'stale'; reason: string; state?: ServiceState; orphan: ProcessIdentity | null}

/**
 * The context in which a record's identities can be proved: the backend that measured them (a
 * record written while STORYBOOK_PROCESS_BACKEND chose the other one), or undefined where none can.
 */
export function contextForRecord(context: ServicesContext, state: ServiceState): ServicesContext | undefined {
  const backend = context.platform.backendFor(state.supervisor.clock)
  if (!backend) return undefined
  if (backend === context.platform.processes) return context
  return {...context, platform: {...context.platform, processes: backend}, signals: {...context.signals, backend}}
}

/** What the state file says, checked against the kernel: a recycled PID is stale, never ours. */
export async function liveState(servicesContext: ServicesContext, service: string): Promise<LiveState> {
  const read = await readServiceState(servicesContext.config.state.run, service)
  if (read.kind === 'missing') return {kind: 'stopped'}
  if (read.kind === 'corrupt')
    return {kind: 'stale', reason: `the state file is unreadable (${read.problem})`, orphan: null}
  const {state} = read
  // storybook never starts init: a record naming it is a lie, whatever identity it copied.
  const named = [state.supervisor.pid, state.child?.pid].find((pid) => pid !== undefined && pid <= 1)
  if (named !== undefined)
    return {
      kind: 'stale',
      reason: `the state file names PID ${named}, which storybook never starts`,
      state,
      orphan: null,
    }
  const context = contextForRecord(servicesContext, state)
  if (!context)
    return {
      kind: 'stale',
      reason: `its identities were measured in a way this system cannot check (${state.supervisor.clock})`,
      state,
      orphan: null,
    }
  const backend = context.platform.processes
  const orphan = state.child && (await isSameProcess(state.child, backend)) ? state.child : null
  if (state.status === 'crashed') return {kind: 'crashed', state, orphan}
  const supervisor = await backend.processInfo(state.supervisor.pid)
  if (!supervisor || !(await isSameProcess(state.supervisor, backend))) {
    const still = orphan ? ` (its ${service}, PID ${orphan.pid}, still runs)` : ''
    return {
      kind: 'stale',
      reason: `PID ${state.supervisor.pid} is no longer the supervisor that was started${still}`,
      state,
      orphan,
    }
  }
  return {kind: 'ours', state, supervisor, child: await currentChild(context, state, supervisor, orphan)}
}

/**
 * The service process now. Usually the one recorded; when the record is behind (the supervisor
 * could not write its state file), the background supervisor's own child.
 */
async function currentChild(
  context: ServicesContext,
  state: ServiceState,
  supervisor: ProcessInfo,
  recorded: ProcessIdentity | null,
) {
  const backend = context.platform.processes
  if (recorded) return (await backend.processInfo(recorded.pid)) ?? null
  if (state.mode !== 'background') return null
  const children = (await backend.listProcesses()).filter(
    (info) => info.ppid === supervisor.pid && info.state !== 'zombie',
  )
  return children.length === 1 ? (children[0] as ProcessInfo) : null
}

/** Who listens on `port` (any loopback or wildcard address); the portable backend is asked only when something does. */
export async function portHolder(
  context: ServicesContext,
  port: number,
): Promise<{pid: number; command: string} | undefined> {
  const backend = context.platform.processes
  if (backend.name !== 'proc' && !(await isLoopbackPortOpen(port))) return undefined
  return (await backend.portOwners(port))[0]
}

/** Whether the service process, or a process it started, holds the port. */
export async function treeHoldsPort(context: ServicesContext, child: ProcessInfo, port: number): Promise<boolean> {
  const backend = context.platform.processes
  if ((await backend.portOwners(port, [child.pid])).length > 0) return true
  const members = await treeMembers([child], context.signals)
  return (
    (
      await backend.portOwners(
        port,
        members.map((member) => member.pid),
      )
    ).length > 0
  )
}
