// Proving that a PID is still the process we started: the kernel's start time of the process
// (and the boot it belongs to) must match what was recorded. A recycled PID never matches.
import {readFileSync} from 'node:fs'

export interface ProcessIdentity {
  pid: number
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTime: number
  bootId: string
}

export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return 'unknown'
  }
}

/** The start time of a live process, or undefined when there is no such process. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] === 'Z') return undefined // exited: a zombie is not the process any more
    const startTime = Number(fields[19])
    return Number.isFinite(startTime) ? startTime : undefined
  } catch {
    return undefined
  }
}

export function identityOf(pid: number): ProcessIdentity | undefined {
  const startTime = processStartTime(pid)
  return startTime === undefined ? undefined : {pid, startTime, bootId: bootId()}
}

/** True only while the recorded process is alive and is the same process. */
export function isSameProcess(recorded: ProcessIdentity): boolean {
  return recorded.bootId === bootId() && processStartTime(recorded.pid) === recorded.startTime
}

/**
 * Whether a process still runs. A zombie (exited, not yet reaped by its parent, which for our
 * detached supervisors is init) still answers kill(pid, 0) but is gone for every purpose of ours.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** The command line of a process, for messages ("port 8000 is held by PID 42: node x.js"). */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || undefined
  } catch {
    return undefined
  }
}
