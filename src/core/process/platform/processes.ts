// What the toolkit needs to know about processes, whatever the operating system: who a PID is
// (start time, command line, user, parent, group, session), what it uses, and who holds a port.
// Two backends implement it: /proc on Linux (no program spawned, exact start times) and a
// portable one on ps-list, pidusage and find-process for macOS and Windows.

/**
 * How a start time was measured. `boot-ticks` (Linux /proc) is exact and only means something
 * within one boot; `epoch-ms` (the portable backend, from elapsed time) is good to about a second.
 */
export type StartClock = 'boot-ticks' | 'epoch-ms'

export interface ProcessInfo {
  pid: number
  ppid: number
  /** Process group and session, where the backend can tell (null: unknown, so never signalled as a group). */
  pgid: number | null
  sid: number | null
  uid: number | null
  startTime: number
  clock: StartClock
  /** The command line, arguments joined by spaces (the executable's name where that is all there is). */
  command: string
  /** `stopped`: SIGSTOPped or traced; `zombie`: exited, not yet reaped, gone for every purpose of ours. */
  state: 'running' | 'stopped' | 'zombie'
}

export interface PortOwner {
  pid: number
  command: string
}

export interface ProcessUsage {
  /** CPU use in percent of one core. */
  cpu: number | null
  memoryBytes: number | null
}

export interface ProcessBackend {
  name: 'proc' | 'portable'
  /** Identifies this boot, so that a start time from an earlier boot never matches; null when unknown. */
  bootId(): string | null
  processInfo(pid: number): Promise<ProcessInfo | undefined>
  /** Every process this user may see, for finding a service's descendants. */
  listProcesses(): Promise<ProcessInfo[]>
  usage(pid: number): Promise<ProcessUsage>
  /**
   * Every process with a listening socket on `port` (IPv4 or IPv6, any address), newest first;
   * with `among`, only those of these PIDs (cheaper where each process must be looked at).
   */
  portOwners(port: number, among?: readonly number[]): Promise<PortOwner[]>
}

/** How far apart two readings of the same process's start time may be, per clock. */
export const START_TOLERANCE: Readonly<Record<StartClock, number>> = {'boot-ticks': 0, 'epoch-ms': 2_000}
