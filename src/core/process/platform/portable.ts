// The portable process backend, for systems without /proc (macOS, Windows), and forced on Linux
// with STORYBOOK_PROCESS_BACKEND=portable so that CI runs it for real: ps-list for the process
// table (parent, user, command line, start time), one `ps -p` for a single process, pidusage for
// CPU and memory (and the start time where ps-list has none), find-process for a port's listener.
// Each spawns a program (ps, ss, lsof, netstat), so it is slower than /proc; loaded only when used.
import {execFile} from 'node:child_process'
import type {PortOwner, ProcessBackend, ProcessInfo, ProcessUsage} from './processes.js'

interface PsListEntry {
  pid: number
  ppid: number
  uid?: number
  name: string
  cmd?: string
  startTime?: Date
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
  if (typeof value === 'function') return value as F
  if (typeof value.default === 'function') return value.default as F
  // find-process sets exports.default; an import() of it (or esbuild's require) wraps that once more
  return (value.default as {default: unknown}).default as F
}

/**
 * `ps` as ps-list runs it: the C locale and this process's time zone, so that a command line and
 * a start time read by `ps -p` are the very strings ps-list reads for the same process (non-ASCII
 * bytes of a command line come out as `?` either way). Identity compares them as strings.
 */
const psEnvironment = () => ({...process.env, LC_ALL: 'C', LANG: 'C'})

/**
 * ps-list's pattern for `lstart` ("Mon Nov 30 04:44:34 2026"), parsed as it parses it, in local
 * time: good to a second, but an hour apart in the repeated hour when clocks go back. On Linux ps
 * derives it from the boot time, which can move when the wall clock is stepped.
 */
