// Our process manager beside pm2 7, measured in the same run against the same server (the built
// API, dist/server.cjs, in one temporary project): status against `pm2 jlist`, start to healthy,
// stop to port free and the restart after a kill -9 of the service, each as our time divided by
// pm2's; and, without pm2, `status --json` against `node -e 0` and start's cost over the server's
// own boot. A benchmark, not a test: targets are marked, never enforced by the exit code.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {get as httpGet} from 'node:http'
import {connect, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'bin', 'run.js')
const SERVER = join(ROOT, 'dist', 'server.cjs')
const PM2 = join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2')
const PM2_VERSION = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'pm2', 'package.json'), 'utf8')).version
/** Rounds of start, kill -9 and stop for each manager. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
/** Interleaved runs of the quick commands (status, jlist, node -e 0). */
const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const POLL_MS = 5
const WAIT_MS = 20_000

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })

/** Whether GET /health answers 200. */
const healthy = (port) =>
  new Promise((resolve) => {
    const request = httpGet({host: '127.0.0.1', port, path: '/health', agent: false, timeout: 1_000}, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    request.on('timeout', () => request.destroy())
    request.on('error', () => resolve(false))
  })

const portRefuses = (port) =>
  new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port})
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', () => resolve(true))
  })

async function waitFor(what, check) {
  const deadline = Date.now() + WAIT_MS
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(POLL_MS)
  }
}

/** Gone, or a zombie: it no longer runs, so it no longer answers. */
function processEnded(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .startsWith('Z')
  } catch {
    return true
  }
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/** Runs node with `args` to its end; its wall time in ms and its stdout. Throws on failure. */
function run(args, env) {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, {env, cwd: env.STORYBOOK_ROOT, encoding: 'utf8', timeout: 60_000})
  const ms = performance.now() - started
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`)
  }
  return {ms, stdout: result.stdout}
}

/** Runs node with `args` in the background; resolves with the time it exited (performance.now()). */
function runAsync(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {env, cwd: env.STORYBOOK_ROOT, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    let exitedAt
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.once('exit', () => (exitedAt = performance.now()))
    child.once('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(exitedAt)
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`))
    })
  })
}

/** Now, in ticks since boot: the unit (USER_HZ, 100 a second) of a process's start time in /proc. */
const uptimeTicks = () => Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100)
/** When a process started, in ticks since boot (field 22 of /proc/<pid>/stat). */
const startTicks = (pid) =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')[19],
  )

/** The project both managers run the API in; `ours` and `pm2` are their environments (each its own port). */
async function makeProject() {
  const root = mkdtempSync(join(tmpdir(), 'storybook-bench-pm2-'))
  writeFileSync(join(root, 'package.json'), '{"name":"storybook-toolkit"}')
  const base = {...process.env, STORYBOOK_ROOT: root, STORYBOOK_STATE_DIR: join(root, 'var'), NO_COLOR: '1'}
  const ours = {...base, API_PORT: String(await freePort())}
  execFileSync(process.execPath, [CLI, 'setup-project', '--skip-install'], {env: ours, cwd: root, stdio: 'ignore'})
  // pm2 gets the same variables, its own port, and a home of its own (never the user's ~/.pm2).
  const pm2 = {...base, API_PORT: String(await freePort()), PM2_HOME: join(root, 'pm2-home')}
  const ecosystem = join(root, 'ecosystem.json')
  const env = pick(pm2, 'STORYBOOK_ROOT', 'STORYBOOK_STATE_DIR', 'API_PORT')
  const app = {name: 'api', script: SERVER, cwd: root, env}
  writeFileSync(ecosystem, JSON.stringify({apps: [app]}))
  return {root, ours, pm2, ecosystem, ourPort: Number(ours.API_PORT), pm2Port: Number(pm2.API_PORT)}
}

const pick = (object, ...keys) => Object.fromEntries(keys.map((key) => [key, object[key]]))

/** What bench starts, for the clean-up: the pm2 daemon, pm2's app processes, servers run directly. */
const started = {daemon: undefined, pm2Apps: new Set(), servers: new Set()}

