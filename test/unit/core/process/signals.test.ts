// The one gate every signal goes through, with a fake process table and kill recorded: whatever
// a state file claims, no signal reaches init, this process, its parent, a recycled PID or a
// process whose command line or user differ; a group only when its leader was just verified.
import {describe, expect, it} from 'vitest'
import type {ProcessIdentity} from '../../../../src/core/process/identity.js'
import type {ProcessBackend, ProcessInfo} from '../../../../src/core/process/platform/processes.js'
import {maySignal, signalVerified, type SignalContext} from '../../../../src/core/process/signals.js'
import {stopProcessTree} from '../../../../src/core/process/stop-tree.js'

const SELF = {pid: 5000, ppid: 4999}
const BOOT = 'boot-1'

function info(pid: number, overrides: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid: 1,
    pgid: pid,
    sid: pid,
    uid: 1000,
    startTime: pid * 10,
    clock: 'boot-ticks',
    command: `node server-${pid}.cjs`,
    state: 'running',
    ...overrides,
  }
}

const identity = (process: ProcessInfo): ProcessIdentity => ({
  pid: process.pid,
  startTime: process.startTime,
  clock: process.clock,
  bootId: BOOT,
  command: process.command,
  uid: process.uid,
})

/** A process table that processes leave when they get SIGKILL, or SIGTERM unless they ignore it. */
function world(processes: ProcessInfo[], options: {ignoresTerm?: number[]} = {}) {
  const table = new Map(processes.map((process) => [process.pid, process]))
  const kills: Array<[number, string]> = []
  const backend: ProcessBackend = {
    name: 'proc',
    bootId: () => BOOT,
    processInfo: async (pid) => table.get(pid),
    listProcesses: async () => [...table.values()],
    usage: async () => ({cpu: null, memoryBytes: null}),
    portOwners: async () => [],
  }
  const members = (target: number) =>
    (target < 0
      ? [...table.values()].filter((process) => process.pgid === -target)
      : [table.get(target)].filter(Boolean)) as ProcessInfo[]
  const context: SignalContext = {
    backend,
    self: SELF,
    kill: (target, signal) => {
      kills.push([target, signal])
      const hit = members(target)
      if (hit.length === 0) throw Object.assign(new Error('no such process'), {code: 'ESRCH'})
      for (const process of hit) {
        if (signal === 'SIGKILL' || (signal === 'SIGTERM' && !options.ignoresTerm?.includes(process.pid)))
          table.delete(process.pid)
      }
    },
  }
  return {context, kills, table}
}

const instant = {timeoutMs: 100, killWaitMs: 50, pollMs: 1, sleep: async () => {}}

describe('maySignal: a recorded PID is a claim', () => {
  it.each([
    ['init', 1],
    ['PID 0 (every process of the group)', 0],
    ['a negative PID (kill(-1) signals everything)', -1],
    ['a negative group number', -4242],
    ['this storybook process', SELF.pid],
    ['the process that started it', SELF.ppid],
  ])('never signals %s, even with a matching identity', async (_name, pid) => {
    const target = info(pid, {pgid: pid})
    const {context, kills} = world([target])
    expect((await maySignal(identity(target), {group: true}, context)).ok).toBe(false)
    expect((await signalVerified(identity(target), 'SIGTERM', {group: true}, context)).sent).toBe(false)
    expect(kills).toEqual([])
  })

  it('refuses a process whose start time, boot, command line or user differ from the record', async () => {
    const live = info(4242)
    const {context, kills} = world([live])
    for (const recorded of [
      {...identity(live), startTime: live.startTime + 1},
      {...identity(live), bootId: 'another boot'},
      {...identity(live), command: 'node dist/server.cjs'},
      {...identity(live), uid: 0},
      {...identity(live), clock: 'epoch-ms' as const},
    ]) {
      const verdict = await maySignal(recorded, {group: false}, context)
      expect(verdict).toMatchObject({ok: false, gone: false})
    }
    expect(kills).toEqual([])
  })

  it('treats a zombie or a missing process as gone', async () => {
    const zombie = info(4243, {state: 'zombie'})
    const {context, kills} = world([zombie])
    expect(await maySignal(identity(zombie), {group: false}, context)).toMatchObject({ok: false, gone: true})
    expect(await maySignal(identity(info(4244)), {group: false}, context)).toMatchObject({ok: false, gone: true})
    expect(kills).toEqual([])
  })

  it('signals a group only when the verified process leads it', async () => {
    const leader = info(4300)
    const member = info(4301, {pgid: 4300, ppid: 4300})
    const {context, kills} = world([leader, member])
    expect(await signalVerified(identity(leader), 'SIGTERM', {group: true}, context)).toEqual({
      sent: true,
      target: -4300,
    })
    const {context: second, kills: secondKills} = world([member])
    expect(await signalVerified(identity(member), 'SIGTERM', {group: true}, second)).toEqual({sent: true, target: 4301})
    expect(kills).toEqual([[-4300, 'SIGTERM']])
    expect(secondKills).toEqual([[4301, 'SIGTERM']])
  })
})

