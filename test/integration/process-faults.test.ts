// Issue 10, points 1-5 and 10, through the built CLI with real processes: faults injected into the
// real API by a preload (test/fixtures/fault-preload.cjs), into its state area by the test, and
// every kill() of the CLI recorded (test/fixtures/kill-recorder.cjs). What is asserted is what a
// user sees: status --json, stop --json, exit codes, and whether the processes really still run.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, readlinkSync} from 'node:fs'
import {mkdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {ErrorDocument} from '../../src/core/errors.js'
import {VARIABLES} from '../../src/core/config/schema.js'
import {identityOf, type ProcessIdentity} from '../../src/core/process/identity.js'
import {currentPlatform} from '../../src/core/process/platform/index.js'
import {isPortOpen} from '../../src/core/process/port-probe.js'
import type {ServiceState} from '../../src/core/process/state.js'
import type {ServiceStatus, StartedService, StoppedService, UnifiedResult} from '../../src/services/services.js'
import {CLI, REPO_ROOT, createTempProject, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'

const FAULT_PRELOAD = join(REPO_ROOT, 'test', 'fixtures', 'fault-preload.cjs')
const KILL_RECORDER = join(REPO_ROOT, 'test', 'fixtures', 'kill-recorder.cjs')
const SUPERVISOR_COMMAND = `${process.execPath} ${join(REPO_ROOT, 'dist', 'supervisor.cjs')}`

let project: TempProject
let port: number
let env: Record<string, string>
/** Processes the test started itself (decoys, foreign servers, CLIs in the foreground): killed after each test. */
let helpers: ChildProcess[]
/** What a test changed outside its project folder (a mount, a tmux server): undone after each test, first. */
let undo: Array<() => void>

beforeEach(async () => {
  project = await createTempProject()
  port = await freePort()
  env = {API_PORT: String(port)}
  helpers = []
  undo = []
  const setup = await project.run(['setup-project', '--skip-install'])
  expect(setup.exitCode, setup.stderr).toBe(0)
})

afterEach(async () => {
  for (const step of undo.reverse()) step()
  for (const helper of helpers) if (helper.exitCode === null && helper.signalCode === null) helper.kill('SIGKILL')
  await project.run(['stop', '--timeout', '3'], {env}).catch(() => undefined)
  // Whatever of this project still runs (a test that failed half-way): every one of them was started here.
  for (const leftover of projectProcesses()) {
    try {
      process.kill(leftover.pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
  await project.cleanup()
})

// ---------------------------------------------------------------------------------------------
// What the user sees

type Env = Record<string, string>

const api = async (extraEnv: Env = {}, args: string[] = []): Promise<ServiceStatus | undefined> => {
  const result = await project.run<{services: ServiceStatus[]}>(['status', ...args, '--json'], {
    env: {...env, ...extraEnv},
  })
  return result.json?.services.find((service) => service.name === 'api')
}

/** Polls `status --json` until the API's entry passes `accept`. */
function apiUntil(what: string, accept: (status: ServiceStatus) => boolean, timeoutMs?: number, extraEnv: Env = {}) {
  const answered = (status: ServiceStatus | undefined) => status !== undefined && accept(status)
  return until(what, () => api(extraEnv), answered, timeoutMs) as Promise<ServiceStatus>
}

async function start(extraEnv: Env = {}): Promise<StartedService & {pid: number}> {
  const started = await project.run<{services: StartedService[]}>(['start', 'api', '--json'], {
    env: {...env, ...extraEnv},
    timeoutMs: 40_000,
  })
  expect(started.exitCode, `start failed:\n${started.stderr}`).toBe(0)
  const service = started.json?.services.find((entry) => entry.name === 'api')
  expect(service?.pid, `start named no PID:\n${started.stdout}`).toBeTypeOf('number')
  return service as StartedService & {pid: number}
}

const stop = (args: string[] = [], extraEnv: Env = {}) =>
  project.run<{services: StoppedService[]}>(['stop', ...args, '--json'], {env: {...env, ...extraEnv}})

/** The environment that makes the API misbehave: see test/fixtures/fault-preload.cjs. */
const fault = (faults: string, more: Env = {}) => ({
  NODE_OPTIONS: `--require ${FAULT_PRELOAD}`,
  STORYBOOK_FAULT: faults,
  ...more,
})

const stateFile = () => join(project.stateDir, 'run', 'api.json')
const readState = async () => JSON.parse(await readFile(stateFile(), 'utf8')) as ServiceState

async function writeState(fields: Partial<ServiceState>): Promise<void> {
  const state: ServiceState = {
    service: 'api',
    supervisor: deadIdentity(),
    processGroup: null,
    child: null,
    childStartedAt: null,
    command: `${process.execPath} --enable-source-maps ${join(REPO_ROOT, 'dist', 'server.cjs')}`,
    port,
    mode: 'background',
    restarts: 0,
    startedAt: new Date().toISOString(),
    status: 'running',
    lastExit: null,
    reason: null,
    ...fields,
  }
  await mkdir(join(project.stateDir, 'run'), {recursive: true})
  await writeFile(stateFile(), JSON.stringify(state))
}

/** Polls until `done` accepts what `probe` returns; fails naming what was awaited and what was seen last. */
async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (done(value)) return value
    if (Date.now() > deadline) {
      throw new Error(`Waited ${timeoutMs / 1000} s for ${what}; last seen: ${JSON.stringify(value)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// ---------------------------------------------------------------------------------------------
// What really runs, as the kernel says

const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()

/** The kernel's view of a process (undefined when it is gone or only a zombie). */
function procInfo(pid: number): (ProcessIdentity & {pgid: number; state: string}) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const state = fields[0] ?? '?'
    if (state === 'Z' || state === 'X') return undefined
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    const startTime = Number(fields[19]) // field 22 of stat: start time in clock ticks since boot
    return {pid, startTime, clock: 'boot-ticks', bootId: bootId(), command, uid, pgid: Number(fields[2]), state}
  } catch {
    return undefined
  }
}

/** Each thread of the process as TID:STATE (R running, S sleeping, D in the kernel, T stopped, Z exited). */
function threadStates(pid: number): string {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .map((task) => {
        const stat = readIfThere(`/proc/${pid}/task/${task}/stat`)
        return `${task}:${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]}`
      })
      .join(' ')
  } catch {
    return 'none'
  }
}

/** The process is gone: none of its threads runs (a zombie leader whose threads still exit holds its sockets). */
function expectGone(pid: number, what: string): void {
  expect(isAlive(pid), `${what} (PID ${pid}) still runs; its threads: ${threadStates(pid)}`).toBe(false)
}

/**
 * Whether any thread of the process still runs: a thread-group leader shows as a zombie while its other
 * threads are still exiting, and until the last one has, its descriptors (a listening socket) stay open.
 */
function isAlive(pid: number): boolean {
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return false
  }
  return tasks.some((task) => {
    const stat = readIfThere(`/proc/${pid}/task/${task}/stat`)
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return stat !== '' && state !== 'Z' && state !== 'X'
  })
}

/** The backend the CLI under test uses (the services-portable pass forces the portable one). */
const activeBackend = currentPlatform(process.env).processes

/** What a state file records of a live process, as the CLI's own backend measures it: everything that proves who it is. */
async function identity(pid: number): Promise<ProcessIdentity> {
  const found = await identityOf(pid, activeBackend)
  if (!found) throw new Error(`PID ${pid} does not run`)
  return found
}

/** A process that is not running, recorded with a start time that no process has. */
function deadIdentity(): ProcessIdentity {
  let pid = 32_000
  while (existsSync(`/proc/${pid}`)) pid--
  const clock = activeBackend.name === 'proc' ? 'boot-ticks' : 'epoch-ms'
  return {pid, startTime: 1, clock, bootId: activeBackend.bootId(), command: SUPERVISOR_COMMAND, uid: 0}
}

/** Every live process whose working directory is this project: the supervisor, the API, what the API started. */
function projectProcesses(): Array<{pid: number; command: string}> {
  const found: Array<{pid: number; command: string}> = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`)
      if (cwd !== project.root && !cwd.startsWith(`${project.root}/`)) continue
    } catch {
      continue
    }
    const info = procInfo(Number(entry))
    if (info) found.push({pid: info.pid, command: info.command})
  }
  return found
}

/** A file's text, or '' when it is not there (rotated away meanwhile). */
function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

const portIsFree = async () => !(await isPortOpen('127.0.0.1', port)) && !(await isPortOpen('::1', port))

/** Who listens on the port, with the state of each of their threads: for failure messages. */
function describePortHolders(): string {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readIfThere(table).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const local = Number.parseInt(fields[1]?.split(':').at(-1) ?? '', 16)
      if (local === port && fields[3] === '0A' && fields[9]) inodes.add(fields[9])
    }
  }
  const holders: string[] = []
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let descriptors: string[]
    try {
      descriptors = readdirSync(`/proc/${entry}/fd`)
    } catch {
      continue
    }
    const holds = descriptors.some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`))?.[1] ?? '')
      } catch {
        return false
      }
    })
    if (!holds) continue
    const command = readIfThere(`/proc/${entry}/cmdline`).replaceAll('\0', ' ').trim()
    holders.push(`PID ${entry} (${command}; threads ${threadStates(Number(entry))})`)
  }
  return `${inodes.size} listening socket(s), held by ${holders.join(', ') || 'no process found'}`
}

/** The port is free: nothing listens on it, on IPv4 or IPv6 loopback. */
async function expectPortFree(what = ''): Promise<void> {
  const free = await portIsFree()
  expect(free, free ? undefined : `${what}port ${port} is still held: ${describePortHolders()}`).toBe(true)
}

const healthAnswers = async (onPort = port) => {
  try {
    return (await fetch(`http://127.0.0.1:${onPort}/health`, {signal: AbortSignal.timeout(2_000)})).ok
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------
// Processes of the test's own

/** A server storybook did not start, answering 200 to everything (so /health too), on one address only. */
async function foreignServer(host: string): Promise<ChildProcess & {pid: number}> {
  const code =
    'require(\'node:http\').createServer((request, response) => response.end(\'{"status":"ok"}\'))' +
    `.listen(${port}, '${host}', () => console.log('listening'))`
  const child = spawn(process.execPath, ['-e', code, 'foreign-server'], {stdio: ['ignore', 'pipe', 'inherit']})
  helpers.push(child)
  await new Promise((resolve, reject) => {
    child.stdout?.once('data', resolve)
    child.once('exit', (code) => reject(new Error(`the foreign server on [${host}]:${port} exited with ${code}`)))
  })
  return child as ChildProcess & {pid: number}
}

/** A tmux server of this test's own (its socket in the project), and the TMUX value that points the CLI at it. */
function privateTmux(): {TMUX: string} {
  const socket = join(project.root, 'tmux.sock')
  execFileSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'storybook-faults', '-x', '120', '-y', '30'])
  undo.push(() => execFileSync('tmux', ['-S', socket, 'kill-server']))
  const serverPid = execFileSync('tmux', ['-S', socket, 'display-message', '-p', '#{pid}'], {encoding: 'utf8'}).trim()
  return {TMUX: `${socket},${serverPid},0`}
}