function makeManagers(project) {
  const pm2 = (...args) => run([PM2, ...args], project.pm2)
  const storybook = (...args) => run([CLI, ...args], project.ours)
  return {
    ours: {
      port: project.ourPort,
      start: () => runAsync([CLI, 'start', 'api'], project.ours),
      stop: () => storybook('stop', 'api').ms,
      list: () => storybook('status', 'api', '--json').ms,
      pid: () => JSON.parse(storybook('status', 'api', '--json').stdout).services.find((s) => s.name === 'api').pid,
    },
    pm2: {
      port: project.pm2Port,
      start: () => runAsync([PM2, 'start', project.ecosystem], project.pm2),
      stop: () => pm2('delete', 'api').ms,
      list: () => pm2('jlist').ms,
      pid: () => {
        const {stdout} = pm2('jlist')
        const pid = JSON.parse(stdout.slice(stdout.indexOf('['))).find((app) => app.name === 'api')?.pid
        if (pid) started.pm2Apps.add(pid)
        return pid
      },
    },
  }
}

/**
 * From the start command's spawn until /health answers 200 and the command has returned (ours
 * returns once healthy; pm2's returns once it has forked). /health is polled meanwhile, so that
 * the figures say when the server answered, and (from /proc) when its process started.
 */
async function startToHealthy(manager) {
  const ticks = uptimeTicks()
  const startedAt = performance.now()
  let failure
  const command = manager.start().catch((error) => (failure = error))
  await waitFor(`port ${manager.port} to answer /health`, async () => {
    if (failure) throw failure
    return healthy(manager.port)
  })
  const healthyAt = performance.now()
  const exitedAt = await command
  if (failure) throw failure
  const ms = Math.max(healthyAt, exitedAt) - startedAt
  return {ms, healthyMs: healthyAt - startedAt, exitMs: exitedAt - startedAt, ticks}
}

async function stopToPortFree(manager) {
  const startedAt = performance.now()
  manager.stop()
  await waitFor(`port ${manager.port} to be free`, () => portRefuses(manager.port))
  return performance.now() - startedAt
}

/** kill -9 of the service process (not its supervisor), then until the supervisor's restart answers. */
async function killToHealthy(manager, pid) {
  if (!commandLine(pid).includes(SERVER)) throw new Error(`PID ${pid} is not the server: ${commandLine(pid)}`)
  const ticks = uptimeTicks()
  const startedAt = performance.now()
  process.kill(pid, 'SIGKILL')
  // A 200 from the dying process must not count: wait until it no longer runs.
  await waitFor(`PID ${pid} to end`, async () => processEnded(pid))
  await waitFor(`port ${manager.port} to answer /health again`, () => healthy(manager.port))
  const ms = performance.now() - startedAt
  const restarted = manager.pid()
  if (!restarted || restarted === pid) throw new Error(`no new process reported after the kill of PID ${pid}`)
  return {ms, respawnMs: (startTicks(restarted) - ticks) * 10}
}

/** The server on its own: `node [flags] dist/server.cjs` spawned until /health answers 200. */
async function serverBoot(project, flags) {
  const startedAt = performance.now()
  const server = spawn(process.execPath, [...flags, SERVER], {env: project.ours, cwd: project.root, stdio: 'ignore'})
  started.servers.add(server.pid)
  const exited = new Promise((resolve) => server.once('exit', resolve))
  await waitFor(`the server on port ${project.ourPort}`, () => healthy(project.ourPort))
  const ms = performance.now() - startedAt
  server.kill('SIGTERM')
  await exited
  started.servers.delete(server.pid)
  return ms
}

