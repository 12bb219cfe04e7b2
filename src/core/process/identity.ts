// Proving that a PID is still the process we started. A PID read from a state file is a claim:
// it counts only while the kernel's start time, the boot, the command line and the user all
// still match what was recorded when we started it. A recycled PID never matches.
import {START_TOLERANCE, type ProcessBackend, type ProcessInfo, type StartClock} from './platform/processes.js'

export interface ProcessIdentity {
  pid: number
  startTime: number
  clock: StartClock
  bootId: string | null
  command: string
  uid: number | null
}

export function identityFromInfo(info: ProcessInfo, bootId: string | null): ProcessIdentity {
  return {pid: info.pid, startTime: info.startTime, clock: info.clock, bootId, command: info.command, uid: info.uid}
}

/** The identity of a live process, or undefined when there is no such process (or only its zombie). */
export async function identityOf(pid: number, backend: ProcessBackend): Promise<ProcessIdentity | undefined> {
  const info = await backend.processInfo(pid)
  return info && info.state !== 'zombie' ? identityFromInfo(info, backend.bootId()) : undefined
}

/** Whether a live process is the recorded one: pure, so that every rule is unit-tested. */
export function matchesIdentity(recorded: ProcessIdentity, live: ProcessInfo, bootId: string | null): boolean {
  if (live.pid !== recorded.pid || live.state === 'zombie') return false
  if (recorded.clock !== live.clock) return false // measured differently: cannot be proved
  if (Math.abs(recorded.startTime - live.startTime) > START_TOLERANCE[live.clock]) return false
  if (live.clock === 'boot-ticks' && (recorded.bootId === null || recorded.bootId !== bootId)) return false
  if (recorded.uid !== null && live.uid !== null && recorded.uid !== live.uid) return false
  return recorded.command === live.command
}

/** True only while the recorded process is alive and is the same process. */
export async function isSameProcess(recorded: ProcessIdentity, backend: ProcessBackend): Promise<boolean> {
  const live = await backend.processInfo(recorded.pid)
  return live !== undefined && matchesIdentity(recorded, live, backend.bootId())
}

/** A recorded identity with every field a check needs; anything else in a state file is not proof. */
export function isIdentity(value: unknown): value is ProcessIdentity {
  const identity = value as Partial<ProcessIdentity> | null
  return (
    typeof identity === 'object' &&
    identity !== null &&
    Number.isInteger(identity.pid) &&
    typeof identity.startTime === 'number' &&
    (identity.clock === 'boot-ticks' || identity.clock === 'epoch-ms') &&
    typeof identity.command === 'string' &&
    (identity.bootId === null || typeof identity.bootId === 'string') &&
    (identity.uid === null || Number.isInteger(identity.uid))
  )
}