/** The environment in which runCli runs the CLI, for a CLI this test runs in the foreground itself. */
function cliEnv(extra: Env): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {...process.env}
  const scrubbed = [...VARIABLES.map((variable) => variable.key), 'NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'CI', 'TERM']
  for (const key of scrubbed) delete base[key]
  return {...base, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, ...env, ...extra}
}

/** `storybook <args>` in the foreground, its output collected. */
function spawnCli(args: string[], extra: Env = {}, options: {detached?: boolean} = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: project.root,
    env: cliEnv(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  })
  helpers.push(child)
  const output = {stdout: '', stderr: ''}
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})),
  )
  return {child, output, exited}
}

// Every kill() a CLI command makes, recorded by a preload (see test/fixtures/kill-recorder.cjs).
interface RecordedKill {
  by: number
  script: string | null
  target: number
  signal: string | number
  refused: boolean
}

/** The environment that records every kill() of a CLI command (never sending those to `block`), and the record. */
function recordKills(block: number[] = []) {
  const file = join(project.root, `kills-${Math.random().toString(36).slice(2)}.jsonl`)
  return {
    env: {NODE_OPTIONS: `--require ${KILL_RECORDER}`, STORYBOOK_KILL_LOG: file, STORYBOOK_KILL_BLOCK: block.join(',')},
    read: (): RecordedKill[] =>
      readIfThere(file)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedKill),
  }
}

