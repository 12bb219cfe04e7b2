// Linux: processes and ports from /proc, without running a program (find-process spawns ss or
// netstat, 23-46 ms here). A port's owner: the listening socket's inode from /proc/net/tcp{,6},
// then the process whose /proc/<pid>/fd links to that socket. A process: /proc/<pid>/stat for
// parent, group, session and the kernel's start time; cmdline; the real uid from status.
import {closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import type {PortOwner, ProcessBackend, ProcessInfo} from './processes.js'

const LISTEN = '0A'

/**
 * The listening lines of a /proc/net/tcp table. Every read() makes the kernel walk its whole
 * connection hash (about 1.8 ms here), and the kernel lists listeners before any other socket; so
 * reading stops at the first line that is not a listener, instead of reading on to end-of-file.
 */
function listenerLines(table: string): string[] {
  const descriptor = openSync(table, 'r')
  try {
    const buffer = Buffer.alloc(64 * 1024)
    let text = ''
    for (;;) {
      const read = readSync(descriptor, buffer, 0, buffer.length, null)
      if (read === 0) break
      text += buffer.toString('latin1', 0, read)
      const complete = text.slice(0, text.lastIndexOf('\n') + 1)
      if (
        complete
          .split('\n')
          .slice(1)
          .some((line) => line.trim() !== '' && line.trim().split(/\s+/)[3] !== LISTEN)
      )
        break
    }
    return text
      .split('\n')
      .slice(1)
      .filter((line) => line.trim().split(/\s+/)[3] === LISTEN)
  } finally {
    closeSync(descriptor)
  }
}

/**
 * Inodes of the sockets listening on `port`. The IPv6 table is read only when the IPv4 one has no
 * listener (services bind 127.0.0.1).
 */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (inodes.size > 0) break
    let lines: string[]
    try {
      lines = listenerLines(table)
    } catch {
      continue
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/)
      const local = fields[1]
      if (local && Number.parseInt(local.split(':')[1] ?? '', 16) === port && fields[9]) inodes.add(fields[9])
    }
  }
  return inodes
}

/**
 * The processes listening on `port` that this user may see. With `among`, only those PIDs are
 * looked at (is it our service that holds it?), which is much cheaper than walking every process.
 */
export function portOwnersLinux(port: number, among?: readonly number[]): PortOwner[] {
  const inodes = listeningInodes(port)
  if (inodes.size === 0) return []
  const holdsSocket = (target: string) => inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')
  return processesWithDescriptor(holdsSocket, Number.POSITIVE_INFINITY, among?.map(String))
}

/** The process listening on `port`, if this user may see it (the newest, when several share it). */
export function findPortOwnerLinux(port: number): PortOwner | undefined {
  return portOwnersLinux(port)[0]
}

/** The processes (of this user) that have `file` open, such as the writers of a locked database. */
export function processesUsingFileLinux(file: string): PortOwner[] {
  return processesWithDescriptor((target) => target === file || target.startsWith(`${file}-`), Number.POSITIVE_INFINITY)
}

/** Processes with an open descriptor whose link target matches, newest first, up to `limit`. */
function processesWithDescriptor(matches: (target: string) => boolean, limit: number, among?: string[]): PortOwner[] {
  const found: PortOwner[] = []
  // Newest processes first: a server that holds a port was usually started recently.
  const pids = (among ?? readdirSync('/proc'))
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a))
  for (const entry of pids) {
    let descriptors: string[]
    try {
      descriptors = readdirSync(`/proc/${entry}/fd`)
    } catch {
      continue // gone, or not ours to look at
    }
    const holds = descriptors.some((descriptor) => {
      try {
        return matches(readlinkSync(`/proc/${entry}/fd/${descriptor}`))
      } catch {
        return false // closed while we looked
      }
    })
    if (holds) found.push({pid: Number(entry), command: commandLine(Number(entry)) ?? '?'})
    if (found.length >= limit) break
  }
  return found
}

/** The command line of a process, arguments joined by spaces. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || undefined
  } catch {
    return undefined
  }
}

const STATES: Readonly<Record<string, ProcessInfo['state']>> = {Z: 'zombie', X: 'zombie', T: 'stopped', t: 'stopped'}

/** Parses /proc/<pid>/stat: the command name (field 2) may hold spaces and parentheses, so fields start after the last ')'. */
export function parseProcStat(pid: number, stat: string): Omit<ProcessInfo, 'uid' | 'command'> | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const numbers = [fields[1], fields[2], fields[3], fields[19]].map(Number)
  if (numbers.some((value) => !Number.isInteger(value))) return undefined
  const [ppid, pgid, sid, startTime] = numbers as [number, number, number, number]
  return {pid, ppid, pgid, sid, startTime, clock: 'boot-ticks', state: STATES[fields[0] ?? ''] ?? 'running'}
}

function hasLiveThread(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
      return state !== 'Z' && state !== 'X'
    })
  } catch {
    return false
  }
}

/**
 * One process from /proc. Synchronous on purpose: three small reads from memory take microseconds,
 * where the thread pool's round trips made walking every process take 20-30 ms instead of 2.
 */
function readProcessInfo(pid: number): ProcessInfo | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const parsed = parseProcStat(pid, stat)
    if (!parsed) return undefined
    // Its main thread has exited, but the process is not gone while other threads still run
    // (and may still hold its sockets): it counts as running until the last one ends.
    if (parsed.state === 'zombie' && hasLiveThread(pid)) parsed.state = 'running'
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1]
    const command = cmdline.split('\0').filter(Boolean).join(' ') || /\((.*)\)/s.exec(stat)?.[1] || '?'
    return {...parsed, uid: uid === undefined ? null : Number(uid), command}
  } catch {
    return undefined // gone, or not ours to look at
  }
}

const TICKS_PER_SECOND = 100 // USER_HZ on Linux

let cachedBootId: string | null | undefined

export const procBackend: ProcessBackend = {
  name: 'proc',
  bootId: () => {
    if (cachedBootId === undefined) {
      try {
        cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
      } catch {
        cachedBootId = null
      }
    }
    return cachedBootId
  },
  processInfo: async (pid) => readProcessInfo(pid),
  listProcesses: async () => {
    const pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))
    return pids.map((entry) => readProcessInfo(Number(entry))).filter((info): info is ProcessInfo => info !== undefined)
  },
  /** CPU over the process's life, like `ps` (no sampling pause, so status answers at once); resident memory. */
  usage: async (pid) => {
    const read = (file: string) => readFile(file, 'utf8').catch(() => '')
    const [stat, uptime, status] = await Promise.all([
      read(`/proc/${pid}/stat`),
      read('/proc/uptime'),
      read(`/proc/${pid}/status`),
    ])
    const kilobytes = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
    const memoryBytes = kilobytes ? Number(kilobytes) * 1024 : null
    if (!stat || !uptime) return {cpu: null, memoryBytes}
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
    const aliveSeconds = Number(uptime.split(' ')[0]) - Number(fields[19]) / TICKS_PER_SECOND
    return {cpu: aliveSeconds > 0 ? Math.round((cpuSeconds / aliveSeconds) * 1000) / 10 : null, memoryBytes}
  },
  portOwners: async (port, among) => portOwnersLinux(port, among),
}
