// The dashboard benchmark, on a real `storybook start api --with-dashboard`:
// - the collector's CPU at 1 s sampling, in percent of one core (target ≤ 2 %), from /proc;
// - a status change to the live stream: SIGKILL of the API to the dashboard's server-sent event
//   showing it unhealthy (target ≤ 1 s; the page draws what that event carries);
// - a 24-hour history query for one chart over HTTP (target ≤ 50 ms), on a history holding a day
//   of minute averages and an hour of 1 s points;
// - the API's throughput with client metrics flowing (10 batches a second) versus without (target ≥ 0.95), both
//   measured in this run;
// - the dashboard page's initial JavaScript, gzip (target ≤ 150 kB), when it is built.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'bin', 'run.js')
const CPU_SECONDS = Number(process.env.BENCH_DASHBOARD_SECONDS ?? 20)
const DURATION = Number(process.env.BENCH_SECONDS ?? 4)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const TICKS = 100 // USER_HZ on Linux
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS
}
const cannon = (options) =>
  new Promise((resolve, reject) =>
    autocannon({connections: 20, duration: DURATION, ...options}, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  )
const verdict = (ok) => (ok ? 'ok' : 'MISSED')

const project = mkdtempSync(join(tmpdir(), 'storybook-bench-dashboard-'))
writeFileSync(join(project, 'package.json'), '{"name":"storybook-toolkit"}')
const [apiPort, dashboardPort] = [await freePort(), await freePort()]
const env = {
  ...process.env,
  STORYBOOK_ROOT: project,
  STORYBOOK_STATE_DIR: join(project, 'var'),
  NO_COLOR: '1',
  API_PORT: String(apiPort),
  DASHBOARD_PORT: String(dashboardPort),
  MONITOR_INTERVAL_MS: '1000',
  RATE_LIMIT_MAX: '100000000',
}
const cli = (args) => execFileSync(process.execPath, [CLI, ...args], {env, encoding: 'utf8'})
const dashboard = `http://127.0.0.1:${dashboardPort}`
const overview = async () => (await fetch(`${dashboard}/api/overview`)).json()

/** A day of minute averages and an hour of 1 s points for cpu/api, as a day of running leaves. */
function fillHistory(file) {
  mkdirSync(join(project, 'var', 'data'), {recursive: true})
  const db = new Database(file)
  db.exec(`create table if not exists points (
    metric text not null, instance text not null, resolution integer not null, time integer not null,
    value real not null, count integer not null, primary key (metric, instance, resolution, time)) without rowid`)
  const insert = db.prepare('insert or replace into points values (?, ?, ?, ?, ?, ?)')
  const now = Date.now()
  db.transaction(() => {
    for (let minute = 0; minute < 24 * 60; minute++) {
      const time = Math.floor((now - minute * 60_000) / 60_000) * 60_000
      insert.run('cpu', 'api', 60_000, time, 10 + (minute % 30), 60)
    }
    for (let second = 0; second < 3600; second++) {
      const time = Math.floor((now - second * 1000) / 1000) * 1000
      insert.run('cpu', 'api', 1000, time, 10 + (second % 7), 1)
    }
  })()
  db.close()
}

/** Sums the gzip sizes of the scripts index.html loads first (and their static imports' preloads). */
function initialJsGzip(folder) {
  const index = join(folder, 'index.html')
  if (!existsSync(index)) return undefined
  const html = readFileSync(index, 'utf8')
  const scripts = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((match) => match[1])
  return scripts.reduce((total, path) => total + gzipSync(readFileSync(join(folder, path)), {level: 9}).length, 0)
}

try {
  execFileSync(process.execPath, [CLI, 'setup-project', '--skip-install'], {env, stdio: 'ignore'})
  fillHistory(join(project, 'var', 'data', 'monitoring.db'))
  cli(['start', 'api', '--with-dashboard'])
  for (let tries = 0; (await overview()).services?.length !== 3 && tries < 100; tries++) await sleep(100)
  const dashboardPid = (await overview()).services.find((service) => service.name === 'dashboard').pid

  // 1. The collector's CPU at 1 s sampling, after a warm-up
  await sleep(3000)
  const before = cpuSeconds(dashboardPid)
  const started = performance.now()
  await sleep(CPU_SECONDS * 1000)
  const cpuPercent = ((cpuSeconds(dashboardPid) - before) / ((performance.now() - started) / 1000)) * 100

  // 2. A 24-hour chart query
  const query = `${dashboard}/api/series?metric=cpu&instance=api&range=24h`
  const queries = []
  for (let run = 0; run < 21; run++) {
    const begin = performance.now()
    const answer = await (await fetch(query)).json()
    queries.push(performance.now() - begin)
    if (answer.points.length < 100) throw new Error(`the 24 h series has ${answer.points.length} points`)
  }

  // 3. The API's throughput with client metrics flowing and without: 10 batches a second, what some fifty
  // open studio tabs send (each sends a batch every 5 s at most)
  const url = `http://127.0.0.1:${apiPort}/health`
  const batch = JSON.stringify({
    events: [
      {type: 'vital', name: 'LCP', value: 900},
      {type: 'interaction', name: 'pdf-export', ok: true},
      {type: 'error', message: 'TypeError: x is undefined', page: '/stories/1'},
    ],
  })
  // The beacons come from a process of their own: sent from this one, they would slow autocannon instead.
  const sender = `
    const body = ${JSON.stringify(batch)}
    setInterval(() => {
      for (let i = 0; i < 5; i++)
        fetch('http://127.0.0.1:${apiPort}/api/client-metrics', {method: 'POST', headers: {'content-type': 'application/json'}, body})
          .then((r) => r.arrayBuffer(), () => {})
    }, 500)`
  const without = []
  const withMetrics = []
  for (let round = 0; round < ROUNDS; round++) {
    without.push((await cannon({url})).requests.average)
    const beacons = spawn(process.execPath, ['-e', sender], {stdio: 'ignore'})
    await sleep(500)
    withMetrics.push((await cannon({url})).requests.average)
    beacons.kill()
  }
  const summary = await (await fetch(`http://127.0.0.1:${apiPort}/api/monitoring/client`)).json()
  if (summary.batches === 0) throw new Error('no client-metrics batch reached the API')

  // 4. SIGKILL of the API to the stream's first sample that shows it unhealthy
  const controller = new AbortController()
  const response = await fetch(`${dashboard}/events`, {signal: controller.signal})
  const reader = response.body.getReader()
  const apiPid = (await overview()).services.find((service) => service.name === 'api').pid
  const killedAt = performance.now()
  process.kill(apiPid, 'SIGKILL')
  let buffer = ''
  let seenAt
  while (seenAt === undefined) {
    const {value, done} = await reader.read()
    if (done) break
    buffer += new TextDecoder().decode(value)
    for (const block of buffer.split('\n\n').slice(0, -1)) {
      const data = /^event: sample\ndata: (.*)$/m.exec(block)?.[1]
      const api = data && JSON.parse(data).services.find((service) => service.name === 'api')
      if (api && !api.health.ok) seenAt = performance.now()
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2)
  }
  controller.abort()
  const toStream = seenAt - killedAt

  const pageJs = initialJsGzip(join(ROOT, 'web', 'dist', 'dashboard'))
  const ratio = median(withMetrics) / median(without)
  /** One aligned row: what, the figure with its unit, the target, and whether it is met. */
  const row = (what, figure, target, ok) =>
    console.log(`${what.padEnd(37)}${figure.padEnd(46)}target ${target.padEnd(11)}${verdict(ok)}`)
  const queryMs = median(queries)
  const requests = `${median(withMetrics).toFixed(0)} vs ${median(without).toFixed(0)} req/s`
  console.log('\nDashboard (storybook start api --with-dashboard, MONITOR_INTERVAL_MS=1000)\n')
  row('collector CPU at 1 s sampling', `${cpuPercent.toFixed(2)} % of one core`, '≤ 2 %', cpuPercent <= 2)
  row('status change to the live stream', `${toStream.toFixed(0)} ms`, '≤ 1000 ms', toStream <= 1000)
  row('24 h history query (median of 21)', `${queryMs.toFixed(1)} ms`, '≤ 50 ms', queryMs <= 50)
  row('API throughput with client metrics', `${ratio.toFixed(3)} × without (${requests})`, '≥ 0.95', ratio >= 0.95)
  if (pageJs === undefined) console.log('dashboard page initial JS            not built (npm run build)')
  else row('dashboard page initial JS (gzip)', `${(pageJs / 1000).toFixed(1)} kB`, '≤ 150 kB', pageJs <= 150_000)
} finally {
  spawnSync(process.execPath, [CLI, 'stop', '--timeout', '5'], {env, stdio: 'ignore'})
  rmSync(project, {recursive: true, force: true})
}