/** This project's processes now, and whether each leads its process group. */
const ourProcesses = () => projectProcesses().map(({pid}) => ({pid, leader: procInfo(pid)?.pgid === pid}))

/** No kill() at PID 1 or below, none at a process not of this project, a negative (group) one only at a leader. */
function expectOnlyOurTargets(kills: RecordedKill[], ours: Array<{pid: number; leader: boolean}>): void {
  for (const kill of kills) {
    const target = Number(kill.target)
    const call = `kill(${kill.target}, ${kill.signal})`
    expect(Math.abs(target), `${call} names PID 1 or below`).toBeGreaterThan(1)
    const owner = ours.find((candidate) => candidate.pid === Math.abs(target))
    expect(owner, `${call} names a process storybook did not start`).toBeDefined()
    if (target < 0) expect(owner?.leader, `${call}: PID ${-target} leads no group`).toBe(true)
  }
}

// ---------------------------------------------------------------------------------------------

describe('1. a state file is a claim, never a licence to signal', () => {
  it('never signals PID 1, recorded with its real identity as supervisor or API (stop, diagnose --fix)', async () => {
    const init = await identity(1)
    const kills = recordKills()
    for (const record of [
      {supervisor: init, processGroup: 1, child: null},
      {supervisor: deadIdentity(), processGroup: null, child: init},
    ]) {
      const role = record.child ? 'the API' : 'the supervisor'
      await writeState(record)
      // Soft: what is told may be wrong while nothing is signalled, which is asserted at the end in any case.
      const seen = await api()
      expect.soft(seen?.state, `status of a record naming PID 1 as ${role}`).toBe('stale')
      expect.soft(seen?.pid, `status of a record naming PID 1 as ${role}`).not.toBe(1)

      const stopped = await stop(['--timeout', '2'], kills.env)
      expect.soft(stopped.exitCode, stopped.stderr).toBe(0)
      expect
        .soft(stopped.json?.services[0], `stop of a record naming PID 1 as ${role}`)
        .toMatchObject({name: 'api', found: 'stale', pid: null, killed: false})
      expect.soft(existsSync(stateFile())).toBe(false)

      await writeState(record)
      const fixed = await project.run(['diagnose', '--fix', '--yes', '--json'], {
        env: {...env, ...kills.env},
        timeoutMs: 60_000,
      })
      expect(fixed.json, fixed.stderr).toBeDefined()
    }
    expect(kills.read()).toEqual([])
    // The same process, never restarted. The portable backend derives a start time from the wall clock
    // minus the process's age, which moves when the clock is stepped (it did by 17 s on a CI VM).
    const after = await identity(1)
    expect({...after, startTime: 0}).toEqual({...init, startTime: 0})
    const drift = Math.abs(after.startTime - init.startTime)
    expect(drift).toBeLessThanOrEqual(after.clock === 'epoch-ms' ? 60_000 : 0)
  }, 90_000)

  it('never signals a live process whose start time matches the record but whose command line does not', async () => {
    const decoy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'decoy'], {
      stdio: 'ignore',
      detached: true, // it leads a group: a group signal would reach it
    })
    helpers.push(decoy)
    const pid = decoy.pid as number
    await until(
      'the decoy to run',
      () => procInfo(pid)?.command ?? '',
      (command) => command.includes('decoy'),
    )
    const real = await identity(pid)
    // Right PID, start time, boot and user: only the command line says that this is not ours.
    const asSupervisor = {...real, command: `${SUPERVISOR_COMMAND} {"service":"api"}`}
    const asApi = {...real, command: `${process.execPath} --enable-source-maps dist/server.cjs`}
    const kills = recordKills([pid])
    for (const record of [
      {supervisor: asSupervisor, processGroup: pid, child: null},
      {supervisor: deadIdentity(), processGroup: null, child: asApi},
    ]) {
      await writeState(record)
      expect((await api())?.state).toBe('stale')
      const stopped = await stop(['--timeout', '2'], kills.env)
      expect(stopped.exitCode, stopped.stderr).toBe(0)
      expect(stopped.json?.services[0]).toMatchObject({name: 'api', found: 'stale', pid: null})
      await writeState(record)
      await project.run(['diagnose', '--fix', '--yes', '--json'], {env: {...env, ...kills.env}, timeoutMs: 60_000})
    }
    const aimed = (kill: RecordedKill) => Math.abs(Number(kill.target))
    expect(kills.read().filter((kill) => aimed(kill) === pid || aimed(kill) <= 1)).toEqual([])
    expect(await identity(pid)).toEqual(real)
    expect(decoy.exitCode).toBeNull()
  }, 90_000)
})

