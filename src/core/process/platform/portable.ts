// The portable process backend, for systems without /proc (macOS, Windows), and forced on Linux
// with STORYBOOK_PROCESS_BACKEND=portable so that CI runs it for real: ps-list for the process
// table (parent, user, command line, start time), pidusage for CPU and memory (and the start
// time where ps-list has none), find-process for a port's listeners. Each spawns a program
// (ps, lsof, netstat), so it is slower than /proc; it is loaded only when it is used.
import type {PortOwner, ProcessBackend, ProcessInfo, ProcessUsage} from './processes.js'

interface PsListEntry {
  pid: number
  ppid: number
  uid?: number
  name: string
  cmd?: string
  startTime?: Date
}

async function psList(): Promise<PsListEntry[]> {
  return callable<(options?: {all?: boolean}) => Promise<PsListEntry[]>>(await import('ps-list'))({all: true})
}

interface PidUsage {
  cpu: number
  memory: number
  elapsed: number
  timestamp: number
}

/** A CommonJS module's function, whether it arrives as the module itself or as its default export. */
function callable<F>(module: unknown): F {
  const value = module as {default?: unknown}
  return (typeof value === 'function' ? value : typeof value.default === 'function' ? value.default : (value.default as {default: unknown}).default) as F
}

async function pidusage(pid: number): Promise<PidUsage | undefined> {
  const usage = callable<(pid: number, options: object) => Promise<PidUsage>>(await import('pidusage'))
  // usePs: the `ps` path that macOS takes, also on Linux, where pidusage would otherwise read /proc.
  return usage(pid, {usePs: true, maxage: 0}).catch(() => undefined)
}

async function toInfo(entry: PsListEntry): Promise<ProcessInfo | undefined> {
  let startTime = entry.startTime?.getTime()
  if (startTime === undefined || Number.isNaN(startTime)) {
    const usage = await pidusage(entry.pid)
    if (!usage) return undefined
    startTime = usage.timestamp - usage.elapsed
  }
  return {
    pid: entry.pid,
    ppid: entry.ppid,
    pgid: null,
    sid: null,
    uid: entry.uid ?? null,
    startTime,
    clock: 'epoch-ms',
    command: entry.cmd || entry.name,
    state: 'running',
  }
}

async function findProcess(port: number): Promise<PortOwner[]> {
  const find = callable<(by: 'port', value: number) => Promise<Array<{pid: number; cmd: string; name: string}>>>(await import('find-process'))
  const found = await find('port', port).catch(() => [])
  return found.filter((entry) => Number.isInteger(entry.pid) && entry.pid > 0).map((entry) => ({pid: entry.pid, command: entry.cmd || entry.name}))
}

export const portableBackend: ProcessBackend = {
  name: 'portable',
  bootId: () => null,
  processInfo: async (pid) => {
    if (!Number.isInteger(pid) || pid <= 0) return undefined
    const entry = (await psList()).find((candidate) => candidate.pid === pid)
    return entry ? toInfo(entry) : undefined
  },
  listProcesses: async () => {
    const infos = await Promise.all((await psList()).map(toInfo))
    return infos.filter((info): info is ProcessInfo => info !== undefined)
  },
  usage: async (pid): Promise<ProcessUsage> => {
    const usage = await pidusage(pid)
    return usage ? {cpu: Math.round(usage.cpu * 10) / 10, memoryBytes: usage.memory} : {cpu: null, memoryBytes: null}
  },
  portOwners: async (port, among) => {
    const owners = await findProcess(port)
    return among ? owners.filter((owner) => among.includes(owner.pid)) : owners
  },
}