describe('stopProcessTree', () => {
  it('stops the supervisor, then kills what is left of its tree at the deadline: a grandchild that ignores SIGTERM', async () => {
    const supervisor = info(6000, {ppid: 1})
    const api = info(6001, {ppid: 6000}) // its own session and group, as the supervisor spawns it
    const grandchild = info(6002, {ppid: 6001, pgid: 6001, sid: 6001, startTime: 60_030})
    const stranger = info(7000, {ppid: 1})
    const {context, kills, table} = world([supervisor, api, grandchild, stranger], {ignoresTerm: [6001, 6002]})
    const result = await stopProcessTree([{identity: identity(supervisor), group: true}], instant, context)
    expect(result.found.sort()).toEqual([6000, 6001, 6002])
    expect(result.killed.sort()).toEqual([6001, 6002])
    expect(result.survivors).toEqual([])
    expect(table.has(7000)).toBe(true)
    for (const [target] of kills) expect([-6000, 6001, 6002]).toContain(target)
  })

  it('finds a grandchild orphaned to init through the session its service leads', async () => {
    const api = info(6101, {ppid: 1})
    const orphan = info(6102, {ppid: 1, pgid: 6101, sid: 6101, startTime: 61_020})
    const older = info(6103, {ppid: 1, pgid: 6101, sid: 6101, startTime: 1}) // cannot be its descendant
    const {context, table} = world([api, orphan, older], {ignoresTerm: [6102, 6103]})
    const result = await stopProcessTree([{identity: identity(api), group: true}], instant, context)
    expect(result.found.sort()).toEqual([6101, 6102])
    expect(table.has(6102)).toBe(false)
    expect(table.has(6103)).toBe(true)
  })

  it('stops a service whose process leads no group (an orphaned IDE session) by its PID', async () => {
    const api = info(6201, {ppid: 1, pgid: 6200, sid: 6200})
    const {context, kills} = world([api])
    const result = await stopProcessTree([{identity: identity(api), group: true}], instant, context)
    expect(kills).toEqual([[6201, 'SIGTERM']])
    expect(result.survivors).toEqual([])
  })

  it('names survivors instead of reporting success', async () => {
    const stuck = info(6301)
    const {context} = world([stuck])
    context.kill = () => {} // a process in uninterruptible sleep: no signal takes it
    const result = await stopProcessTree([{identity: identity(stuck), group: false}], instant, context)
    expect(result.survivors).toEqual([
      {pid: 6301, command: 'node server-6301.cjs', reason: 'still running after SIGKILL'},
    ])
  })

  it('signals nothing for a record naming init, itself or a recycled PID', async () => {
    const init = info(1, {pgid: 1, sid: 1})
    const recycled = info(6401)
    const me = info(SELF.pid)
    const {context, kills} = world([init, recycled, me, info(6402, {ppid: 1})])
    const result = await stopProcessTree(
      [
        {identity: identity(init), group: true},
        {identity: {...identity(recycled), startTime: 1}, group: true},
        {identity: identity(me), group: true},
      ],
      instant,
      context,
    )
    expect(kills).toEqual([])
    expect(result.found).toEqual([])
    expect(result.refused).toHaveLength(3)
  })
})
