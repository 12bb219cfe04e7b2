// The collector asks `status` about every service every second, and each answer walks the process
// table and the socket table more than once (a service's tree, who holds its port). Within one round
// those answers cannot differ in a way that matters to a chart, so the collector's platform keeps
// them for a moment. Only the collector uses this: anything that may signal asks the kernel afresh.
import type {Platform, PortOwner, ProcessBackend, ProcessInfo} from '../core/process/platform/index.js'

interface Kept<T> {
  at: number
  value: Promise<T>
}

function keptFor<T>(ttlMs: number, now: () => number) {
  const entries = new Map<string, Kept<T>>()
  return (key: string, load: () => Promise<T>): Promise<T> => {
    const kept = entries.get(key)
    if (kept && now() - kept.at <= ttlMs) return kept.value
    const value = load()
    entries.set(key, {at: now(), value})
    // A failed walk is not kept: the next caller asks again.
    value.catch(() => entries.delete(key))
    return value
  }
}

export interface KeepFor {
  /** The process table (a service's tree). */
  processesMs: number
  /** Who listens on a port: the socket table, and every process's descriptors when someone does. */
  portsMs: number
}

function briefly(backend: ProcessBackend, keep: KeepFor, now: () => number): ProcessBackend {
  const lists = keptFor<ProcessInfo[]>(keep.processesMs, now)
  const owners = keptFor<PortOwner[]>(keep.portsMs, now)
  return {
    ...backend,
    listProcesses: () => lists('all', () => backend.listProcesses()),
    portOwners: (port, among) =>
      owners(`${port}:${among ? [...among].sort((a, b) => a - b).join(',') : '*'}`, () =>
        backend.portOwners(port, among),
      ),
  }
}

/**
 * The platform with its process and port listings kept for a moment. A port's owners are asked by
 * the PIDs of a service's tree, so a restarted service (new PIDs) is looked at afresh at once.
 */
export function withBriefProcessCache(platform: Platform, keep: KeepFor, now: () => number = Date.now): Platform {
  const wrapped = new Map<ProcessBackend, ProcessBackend>()
  const wrap = (backend: ProcessBackend): ProcessBackend => {
    const existing = wrapped.get(backend)
    if (existing) return existing
    const made = briefly(backend, keep, now)
    wrapped.set(backend, made)
    return made
  }
  return {
    ...platform,
    processes: wrap(platform.processes),
    backendFor: (clock) => {
      const backend = platform.backendFor(clock)
      return backend ? wrap(backend) : undefined
    },
  }
}