async function lifecycleRounds(project, managers) {
  const both = () => ({ours: [], pm2: []})
  const samples = {start: both(), spawn: both(), lag: both(), stop: both(), kill: both(), respawn: both()}
  Object.assign(samples, {boot: [], overhead: []})
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first, so that drift in the machine's load hits both alike.
    const order = round % 2 === 0 ? ['ours', 'pm2'] : ['pm2', 'ours']
    // Each round starts afresh: our backoff grows with the crashes in a window, which is not what is measured.
    for (const name of order) {
      const manager = managers[name]
      // The server's own boot right before our start, so that the two see the same load on the machine.
      const boot = name === 'ours' ? await serverBoot(project, []) : undefined
      const start = await startToHealthy(manager)
      if (boot !== undefined) {
        samples.boot.push(boot)
        samples.overhead.push(start.ms - boot)
      }
      const pid = manager.pid()
      samples.start[name].push(start.ms)
      samples.spawn[name].push((startTicks(pid) - start.ticks) * 10)
      samples.lag[name].push(start.exitMs - start.healthyMs)
      const kill = await killToHealthy(manager, pid)
      samples.kill[name].push(kill.ms)
      samples.respawn[name].push(kill.respawnMs)
      samples.stop[name].push(await stopToPortFree(manager))
    }
  }
  return samples
}

async function listRuns(project, managers) {
  await startToHealthy(managers.ours)
  await startToHealthy(managers.pm2)
  managers.pm2.pid()
  const samples = {node: [], ours: [], pm2: []}
  for (let i = 0; i < RUNS; i++) {
    samples.node.push(run(['-e', '0'], project.ours).ms)
    samples.ours.push(managers.ours.list())
    samples.pm2.push(managers.pm2.list())
  }
  await stopToPortFree(managers.ours)
  await stopToPortFree(managers.pm2)
  return samples
}

/** One table row: our median, the other's, their ratio and whether it meets the target (none: a breakdown). */
function compare(name, ours, other, versus, target) {
  const ratio = median(ours) / median(other)
  const meets = target ? ratio <= target : null
  return {name, versus, oursMs: median(ours), otherMs: median(other), ratio, target, meets}
}

function printRow(row, verdict = row.target ? `<= ${row.target}x ${row.meets ? 'ok' : 'MISSED'}` : '(where it goes)') {
  const ms = (value) => `${value.toFixed(1)} ms`.padStart(11)
  const ratio = typeof row.ratio === 'number' ? `${row.ratio.toFixed(2)}x` : row.ratio
  console.log(`${row.name.padEnd(30)}${ms(row.oursMs)}${ms(row.otherMs)}${ratio.padStart(10)}  ${verdict}`)
}

function report(lifecycle, lists, daemonMs) {
  const rows = [
    compare('status --json vs pm2 jlist', lists.ours, lists.pm2, 'pm2', 0.8),
    compare('start to healthy', lifecycle.start.ours, lifecycle.start.pm2, 'pm2', 0.8),
    compare('stop to port free', lifecycle.stop.ours, lifecycle.stop.pm2, 'pm2', 0.8),
    compare('kill -9 to healthy again', lifecycle.kill.ours, lifecycle.kill.pm2, 'pm2', 0.8),
    compare('status --json vs node -e 0', lists.ours, lists.node, 'node -e 0', 1.8),
  ]
  const breakdown = [
    compare('  start: to the server process', lifecycle.spawn.ours, lifecycle.spawn.pm2, 'pm2'),
    compare('  kill -9: to the new process', lifecycle.respawn.ours, lifecycle.respawn.pm2, 'pm2'),
  ]
  const bootMs = median(lifecycle.boot)
  const overheadMs = median(lifecycle.overhead)
  const overhead = {oursMs: median(lifecycle.start.ours), bootMs, overheadMs, target: 150, meets: overheadMs <= 150}
  const extra = `${overheadMs < 0 ? '' : '+'}${overheadMs.toFixed(0)} ms`
  console.log(`our process manager vs pm2 ${PM2_VERSION}, the same server (dist/server.cjs) under each; medians of`)
  console.log(`${ROUNDS} rounds (status and jlist: ${RUNS} interleaved runs); ratio = ours / theirs\n`)
  console.log(`${'measure'.padEnd(30)}${'ours'.padStart(11)}${'theirs'.padStart(11)}${'ratio'.padStart(10)}  target`)
  for (const row of rows) printRow(row)
  const overheadRow = {name: 'start over the server boot', ...overhead, otherMs: bootMs, ratio: extra}
  printRow(overheadRow, `<= 150 ms ${overhead.meets ? 'ok' : 'MISSED'}`)
  for (const row of breakdown) printRow(row)

  const lagMs = median(lifecycle.lag.ours)
  const notes = [
    `"theirs" is pm2, node -e 0, and for "start over the server boot" the server's own boot (spawn to /health 200);`,
    `  the extra is the median of (our start - the boot measured just before it), round by round.`,
    `"to the server process": from the command's spawn (or the kill) until the server process started (/proc, 10 ms).`,
    `Our start returned ${lagMs.toFixed(1)} ms (median) after /health first answered.`,
    `kill -9: both restart at once (our supervisor backs off only from the second crash in a minute).`,
    `pm2's daemon was spawned once before the rounds, in ${daemonMs.toFixed(0)} ms (in no figure above).`,
  ]
  console.log(`\n${notes.join('\n')}`)
  if (process.argv.includes('--json')) {
    const round = (value) => (typeof value === 'number' ? Number(value.toFixed(2)) : value)
    const rounded = (row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, round(value)]))
    const extras = {startReturnAfterHealthyMs: lagMs}
    const document = {version: PM2_VERSION, rows: [...rows, ...breakdown].map(rounded)}
    document.startOverhead = rounded(overhead)
    Object.assign(document, rounded(extras))
    console.log(JSON.stringify({pm2: {...document, pm2DaemonSpawnMs: round(daemonMs)}}))
  }
}