describe('2. stop finishes the job', () => {
  it('stop --timeout 2 of an API that ignores SIGTERM: exit 0 only once it is gone, port free, stopped', async () => {
    const started = await start(fault('ignore-term'))
    const {supervisor} = await readState()
    const ours = ourProcesses()
    const kills = recordKills()
    const stopped = await stop(['--timeout', '2'], kills.env)
    if (stopped.exitCode === 0) {
      expectGone(started.pid, 'stop exited 0, but the API')
    } else {
      expect(stopped.stderr, 'a stop that cannot finish names what survived').toContain(`PID ${started.pid}`)
    }
    expect(stopped.exitCode, stopped.stderr).toBe(0) // SIGKILL after the timeout leaves nothing to survive
    expect(stopped.json?.services[0]).toMatchObject({name: 'api', found: 'running', pid: started.pid, killed: true})
    expectGone(supervisor.pid, 'the supervisor')
    await expectPortFree()
    expect((await api())?.state).toBe('stopped')
    expect(projectProcesses()).toEqual([])
    expectOnlyOurTargets(kills.read(), ours)
  }, 60_000)

  it('stop --timeout 2 with a hung (SIGSTOPped) supervisor stops the API and the supervisor', async () => {
    const started = await start()
    const {supervisor} = await readState()
    process.kill(supervisor.pid, 'SIGSTOP')
    await until(
      'the supervisor to be stopped',
      () => procInfo(supervisor.pid)?.state,
      (state) => state === 'T',
    )
    const ours = ourProcesses()
    const kills = recordKills()
    const stopped = await stop(['--timeout', '2'], kills.env)
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    expect(stopped.json?.services[0]).toMatchObject({name: 'api', found: 'running', pid: started.pid})
    expectGone(started.pid, 'the API')
    expectGone(supervisor.pid, 'the supervisor')
    await expectPortFree()
    expect((await api())?.state).toBe('stopped')
    expect(projectProcesses()).toEqual([])
    expectOnlyOurTargets(kills.read(), ours)
  }, 60_000)

  it('a grandchild that ignores SIGTERM and holds the listening socket does not survive stop', async () => {
    // In the API's process group, then in a session of its own (out of reach of any group signal).
    const variants = ['grandchild,grandchild-ignores-term', 'grandchild,grandchild-ignores-term,grandchild-detached']
    for (const faults of variants) {
      const started = await start(fault(faults))
      const grandchild = await until(
        `the grandchild of ${faults}`,
        () => projectProcesses().find((entry) => entry.command.includes('fault-grandchild')),
        (found) => found !== undefined,
      )
      const grandchildPid = grandchild?.pid as number
      const socket = readlinkSync(`/proc/${grandchildPid}/fd/3`)
      expect(socket, 'the grandchild holds the listening socket').toMatch(/^socket:/)
      const ours = ourProcesses()
      const kills = recordKills()
      const stopped = await stop(['--timeout', '2'], kills.env)
      expect(stopped.exitCode, `${faults}: ${stopped.stderr}`).toBe(0)
      expect(stopped.json?.services[0]).toMatchObject({found: 'running', pid: started.pid})
      expectGone(grandchildPid, `${faults}: the grandchild`)
      await expectPortFree(`${faults}: `)
      expect((await api())?.state).toBe('stopped')
      expect(projectProcesses()).toEqual([])
      expectOnlyOurTargets(kills.read(), ours)
    }
  }, 90_000)

  it('starts a service whose grandchild inherited the listening socket, every time', async () => {
    for (let round = 1; round <= 4; round++) {
      const started = await project.run<{services: StartedService[]}>(['start', 'api', '--json'], {
        env: {...env, ...fault('grandchild')},
        timeoutMs: 40_000,
      })
      expect(started.exitCode, `round ${round}: ${started.stderr}`).toBe(0)
      const pid = started.json?.services[0]?.pid as number
      expect(procInfo(pid)?.command, 'start names the API, not its grandchild').toMatch(/dist\/server\.cjs$/)
      expect(await api()).toMatchObject({state: 'running', pid, health: {ok: true}})
      const stopped = await stop(['--timeout', '5'])
      expect(stopped.exitCode, `round ${round}: ${stopped.stderr}`).toBe(0)
      await expectPortFree(`round ${round}: `)
      expect(projectProcesses()).toEqual([])
    }
  }, 150_000)
})

