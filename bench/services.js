// The services benchmark: `storybook status --json` with the API running, as a ratio to
// `node -e 0`; a full `storybook diagnose --json` with the API running; the port-owner lookup;
// start-to-healthy beyond the server's own boot; stop to port free.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {createRequire} from 'node:module'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {connect, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'bin', 'run.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 21)
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
const portOpen = (port) =>
  new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port})
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
const timeRun = (args, env) => {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, {env, stdio: ['ignore', 'ignore', 'pipe']})
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return Number(process.hrtime.bigint() - started) / 1e6
}

const project = mkdtempSync(join(tmpdir(), 'storybook-bench-services-'))
writeFileSync(join(project, 'package.json'), '{"name":"storybook-toolkit"}')
const port = await freePort()
const env = {
  ...process.env,
  STORYBOOK_ROOT: project,
  STORYBOOK_STATE_DIR: join(project, 'var'),
  NO_COLOR: '1',
  API_PORT: String(port),
}
execFileSync(process.execPath, [CLI, 'setup-project', '--skip-install'], {env, stdio: 'ignore'})

try {
  // The server's own boot: started directly, until /health answers.
  const boots = []
  for (let run = 0; run < 5; run++) {
    const started = performance.now()
    const server = spawn(process.execPath, [join(ROOT, 'dist', 'server.cjs')], {env, stdio: 'ignore'})
    while (!(await portOpen(port))) await new Promise((resolve) => setTimeout(resolve, 5))
    boots.push(performance.now() - started)
    server.kill('SIGTERM')
    await new Promise((resolve) => server.once('exit', resolve))
  }
  const starts = []
  const stops = []
  for (let run = 0; run < 5; run++) {
    starts.push(timeRun([CLI, 'start'], env))
    const stopped = performance.now()
    execFileSync(process.execPath, [CLI, 'stop'], {env, stdio: 'ignore'})
    while (await portOpen(port)) await new Promise((resolve) => setTimeout(resolve, 5))
    stops.push(performance.now() - stopped)
  }

  execFileSync(process.execPath, [CLI, 'start'], {env, stdio: 'ignore'})
  const reference = []
  const status = []
  for (let run = 0; run < RUNS; run++) {
    reference.push(timeRun(['-e', '0'], env))
    status.push(timeRun([CLI, 'status', '--json'], env))
  }
  // Apart from the status runs: diagnose leaves git and node children finishing behind it.
  const diagnose = []
  for (let run = 0; run < Math.min(RUNS, 11); run++) diagnose.push(timeRun([CLI, 'diagnose', '--json'], env))
  const {currentPlatform} = createRequire(import.meta.url)(join(ROOT, 'dist', 'cli.cjs'))
  const lookups = []
  for (let run = 0; run < 50; run++) {
    const started = performance.now()
    if (!currentPlatform().findPortOwner(port)) throw new Error('the API port has no owner')
    lookups.push(performance.now() - started)
  }
  execFileSync(process.execPath, [CLI, 'stop'], {env, stdio: 'ignore'})

  const ratio = median(status) / median(reference)
  console.log(`services (medians; status over ${RUNS} interleaved runs)\n`)
  console.log(
    `storybook status --json     ${median(status).toFixed(1)} ms = ${ratio.toFixed(2)}x node -e 0 (${median(reference).toFixed(1)} ms)  target <= 1.8x ${ratio <= 1.8 ? 'ok' : 'MISSED'}`,
  )
  console.log(
    `storybook diagnose --json   ${median(diagnose).toFixed(1)} ms = ${(median(diagnose) / median(reference)).toFixed(2)}x node -e 0, every check with the API running  target < 1000 ms ${median(diagnose) < 1000 ? 'ok' : 'MISSED'}`,
  )
  console.log(
    `port-owner lookup (/proc)   ${median(lookups).toFixed(2)} ms  target <= 3 ms ${median(lookups) <= 3 ? 'ok' : 'MISSED'}`,
  )
  console.log(
    `start to healthy            ${median(starts).toFixed(0)} ms, of which the server's own boot ${median(boots).toFixed(0)} ms: ${(median(starts) - median(boots)).toFixed(0)} ms ours`,
  )
  console.log(`stop to port free           ${median(stops).toFixed(0)} ms`)
} finally {
  spawnSync(process.execPath, [CLI, 'stop'], {env, stdio: 'ignore'})
  rmSync(project, {recursive: true, force: true})
}
