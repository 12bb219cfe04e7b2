// Stopping a service for good: its supervisor, its process, and everything they started (a
// worker, a grandchild that inherited the listening socket), found by parent, process group and
// session. SIGTERM to the roots, SIGKILL to whatever is left at the deadline, and the survivors
// named instead of reported as stopped.
import {identityFromInfo, type ProcessIdentity} from './identity.js'
import type {ProcessInfo} from './platform/processes.js'
import {forbiddenPid, maySignal, signalVerified, type SignalContext} from './signals.js'

export interface TreeRoot {
  identity: ProcessIdentity
  /** Signal its whole process group (granted only when it is verified to lead one). */
  group: boolean
}

export interface TreeStopOptions {
  timeoutMs: number
  /** After SIGKILL, how long processes may take to vanish before they count as survivors. */
  killWaitMs?: number
  pollMs?: number
  clock?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface TreeStopResult {
  /** Processes that were found (roots and their descendants) and proved to be ours. */
  found: number[]
  /** Processes that were still there at the deadline and got SIGKILL. */
  killed: number[]
  /** Processes still alive after SIGKILL, or that could not be signalled. */
  survivors: Array<{pid: number; command: string; reason: string}>
  /** Roots that did not match their record: left alone. */
  refused: Array<{pid: number; reason: string}>
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * The verified roots and every live process that descends from them: by parent (walked through
 * the process list), or by a process group or session a verified root leads (which also finds a
 * grandchild orphaned to init). A member must have started no earlier than its root.
 */
export async function treeMembers(roots: ProcessInfo[], context: SignalContext): Promise<ProcessInfo[]> {
  if (roots.length === 0) return []
  const processes = await context.backend.listProcesses()
  const members = new Map<number, ProcessInfo>(roots.map((root) => [root.pid, root]))
  const leaders = new Map(
    roots.filter((root) => root.pgid === root.pid || root.sid === root.pid).map((root) => [root.pid, root]),
  )
  const startedAfter = (member: ProcessInfo, root: ProcessInfo) =>
    member.clock !== root.clock || member.startTime >= root.startTime
  for (const candidate of processes) {
    if (candidate.state === 'zombie' || members.has(candidate.pid) || forbiddenPid(candidate.pid, context.self))
      continue
    const leader = leaders.get(candidate.sid ?? -1) ?? leaders.get(candidate.pgid ?? -1)
    if (leader && startedAfter(candidate, leader)) members.set(candidate.pid, candidate)
  }
  const byParent = new Map<number, ProcessInfo[]>()
  for (const candidate of processes) byParent.set(candidate.ppid, [...(byParent.get(candidate.ppid) ?? []), candidate])
  const queue = [...members.values()]
  while (queue.length > 0) {
    const parent = queue.shift() as ProcessInfo
    for (const child of byParent.get(parent.pid) ?? []) {
      if (child.state === 'zombie' || members.has(child.pid) || forbiddenPid(child.pid, context.self)) continue
      members.set(child.pid, child)
      queue.push(child)
    }
  }
  return [...members.values()]
}

/** SIGTERM to the roots, SIGKILL at the deadline to every member still alive, and who survived. */
export async function stopProcessTree(
  roots: TreeRoot[],
  options: TreeStopOptions,
  context: SignalContext,
): Promise<TreeStopResult> {
  const clock = options.clock ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const pollMs = options.pollMs ?? 20
  const result: TreeStopResult = {found: [], killed: [], survivors: [], refused: []}
  const verifiedRoots: TreeRoot[] = []
  const rootInfos: ProcessInfo[] = []
  for (const root of roots) {
    const verdict = await maySignal(root.identity, {group: root.group}, context)
    if (verdict.ok) {
      verifiedRoots.push({identity: root.identity, group: verdict.group})
      rootInfos.push(verdict.info)
    } else if (!verdict.gone) {
      result.refused.push({pid: root.identity.pid, reason: verdict.reason})
    }
  }
  const bootId = context.backend.bootId()
  const members = new Map<number, ProcessIdentity>()
  const remember = (infos: ProcessInfo[]) => {
    for (const info of infos) if (!members.has(info.pid)) members.set(info.pid, identityFromInfo(info, bootId))
  }
  remember(await treeMembers(rootInfos, context))
  result.found = [...members.keys()]
  if (members.size === 0) return result

  for (const root of verifiedRoots) await signalVerified(root.identity, 'SIGTERM', {group: root.group}, context)
  const alive = async () => {
    const checks = await Promise.all(
      [...members.values()].map(async (identity) =>
        (await maySignal(identity, {group: false}, context)).ok ? identity : undefined,
      ),
    )
    return checks.filter((identity): identity is ProcessIdentity => identity !== undefined)
  }
  const deadline = clock() + options.timeoutMs
  let remaining = await alive()
  while (remaining.length > 0 && clock() < deadline) {
    await sleep(pollMs)
    remaining = await alive()
  }
  if (remaining.length === 0) return result

  // What is left, and anything it started meanwhile, is killed: each one proved again first.
  const liveInfos = (await Promise.all(remaining.map((identity) => context.backend.processInfo(identity.pid)))).filter(
    (info): info is ProcessInfo => info !== undefined,
  )
  remember(await treeMembers(liveInfos, context))
  for (const identity of await alive()) {
    const outcome = await signalVerified(identity, 'SIGKILL', {group: false}, context)
    if (outcome.sent) result.killed.push(identity.pid)
  }
  const killDeadline = clock() + (options.killWaitMs ?? 3_000)
  remaining = await alive()
  while (remaining.length > 0 && clock() < killDeadline) {
    await sleep(pollMs)
    remaining = await alive()
  }
  result.survivors = remaining.map((identity) => ({
    pid: identity.pid,
    command: identity.command,
    reason: 'still running after SIGKILL',
  }))
  return result
}
