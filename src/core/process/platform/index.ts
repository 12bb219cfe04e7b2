// The one platform interface: everything that differs between Linux, macOS and Windows for
// running services. Logic elsewhere calls `currentPlatform()` and never tests process.platform.
import {execFileSync} from 'node:child_process'
import {findPortOwnerLinux} from './linux.js'
import {parseLsof, parseNetstat} from './parsers.js'

export interface PortOwner {
  pid: number
  command: string
}

export interface Platform {
  name: 'linux' | 'darwin' | 'win32'
  /** The process listening on a TCP port, if this user may see it. */
  findPortOwner(port: number): PortOwner | undefined
}

const run = (file: string, args: string[]) => {
  try {
    return execFileSync(file, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000})
  } catch (error) {
    // lsof exits 1 when nothing matches; its output is still the answer
    return (error as {stdout?: string}).stdout ?? ''
  }
}

const linux: Platform = {name: 'linux', findPortOwner: findPortOwnerLinux}

const darwin: Platform = {
  name: 'darwin',
  findPortOwner: (port) => parseLsof(run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc']), port),
}

const win32: Platform = {
  name: 'win32',
  findPortOwner: (port) => {
    const owner = parseNetstat(run('netstat', ['-ano', '-p', 'TCP']), port)
    if (!owner) return undefined
    const name = run('tasklist', ['/FI', `PID eq ${owner.pid}`, '/FO', 'CSV', '/NH']).split(',')[0]?.replaceAll('"', '').trim()
    return {pid: owner.pid, command: name || owner.command}
  },
}

export function platformFor(name: NodeJS.Platform): Platform {
  if (name === 'darwin') return darwin
  if (name === 'win32') return win32
  return linux
}

export function currentPlatform(): Platform {
  return platformFor(process.platform)
}