const LSTART = String.raw`\w{3}\s+\w{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\d{4}`
const PS_LINE = new RegExp(String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(${LSTART})\s+(.*)$`)

/** What `ps -o pid=,ppid=,uid=,stat=,lstart=,args=` prints for one process (Linux procps and BSD ps alike). */
export function parsePsLine(line: string): ProcessInfo | undefined {
  const match = PS_LINE.exec(line.replace(/\r?\n$/, ''))
  if (!match) return undefined
  const [pid, ppid, uid, stat, lstart, args] = match.slice(1) as [string, string, string, string, string, string]
  const startTime = new Date(lstart).getTime()
  if (Number.isNaN(startTime)) return undefined
  return {
    pid: Number(pid),
    ppid: Number(ppid),
    pgid: null,
    sid: null,
    uid: Number(uid),
    startTime,
    clock: 'epoch-ms',
    command: args.trim(),
    state: stateOf(stat),
  }
}

/** ps's STAT letters: Z a zombie, T stopped (t traced, on Linux); anything else runs or sleeps. */
function stateOf(stat: string | undefined): ProcessInfo['state'] {
  const letter = stat?.[0]
  return letter === 'Z' ? 'zombie' : letter === 'T' || letter === 't' ? 'stopped' : 'running'
}

/** Runs ps; undefined when it matched no process (ps exits 1 with nothing printed). Other failures throw. */
function runPs(args: string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const options = {encoding: 'utf8' as const, env: psEnvironment(), maxBuffer: 64 * 1024 * 1024}
    execFile('ps', args, options, (error, stdout) => {
      if (!error) resolve(stdout)
      else if (error.code === 1 && stdout.trim() === '') resolve(undefined)
      else reject(error)
    })
  })
}

export interface PortableBackendOptions {
  /** Which system's tools to expect: Windows has no `ps`, and ps-list gives it names only. */
  platform?: NodeJS.Platform
}

export function createPortableBackend(options: PortableBackendOptions = {}): ProcessBackend {
  const windows = (options.platform ?? process.platform) === 'win32'

  const psList = async (): Promise<PsListEntry[]> =>
    callable<(options?: {all?: boolean}) => Promise<PsListEntry[]>>(await import('ps-list'))({all: true})

  /**
   * pidusage by `ps` (the path macOS takes, also on Linux, where it would read /proc): CPU over the
   * process's life, as the /proc backend gives it. Not on Windows, where maxage 0 makes pidusage
   * ask wmic again and again without end (it keeps asking until it has a previous reading).
   */
  const pidusage = async (pids: number[]): Promise<Record<number, PidUsage | undefined>> => {
    type PidUsageCall = (pids: number[], options: object) => Promise<Record<number, PidUsage>>
    const usage = callable<PidUsageCall>(await import('pidusage'))
    // It rejects when none of the PIDs is there any more (ps exits 1): their usage is unknown, not an error.
    return usage(pids, windows ? {} : {usePs: true, maxage: 0}).catch(() => ({}))
  }

  /** One process by `ps -p`: a few ms, where ps-list reads the whole table twice. */
  const psOne = async (pid: number): Promise<ProcessInfo | undefined> => {
    const output = await runPs(['-ww', '-o', 'pid=,ppid=,uid=,stat=,lstart=,args=', '-p', String(pid)])
    return output === undefined ? undefined : parsePsLine(output.split('\n')[0] ?? '')
  }

  /** ps-list has no state column: one more `ps` for it (not on Windows, where every process counts as running). */
  const psStates = async (): Promise<Map<number, ProcessInfo['state']>> => {
    const states = new Map<number, ProcessInfo['state']>()
    if (windows) return states
    for (const line of ((await runPs(['-A', '-o', 'pid=,stat='])) ?? '').split('\n')) {
      const [pid, stat] = line.trim().split(/\s+/)
      if (pid) states.set(Number(pid), stateOf(stat))
    }
    return states
  }

  const toInfo = (entry: PsListEntry, startTime: number, state: ProcessInfo['state']): ProcessInfo => ({
    pid: entry.pid,
    ppid: entry.ppid,
    pgid: null,
    sid: null,
    uid: entry.uid ?? null,
    startTime,
    clock: 'epoch-ms',
    // Windows: ps-list knows only the executable's name.
    command: entry.cmd || entry.name,
    state,
  })

  /**
   * ps-list's entries as ProcessInfo: the start times it lacks (all of them on Windows) from
   * pidusage, a few hundred PIDs a call (wmic takes them as one command line, limited to 32 KiB).
   */
  const fromPsList = async (entries: PsListEntry[], states: Map<number, ProcessInfo['state']>) => {
    const lacking = entries.filter((entry) => Number.isNaN(entry.startTime?.getTime() ?? Number.NaN))
    const batches: number[][] = []
    for (let start = 0; start < lacking.length; start += 500) {
      batches.push(lacking.slice(start, start + 500).map((entry) => entry.pid))
    }
    const answers = await Promise.all(batches.map(pidusage))
    const usages: Record<number, PidUsage | undefined> = Object.assign({}, ...answers)
    const infos: ProcessInfo[] = []
    for (const entry of entries) {
      const usage = usages[entry.pid]
      const startTime = entry.startTime?.getTime() ?? (usage ? usage.timestamp - usage.elapsed : Number.NaN)
      if (!Number.isNaN(startTime)) infos.push(toInfo(entry, startTime, states.get(entry.pid) ?? 'running'))
    }
    return infos
  }

  return {
    name: 'portable',
    // Start times are wall-clock times, so a PID reused after a reboot never matches: no boot id needed.
    bootId: () => null,
    processInfo: async (pid) => {
      if (!Number.isInteger(pid) || pid <= 0) return undefined
      if (!windows) return psOne(pid)
      const entry = (await psList()).find((candidate) => candidate.pid === pid)
      return entry ? (await fromPsList([entry], new Map()))[0] : undefined
    },
    listProcesses: async () => {
      const [entries, states] = await Promise.all([psList(), psStates()])
      // ps-list reads the command lines with a second ps: a process born between the two has none
      // there, and its name alone would never match its identity later. Ask for it by itself.
      const partial = windows ? [] : entries.filter((entry) => !entry.cmd)
      const whole = entries.filter((entry) => !partial.includes(entry))
      const reread = await Promise.all(partial.map((entry) => psOne(entry.pid)))
      const found = reread.filter((info): info is ProcessInfo => info !== undefined)
      return [...(await fromPsList(whole, states)), ...found]
    },
    usage: async (pid): Promise<ProcessUsage> => {
      const usage = Number.isInteger(pid) && pid > 0 ? (await pidusage([pid]))[pid] : undefined
      if (!usage) return {cpu: null, memoryBytes: null}
      return {cpu: Math.round(usage.cpu * 10) / 10, memoryBytes: usage.memory}
    },
    portOwners: async (port, among) => {
      const owners = await findPortListener(port)
      return among ? owners.filter((owner) => among.includes(owner.pid)) : owners
    },
  }
}

interface FoundProcess {
  pid: number
  cmd: string
  name: string
}

/**
 * find-process names one listener (IPv4 or IPv6: `ss -tunlp` on Linux, netstat then lsof on
 * macOS, netstat -ano on Windows), so this returns at most one owner. It rejects only when its
 * own `ps` of that PID fails, which is the listener exiting between its two steps: no owner then.
 */
async function findPortListener(port: number): Promise<PortOwner[]> {
  type Find = (by: 'port', value: number, options: {logLevel: 'error'}) => Promise<FoundProcess[]>
  const find = callable<Find>(await import('find-process'))
  // logLevel error: its warnings (netstat's "not all processes could be identified") are not ours to print
  const found = await find('port', port, {logLevel: 'error'}).catch((): FoundProcess[] => [])
  return found
    .filter((entry) => Number.isInteger(entry.pid) && entry.pid > 0)
    .map((entry) => ({pid: entry.pid, command: entry.cmd || entry.name}))
}

export const portableBackend: ProcessBackend = createPortableBackend()