describe('3. a supervisor that survives its state area', () => {
  it('survives the deletion of the live log and the next rotation, and the API keeps answering', async () => {
    const started = await start(fault('flood', {STORYBOOK_FAULT_FLOOD_BYTES: '500000', LOG_MAX_BYTES: '100000'}))
    const {supervisor} = await readState()
    const log = join(project.stateDir, 'log', 'api.log')
    await until('a first rotation', () => existsSync(`${log}.1`), Boolean)
    await rm(log)
    // Requests after the deletion leave their mark in the log; once one is in a rotated file, a rotation followed
    // the deletion. (Lines written before the supervisor notices the deletion go to the deleted file: sent again.)
    const marker = `/after-the-log-was-deleted-${Date.now()}`
    const rotated = async () => {
      await fetch(`http://127.0.0.1:${port}${marker}`).catch(() => undefined)
      return [1, 2, 3, 4, 5].some((generation) => readIfThere(`${log}.${generation}`).includes(marker))
    }
    await until('a rotation of the log written after the deletion', rotated, Boolean, 30_000)
    expect(isAlive(supervisor.pid), 'the supervisor died of the deleted log').toBe(true)
    expect(isAlive(started.pid), 'the API died with its supervisor').toBe(true)
    expect(await healthAnswers()).toBe(true)
    expect(await api()).toMatchObject({state: 'running', pid: started.pid, restarts: 0})
    expect(existsSync(log)).toBe(true)
  }, 60_000)

  it('keeps the service running on a full disk (the log is /dev/full) and reports the dropped lines', async () => {
    const started = await start(fault('flood', {STORYBOOK_FAULT_FLOOD_BYTES: '200000'}))
    const {supervisor} = await readState()
    const log = join(project.stateDir, 'log', 'api.log')
    await rm(log)
    await symlink('/dev/full', log) // every write: ENOSPC
    const dropped = (status: ServiceStatus) => (status.logDropped?.lines ?? 0) >= 500
    const seen = await apiUntil('status to report dropped log lines', dropped)
    expect(seen).toMatchObject({state: 'running', pid: started.pid, restarts: 0, logDropped: {error: 'ENOSPC'}})
    expect(isAlive(supervisor.pid), 'the supervisor died of ENOSPC').toBe(true)
    expect(await healthAnswers()).toBe(true)
  }, 60_000)

  it('keeps supervising with a read-only run/: restarts a crashed API, says its record may lag', async (context) => {
    const started = await start()
    const {supervisor} = await readState()
    const run = join(project.stateDir, 'run')
    try {
      // chmod does not stop root; a read-only bind mount does (EROFS).
      execFileSync('mount', ['--bind', run, run], {stdio: 'ignore'})
    } catch {
      context.skip()
    }
    undo.push(() => execFileSync('umount', ['-l', run]))
    execFileSync('mount', ['-o', 'remount,bind,ro', run])
    await expect(writeFile(join(run, 'probe'), '')).rejects.toThrow(/EROFS/)

    process.kill(started.pid, 'SIGKILL')
    const restarted = (status: ServiceStatus) => status.state === 'running' && status.pid !== started.pid
    const seen = await apiUntil('the API to run again', restarted)
    expect(isAlive(supervisor.pid), 'the supervisor died of its read-only run/').toBe(true)
    expect(seen.reason).toMatch(/not writable/)
    expect(await healthAnswers()).toBe(true)
  }, 60_000)
})

