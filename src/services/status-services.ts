// `status`: each service as it really is. Running only when our own process (or one it started)
// holds the port and answers; readiness beside liveness; uptime of the current process; and a
// reason whenever the answer is not plainly "running".
import {access, constants} from 'node:fs/promises'
import type {ServiceMode} from '../core/process/state.js'
import type {ServiceSpec} from '../core/process/registry.js'
import {probeHttp} from '../core/process/port-probe.js'
import {healthUrl, liveState, portHolder, treeHoldsPort, type ServicesContext} from './service-runtime.js'

export interface ServiceStatus {
  name: string
  state: 'running' | 'starting' | 'stopped' | 'crashed' | 'stale' | 'external'
  /** The service process (not its supervisor); for external, the holder of the port. */
  pid: number | null
  port: number
  /** Since the current service process started (a restart starts it again). */
  uptimeMs: number | null
  /** CPU use of the service process, in percent of one core. */
  cpu: number | null
  memoryBytes: number | null
  restarts: number
  health: {ok: boolean; latencyMs: number | null}
  /** Readiness (the API: database reachable and migrations current); null when the service has none or is down. */
  ready: {ok: boolean; status: number | null} | null
  mode: ServiceMode | null
  /** For external: the holder's command. */
  command?: string
  /** Why the state is what it is, when it is not plainly running or stopped. */
  reason?: string
  /** Log lines the supervisor had to drop (a full or failing disk). */
  logDropped?: {lines: number; error: string}
}

async function probeHealth(url: string): Promise<{ok: boolean; latencyMs: number | null}> {
  const started = performance.now()
  const {ok} = await probeHttp(url, 1_000)
  return {ok, latencyMs: ok ? Math.round((performance.now() - started) * 10) / 10 : null}
}

async function probeReady(service: ServiceSpec, port: number): Promise<ServiceStatus['ready']> {
  if (!service.readyPath) return null
  const answer = await probeHttp(healthUrl(service, port, service.readyPath), 2_000)
  return {ok: answer.ok, status: answer.status ?? null}
}

export async function servicesStatus(context: ServicesContext, services: ServiceSpec[]): Promise<ServiceStatus[]> {
  return Promise.all(services.map((service) => serviceStatus(context, service)))
}

async function serviceStatus(context: ServicesContext, service: ServiceSpec): Promise<ServiceStatus> {
  const {config} = context
  const backend = context.platform.processes
  const port = service.port(config)
  const base = {
    name: service.name,
    port,
    pid: null,
    uptimeMs: null,
    cpu: null,
    memoryBytes: null,
    restarts: 0,
    health: {ok: false, latencyMs: null},
    ready: null,
    mode: null,
  }
  const live = await liveState(context, service.name)
  if (live.kind === 'stale')
    return {...base, state: 'stale', port: live.state?.port ?? port, pid: live.orphan?.pid ?? null, reason: live.reason}
  if (live.kind === 'crashed') {
    return {
      ...base,
      state: 'crashed',
      port: live.state.port,
      restarts: live.state.restarts,
      mode: live.state.mode,
      reason: live.state.reason ?? undefined,
    }
  }
  if (live.kind === 'stopped') {
    const owner = await portHolder(context, port)
    if (!owner) return {...base, state: 'stopped'}
    const [health, ready] = await Promise.all([probeHealth(healthUrl(service, port)), probeReady(service, port)])
    return {...base, state: 'external', pid: owner.pid, command: owner.command, health, ready: health.ok ? ready : null}
  }
  const {state, child} = live
  const common = {
    ...base,
    port: state.port,
    restarts: state.restarts,
    mode: state.mode,
    ...(state.logDropped?.lines ? {logDropped: state.logDropped} : {}),
  }
  const readOnly = await access(config.state.run, constants.W_OK).then(
    () => '',
    () => `; the state folder ${config.state.run} is not writable, so its record may be behind`,
  )
  if (!child) {
    const why = state.reason ? `restarting after: ${state.reason}` : 'its process has not started yet'
    return {...common, state: 'starting', reason: `${why}${readOnly}`}
  }
  const uptimeMs =
    state.childStartedAt && state.child?.pid === child.pid ? Date.now() - Date.parse(state.childStartedAt) : null
  const withUsage = async () => ({...common, pid: child.pid, uptimeMs, ...(await backend.usage(child.pid))})
  if (child.state === 'stopped') {
    // Not probed: a stopped process would hold the probes to their timeouts.
    const reason =
      `PID ${child.pid} is stopped (SIGSTOP or a debugger); ` +
      `its supervisor restarts it after ${config.healthCheck.retries} failed health checks`
    return {...(await withUsage()), state: 'starting', reason: `${reason}${readOnly}`}
  }
  // The probes go out at once, beside the process checks: status answers in the time of the slowest.
  const probes = Promise.all([probeHealth(healthUrl(service, state.port)), probeReady(service, state.port)])
  const [running, owned] = await Promise.all([withUsage(), treeHoldsPort(context, child, state.port)])
  if (!owned) {
    const holder = await portHolder(context, state.port)
    const reason = holder
      ? `port ${state.port} is held by PID ${holder.pid} (${holder.command}), not by ${service.name}`
      : `${service.name} does not listen on port ${state.port} yet`
    return {...running, state: 'starting', reason: `${reason}${readOnly}`}
  }
  const [health, ready] = await probes
  const notReady =
    health.ok && ready && !ready.ok
      ? `answers ${service.healthPath} but not ${service.readyPath} (HTTP ${ready.status ?? 'no answer'})`
      : ''
  const reason = [notReady, readOnly.replace(/^; /, '')].filter(Boolean).join('; ')
  return {...running, state: health.ok ? 'running' : 'starting', health, ready, ...(reason ? {reason} : {})}
}