/** pm2 kill with our PM2_HOME, then its daemon and apps gone for sure; servers started directly ended. */
function cleanUp(project, managers) {
  for (const pid of started.servers) if (!processEnded(pid)) process.kill(pid, 'SIGKILL')
  if (managers) {
    spawnSync(process.execPath, [CLI, 'stop'], {env: project.ours, cwd: project.root, stdio: 'ignore', timeout: 30_000})
  }
  if (project && existsSync(project.pm2.PM2_HOME)) {
    try {
      managers?.pm2.pid() // records the app's PID, in case pm2 kill leaves it behind
    } catch {
      // no daemon or no app: nothing more to record
    }
    spawnSync(process.execPath, [PM2, 'kill'], {env: project.pm2, cwd: project.root, stdio: 'ignore', timeout: 30_000})
    const pids = [started.daemon, ...started.pm2Apps].filter(Boolean)
    const deadline = Date.now() + 5_000
    while (pids.some((pid) => !processEnded(pid)) && Date.now() < deadline) spawnSync('sleep', ['0.05'])
    for (const pid of pids) {
      // Only what is still ours: the daemon of this PM2_HOME, or the server it ran.
      const line = commandLine(pid)
      const ours = line.includes(project.pm2.PM2_HOME) || line.includes(SERVER)
      if (!processEnded(pid) && ours) process.kill(pid, 'SIGKILL')
    }
    const left = pids.filter((pid) => !processEnded(pid))
    if (left.length > 0) console.error(`bench/pm2.js: PIDs ${left.join(', ')} still run after pm2 kill and SIGKILL`)
  }
  if (project) rmSync(project.root, {recursive: true, force: true})
}

async function main() {
  let project
  let managers
  const interrupted = () => {
    cleanUp(project, managers)
    process.exit(130)
  }
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted)
  try {
    project = await makeProject()
    const daemonMs = run([PM2, 'ping'], project.pm2).ms
    started.daemon = Number(readFileSync(join(project.pm2.PM2_HOME, 'pm2.pid'), 'utf8'))
    managers = makeManagers(project)
    // Warm-up, not measured: the file cache, our code cache, pm2's first app.
    await startToHealthy(managers.ours)
    await stopToPortFree(managers.ours)
    await startToHealthy(managers.pm2)
    managers.pm2.pid()
    await stopToPortFree(managers.pm2)
    const lists = await listRuns(project, managers)
    const lifecycle = await lifecycleRounds(project, managers)
    report(lifecycle, lists, daemonMs)
  } finally {
    cleanUp(project, managers)
  }
}

await main()
