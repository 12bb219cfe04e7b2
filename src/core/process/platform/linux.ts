// Linux: who holds a TCP port, without running a program (find-process spawns ss or netstat,
// 23-46 ms here): the listening socket's inode from /proc/net/tcp{,6}, then the process whose
// /proc/<pid>/fd links to that socket.
import {closeSync, openSync, readSync, readdirSync, readlinkSync} from 'node:fs'
import {commandLine} from '../identity.js'
import type {PortOwner} from './index.js'

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
      if (complete.split('\n').slice(1).some((line) => line.trim() !== '' && line.trim().split(/\s+/)[3] !== LISTEN)) break
    }
    return text.split('\n').slice(1).filter((line) => line.trim().split(/\s+/)[3] === LISTEN)
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

/** The process listening on `port`, if this user may see it. */
export function findPortOwnerLinux(port: number): PortOwner | undefined {
  const inodes = listeningInodes(port)
  if (inodes.size === 0) return undefined
  return processesWithDescriptor((target) => inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? ''), 1)[0]
}

/** The processes (of this user) that have `file` open, such as the writers of a locked database. */
export function processesUsingFileLinux(file: string): PortOwner[] {
  return processesWithDescriptor((target) => target === file || target.startsWith(`${file}-`), Number.POSITIVE_INFINITY)
}

/** Processes with an open descriptor whose link target matches, newest first, up to `limit`. */
function processesWithDescriptor(matches: (target: string) => boolean, limit: number): PortOwner[] {
  const found: PortOwner[] = []
  // Newest processes first: a server that holds a port was usually started recently.
  const pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(b) - Number(a))
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