describe('4. status is the truth', () => {
  /** Garbage where the SQLite database is: the API cannot open it any more (SQLITE_NOTADB). */
  async function corruptDatabase(): Promise<void> {
    const file = join(project.stateDir, 'data', 'storybook.db')
    expect(existsSync(file), `no database at ${file}`).toBe(true)
    for (const suffix of ['-wal', '-shm']) await rm(`${file}${suffix}`, {force: true})
    await writeFile(file, 'this is not a database\n'.repeat(400))
  }

  it('a foreign server answering /health during a crash loop is not running', async () => {
    const started = await start()
    await corruptDatabase()
    process.kill(started.pid, 'SIGKILL')
    await until('the port to be free', portIsFree, Boolean)
    const foreign = await foreignServer('127.0.0.1')
    expect(await healthAnswers()).toBe(true)
    const seen: ServiceStatus[] = []
    await apiUntil(
      'the supervisor to give up',
      (status) => {
        seen.push(status)
        return status.state === 'crashed'
      },
      60_000,
    )
    const looping = seen.filter((status) => status.state !== 'crashed')
    expect(looping.length, 'status was never asked during the crash loop').toBeGreaterThan(0)
    for (const status of seen) {
      expect(status.state, `status during the crash loop: ${JSON.stringify(status)}`).not.toBe('running')
      expect(status.pid).not.toBe(foreign.pid)
    }
  }, 90_000)

  it('a SIGSTOPped API is restarted by the health check of its supervisor', async () => {
    const fastCheck = {HEALTHCHECK_INTERVAL_MS: '500', HEALTHCHECK_RETRIES: '2'}
    const started = await start(fastCheck)
    // Until its first healthy answer the supervisor lets a booting API be (20 s): first let it see one.
    const upFor = (await api(fastCheck))?.uptimeMs ?? 0
    await apiUntil('two health checks of the supervisor', (status) => (status.uptimeMs ?? 0) >= upFor + 1_200)
    process.kill(started.pid, 'SIGSTOP')
    const seen = await apiUntil(
      'a new API process, healthy',
      (status) => status.state === 'running' && status.pid !== started.pid && status.health.ok,
      20_000,
      fastCheck,
    )
    expect(seen.restarts).toBeGreaterThanOrEqual(1)
    expectGone(started.pid, 'the SIGSTOPped API')
  }, 60_000)

  it('a foreign server on [::1] only shows as external', async () => {
    const foreign = await foreignServer('::1')
    const seen = await api()
    expect(seen).toMatchObject({state: 'external', pid: foreign.pid})
    expect(seen?.command).toContain('foreign-server')
  })

  it('uptime counts from the current API process, not from its supervisor', async () => {
    const started = await start()
    await apiUntil('an uptime of a second', (status) => (status.uptimeMs ?? 0) >= 1_000)
    const killedAt = Date.now()
    process.kill(started.pid, 'SIGKILL')
    const restarted = (status: ServiceStatus) => status.state === 'running' && status.pid !== started.pid
    const seen = await apiUntil('the restarted API', restarted)
    expect(seen.uptimeMs).toBeTypeOf('number')
    expect(seen.uptimeMs as number).toBeLessThanOrEqual(Date.now() - killedAt + 10)
  }, 60_000)

  it('the crash reason of a corrupt database names SQLITE_NOTADB', async () => {
    const started = await start()
    const {supervisor} = await readState()
    await corruptDatabase()
    process.kill(started.pid, 'SIGKILL')
    const seen = await apiUntil('the supervisor to give up', (status) => status.state === 'crashed', 60_000)
    expect(seen.reason).toContain('SQLITE_NOTADB')
    await until(
      'the supervisor to exit',
      () => isAlive(supervisor.pid),
      (alive) => !alive,
      5_000,
    )
  }, 90_000)
})

