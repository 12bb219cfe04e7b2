// Linux: who holds a TCP port, without running a program (find-process spawns ss or netstat, the listening socket's inode from
// 23-46 ms here): the listening socket's inode from /proc/net/tcp{,6}, then the process whose
// /proc/<pid>/fd links to that socket.
import {readFileSync, readdirSync, readlinkSync} from 'node:fs'
import {commandLine} from '../identity.js'
import type {PortOwner} from './index.js'

const LISTEN = '0A'

/**
 * Inodes of the sockets listening on `port`. Each table costs the kernel a few milliseconds to
 * produce, so the IPv6 one is read only when the IPv4 one has no listener (services bind 127.0.0.1).
 */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (inodes.size > 0) break
    let text: string
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const local = fields[1]
      if (!local || fields[3] !== LISTEN) continue
      if (Number.parseInt(local.split(':')[1] ?? '', 16) === port && fields[9]) inodes.add(fields[9])
    }
  }
  return inodes
}

/** The process listening on `port`, if this user may see it. */
export function findPortOwnerLinux(port: number): PortOwner | undefined {
  const inodes = listeningInodes(port)
  if (inodes.size === 0) return undefined
  // Newest processes first: a server that holds a port was usually started recently.
  const pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(b) - Number(a))
  for (const entry of pids) {
    let descriptors: string[]
    try {
      descriptors = readdirSync(`/proc/${entry}/fd`)
    } catch {
      continue // gone, or not ours to look at
    }
    for (const descriptor of descriptors) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${descriptor}`)
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
        if (inode && inodes.has(inode)) return {pid: Number(entry), command: commandLine(Number(entry)) ?? '?'}
      } catch {
        // closed while we looked
      }
    }
  }
  return undefined
}
