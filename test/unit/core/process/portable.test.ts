// The portable process backend (ps-list, ps, pidusage, find-process) run for real on this machine
// against processes the tests start: identity, descendants, port listeners over IPv4 and IPv6,
// usage, and processes that stop, exit or linger as zombies.
import {spawn, type ChildProcess} from 'node:child_process'
import {once} from 'node:events'
import {createServer, type AddressInfo, type Server} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {identityOf, isSameProcess, matchesIdentity} from '../../../../src/core/process/identity.js'
import {createPortableBackend, parsePsLine} from '../../../../src/core/process/platform/portable.js'
import type {ProcessInfo} from '../../../../src/core/process/platform/processes.js'

const backend = createPortableBackend()
const started: ChildProcess[] = []
const servers: Server[] = []

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A process that runs until killed; its command line carries `args` (a long JSON one, like the supervisor's). */
async function startIdle(args: string[] = []): Promise<ChildProcess & {pid: number}> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)', ...args], {stdio: 'ignore'})
  started.push(child)
  await once(child, 'spawn')
  return child as ChildProcess & {pid: number}
}

/** Polls `probe` until it returns something, or fails at the deadline. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

async function listen(host: string): Promise<number> {
  const server = createServer()
  servers.push(server)
  server.listen(0, host)
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

describe('the portable backend: identity', () => {
  it('proves a process is itself, and refuses a record with another command line or start time', async () => {
    // Given a process whose command line is longer than any terminal (the supervisor's JSON is)
    const args = ['--enable-source-maps', '/x/dist/server.cjs']
    const launch = JSON.stringify({service: 'api', args, pad: 'p'.repeat(6000)})
    const child = await startIdle([launch])

    // When its identity is recorded and checked again
    const identity = await identityOf(child.pid, backend)
    expect(identity).toBeDefined()
    if (!identity) return

    // Then the whole command line was read, the clock is the wall clock, and it matches itself
    expect(identity.command.endsWith(launch)).toBe(true)
    expect(identity.clock).toBe('epoch-ms')
    expect(Math.abs(identity.startTime - Date.now())).toBeLessThan(60_000)
    expect(await isSameProcess(identity, backend)).toBe(true)
    const otherCommand = identity.command.replace('server.cjs', 'other.cjs')
    expect(await isSameProcess({...identity, command: otherCommand}, backend)).toBe(false)
    expect(await isSameProcess({...identity, startTime: identity.startTime - 5_000}, backend)).toBe(false)
    expect(await isSameProcess({...identity, uid: (identity.uid ?? 0) + 1}, backend)).toBe(false)
  })

  it('reads the same command line and start time by PID as in the process list, call after call', async () => {
    const child = await startIdle(['two  spaces', 'caf\u00e9'])
    const byPid = await backend.processInfo(child.pid)
    const listed = (await backend.listProcesses()).find((info) => info.pid === child.pid)
    const again = await backend.processInfo(child.pid)
    expect(byPid).toBeDefined()
    expect(listed).toEqual(byPid)
    expect(again).toEqual(byPid)
    const recorded = {...(byPid as ProcessInfo), bootId: null}
    expect(matchesIdentity(recorded, listed as ProcessInfo, backend.bootId())).toBe(true)
  })

  it('knows no process for a PID that is not one', async () => {
    expect(await backend.processInfo(0)).toBeUndefined()
    expect(await backend.processInfo(-1)).toBeUndefined()
    expect(await backend.processInfo(2 ** 22 + 1)).toBeUndefined()
  })
})

describe('the portable backend: descendants and states', () => {
  it('lists a child under its parent', async () => {
    const child = await startIdle()
    const children = (await backend.listProcesses()).filter((info) => info.ppid === process.pid)
    expect(children.map((info) => info.pid)).toContain(child.pid)
  })

  it('tells a stopped process, and one that is running again', async () => {
    const child = await startIdle()
    const inState = (state: ProcessInfo['state']) => async () =>
      (await backend.processInfo(child.pid))?.state === state ? true : undefined
    child.kill('SIGSTOP')
    await until(inState('stopped'), 'SIGSTOP to show')
    child.kill('SIGCONT')
    await until(inState('running'), 'SIGCONT to show')
  })

  it('counts a zombie as gone: its state says so, it has no identity and matches no record', async () => {
    // Given a shell that starts a short job, then becomes a sleep that never reaps it
    const shell = spawn('sh', ['-c', 'sleep 0.01 & exec sleep 60'], {stdio: 'ignore'})
    started.push(shell)
    await once(shell, 'spawn')

    // When the job has exited
    const isZombieJob = (found: ProcessInfo) => found.ppid === shell.pid && found.state === 'zombie'
    const zombie = await until(async () => (await backend.listProcesses()).find(isZombieJob), 'the zombie')

    // Then it is a zombie by PID too, and never the process a record names
    const info = await backend.processInfo(zombie.pid)
    expect(info?.state).toBe('zombie')
    expect(await identityOf(zombie.pid, backend)).toBeUndefined()
    expect(await isSameProcess({...zombie, bootId: null}, backend)).toBe(false)
  })

  it('has nothing for a process that exited and was reaped', async () => {
    const child = await startIdle()
    const identity = await identityOf(child.pid, backend)
    child.kill('SIGTERM')
    await once(child, 'exit')
    expect(identity).toBeDefined()
    expect(await backend.processInfo(child.pid)).toBeUndefined()
    if (identity) expect(await isSameProcess(identity, backend)).toBe(false)
  })
})

describe('the portable backend: ports and usage', () => {
  it.each(['127.0.0.1', '::1'])('finds the listener on %s, and filters by the PIDs asked about', async (host) => {
    const port = await listen(host)
    const owners = await backend.portOwners(port)
    expect(owners.map((owner) => owner.pid)).toEqual([process.pid])
    expect(owners[0]?.command).toMatch(/node/)
    expect(await backend.portOwners(port, [process.pid])).toHaveLength(1)
    expect(await backend.portOwners(port, [process.ppid])).toEqual([])
  })

  it('finds no owner for a port nobody listens on', async () => {
    const port = await listen('127.0.0.1')
    await new Promise((resolve) => servers.pop()?.close(resolve))
    expect(await backend.portOwners(port)).toEqual([])
  })

  it('gives CPU and memory in numbers for a live process, and nulls for a gone one', async () => {
    const child = await startIdle()
    const usage = await backend.usage(child.pid)
    expect(typeof usage.cpu).toBe('number')
    expect(usage.cpu).toBeGreaterThanOrEqual(0)
    expect(usage.memoryBytes).toBeGreaterThan(1024 * 1024)
    child.kill('SIGKILL')
    await once(child, 'exit')
    expect(await backend.usage(child.pid)).toEqual({cpu: null, memoryBytes: null})
  })
})

describe('parsePsLine', () => {
  it('reads Linux procps and macOS ps lines alike', () => {
    const command = '/usr/bin/node /srv/dist/server.cjs'
    const linux = parsePsLine(`  4242     1  1000 Sl   Mon Nov 30 04:44:34 2026 ${command}`)
    expect(linux).toMatchObject({pid: 4242, ppid: 1, uid: 1000, state: 'running', command})
    expect(linux?.startTime).toBe(new Date('Mon Nov 30 04:44:34 2026').getTime())
    const mac = parsePsLine('  501   312   501 T    Tue Dec  1 09:05:07 2026     node  x.js')
    expect(mac).toMatchObject({pid: 501, ppid: 312, uid: 501, state: 'stopped', command: 'node  x.js'})
    expect(parsePsLine('  77  76  0 Z+   Tue Dec  1 09:05:07 2026 [sleep] <defunct>')?.state).toBe('zombie')
    expect(parsePsLine('')).toBeUndefined()
    expect(parsePsLine('  77  76  0 S   yesterday node')).toBeUndefined()
  })
})