describe('5. the modes and the smaller promises', () => {
  it('stops an orphaned --use-ide-terminal service (its CLI killed with -9), naming its PID', async () => {
    // detached: its own process group, as a shell gives a job
    const ide = spawnCli(['start', 'api', '--use-ide-terminal'], {}, {detached: true})
    const running = await apiUntil('the IDE-mode API', (status) => status.state === 'running' && status.mode === 'ide')
    process.kill(ide.child.pid as number, 'SIGKILL')
    await ide.exited
    const apiPid = running.pid as number
    expect(isAlive(apiPid)).toBe(true)
    const stopped = await project.run(['stop', 'api', '--timeout', '5'], {env})
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    expect(stopped.stdout).toContain(`PID ${apiPid}`)
    expect(stopped.stdout).toMatch(/stopped/)
    expect(stopped.stdout).not.toMatch(/not running/)
    expectGone(apiPid, 'the orphaned API')
    await expectPortFree()
  }, 60_000)

  it('reports a crash loop outlasting the readiness deadline with its reason, leaving nothing running', async () => {
    // Each API process lives 6 s and never listens: the 20 s readiness deadline passes before its supervisor
    // gives up.
    const failed = await project.run<ErrorDocument>(['start', 'api', '--json'], {
      env: {...env, ...fault('crash-before-listen', {STORYBOOK_FAULT_CRASH_MS: '6000'})},
      timeoutMs: 90_000,
    })
    expect(failed.exitCode).toBe(7)
    expect(failed.json?.error.message).toContain('injected fault: the API crashed before listening')
    expect(projectProcesses()).toEqual([])
    expect(['stopped', 'crashed']).toContain((await api())?.state)
  }, 120_000)

  it('--separate-terminals starts fine after a crash record of an earlier run', async () => {
    // An address that is not on this machine: the API exits at once, every time, until the supervisor gives up.
    const failed = await project.run(['start', 'api', '--json'], {
      env: {...env, API_HOST: '192.0.2.1'},
      timeoutMs: 60_000,
    })
    expect(failed.exitCode).toBe(7)
    expect((await api())?.state).toBe('crashed')
    const tmuxEnv = {...env, ...privateTmux()}
    const started = await project.run(['start', 'api', '--separate-terminals', '--json'], {
      env: tmuxEnv,
      timeoutMs: 40_000,
    })
    expect(started.exitCode, started.stderr).toBe(0)
    expect(await api()).toMatchObject({state: 'running', mode: 'terminal'})
    const stopped = await stop(['--timeout', '5'])
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    await expectPortFree()
  }, 120_000)

  it('restart keeps a --separate-terminals service in a terminal window', async () => {
    const tmuxEnv = {...env, ...privateTmux()}
    const started = await project.run(['start', 'api', '--separate-terminals', '--json'], {
      env: tmuxEnv,
      timeoutMs: 40_000,
    })
    expect(started.exitCode, started.stderr).toBe(0)
    const before = await api()
    expect(before).toMatchObject({state: 'running', mode: 'terminal'})
    const restarted = await project.run(['restart', '--json'], {env: tmuxEnv, timeoutMs: 60_000})
    expect(restarted.exitCode, restarted.stderr).toBe(0)
    const after = await api()
    expect(after).toMatchObject({state: 'running', mode: 'terminal'})
    expect(after?.pid).not.toBe(before?.pid)
  }, 120_000)

  it('stop --force clears a stale record and stops a foreign holder in one run', async () => {
    await writeState({supervisor: deadIdentity(), processGroup: null})
    const holder = await foreignServer('127.0.0.1')
    const forced = await stop(['api', '--force', '--timeout', '2'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(forced.json?.services).toHaveLength(1)
    expect(forced.json?.services[0]).toMatchObject({name: 'api', found: 'external', pid: holder.pid})
    await until('the holder to exit', () => holder.exitCode !== null || holder.signalCode !== null, Boolean, 5_000)
    await expectPortFree()
    expect(existsSync(stateFile())).toBe(false)
    expect((await api())?.state).toBe('stopped')
  })

  it('start --unified-mode --json prints one JSON document on stdout when stopped by SIGTERM', async () => {
    const unified = spawnCli(['start', 'api', '--unified-mode', '--json'])
    await apiUntil('unified mode to run', (status) => status.state === 'running' && status.mode === 'unified')
    unified.child.kill('SIGTERM')
    expect(await unified.exited).toEqual({code: 0, signal: null})
    const {stdout} = unified.output
    let document: UnifiedResult | undefined
    expect(() => (document = JSON.parse(stdout) as UnifiedResult), `stdout:\n${stdout}`).not.toThrow()
    expect(document).toMatchObject({exitCode: 0, services: [{name: 'api', crashed: false}]})
  }, 60_000)

  it('unified mode prints a restart line when the API crashes', async () => {
    const unified = spawnCli(['start', 'api', '--unified-mode'], {NO_COLOR: '1'})
    const unifiedRuns = (status: ServiceStatus) => status.state === 'running' && status.mode === 'unified'
    const running = await apiUntil('unified mode to run', unifiedRuns)
    process.kill(running.pid as number, 'SIGKILL')
    const printed = () => unified.output.stdout + unified.output.stderr
    await until('a restart line', printed, (text) => /^api +\| .*restarting/m.test(text))
    expect(printed()).toMatch(/^api +\| .*signal SIGKILL.*restarting/m)
    const restarted = (status: ServiceStatus) => status.state === 'running' && status.pid !== running.pid
    await apiUntil('the restarted API', restarted).catch((error: Error) => {
      throw new Error(`${error.message}\nUnified mode printed:\n${printed()}\nState file: ${readIfThere(stateFile())}`)
    })
    unified.child.kill('SIGTERM')
    expect((await unified.exited).code).toBe(0)
  }, 90_000)
})

describe('10. what status, start, restart and stop tell', () => {
  it('status shows readiness not ok after db rollback while health is ok', async () => {
    await start()
    // --force: the API is stopped for the rollback and started again on the rolled-back database
    const rolledBack = await project.run(['db', 'rollback', '--force', '--json'], {env, timeoutMs: 60_000})
    expect(rolledBack.exitCode, rolledBack.stderr).toBe(0)
    expect(await api()).toMatchObject({state: 'running', health: {ok: true}, ready: {ok: false, status: 503}})
    const table = await project.run(['status'], {env})
    expect(table.stdout).toMatch(/not ready \(503\)/)
  }, 60_000)

  it('start api api starts one API and lists it once', async () => {
    const started = await project.run<{services: StartedService[]}>(['start', 'api', 'api', '--json'], {
      env,
      timeoutMs: 40_000,
    })
    expect(started.exitCode, started.stderr).toBe(0)
    expect(started.json?.services).toHaveLength(1)
    expect(projectProcesses().filter((entry) => entry.command.endsWith('dist/server.cjs'))).toHaveLength(1)
    const listed = await project.run<{services: ServiceStatus[]}>(['status', 'api', 'api', '--json'], {env})
    expect(listed.json?.services).toHaveLength(1)
  }, 60_000)

  it('restart with another API_PORT keeps the port it runs on, and says so', async () => {
    await start()
    const other = await freePort()
    const restarted = await project.run<{services: StartedService[]}>(['restart', '--json'], {
      env: {API_PORT: String(other)},
      timeoutMs: 40_000,
    })
    expect(restarted.exitCode, restarted.stderr).toBe(0)
    expect(restarted.json?.services[0]?.port).toBe(port)
    expect(restarted.stderr).toContain(`keeps port ${port}`)
    expect(restarted.stderr).toContain(String(other))
    expect(await healthAnswers(port)).toBe(true)
    expect(await healthAnswers(other)).toBe(false)
  }, 60_000)

  it('stop with a stranger on the port exits 0 and names it', async () => {
    const stranger = await foreignServer('127.0.0.1')
    const stopped = await stop()
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    expect(stopped.json?.services[0]).toMatchObject({name: 'api', found: 'stopped', heldBy: {pid: stranger.pid}})
    expect(stopped.stderr).toContain(`PID ${stranger.pid}`)
    expect(isAlive(stranger.pid)).toBe(true)
  })
})
