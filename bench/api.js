// The API benchmark: requests per second and p99 latency for reading a 12-page story and for
// creating a character, with autocannon at 50 connections, each against a bare Fastify
// hello-world route measured in the same run; and the API's resident memory under that load.
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import autocannon from 'autocannon'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DURATION = Number(process.env.BENCH_SECONDS ?? 4)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = 50

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })

const load = (options) =>
  new Promise((resolve, reject) =>
    autocannon({connections: CONNECTIONS, duration: DURATION, ...options}, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  )

/** Resident memory of a process, from /proc (Linux), in bytes. */
function rssOf(pid) {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
  } catch {
    return 0 // the process ended between two samples
  }
}

async function main() {
  // Reference: a bare Fastify hello-world in a process of its own, like the API.
  const helloPort = await freePort()
  const hello = spawn(
    process.execPath,
    [
      '-e',
      `require('fastify')().get('/', async () => ({hello: 'world'})).listen({port: ${helloPort}, host: '127.0.0.1'})`,
    ],
    {cwd: ROOT, stdio: 'ignore'},
  )
  const project = mkdtempSync(join(tmpdir(), 'storybook-bench-api-'))
  writeFileSync(join(project, 'package.json'), '{"name":"storybook-toolkit"}')
  const env = {
    ...process.env,
    STORYBOOK_ROOT: project,
    STORYBOOK_STATE_DIR: join(project, 'var'),
    NO_COLOR: '1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
    RATE_LIMIT_AUTH_MAX: '100000000',
  }
  await new Promise((resolve, reject) => {
    const setup = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'setup-project', '--skip-install', '--json'], {
      env,
      stdio: 'ignore',
    })
    setup.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`setup-project exited ${code}`))))
  })
  const apiPort = await freePort()
  const api = spawn(process.execPath, [join(ROOT, 'dist', 'server.cjs')], {
    env: {...env, API_PORT: String(apiPort)},
    stdio: 'ignore',
  })
  const base = `http://127.0.0.1:${apiPort}`
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
      const helloOk = await fetch(`http://127.0.0.1:${helloPort}/`).then(
        (r) => r.ok,
        () => false,
      )
      if (ok && helloOk) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const login = await (
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({email: 'demo@storybook.local', password: 'storybook-demo'}),
      })
    ).json()
    const headers = {authorization: `Bearer ${login.token}`, 'content-type': 'application/json'}
    const story = await (
      await fetch(`${base}/api/stories`, {
        method: 'POST',
        headers,
        body: JSON.stringify({title: 'Bench', generatePages: 12}),
      })
    ).json()
    const character = JSON.stringify({
      name: 'Bench',
      description: 'x',
      traits: {ageGroup: 'child', species: 'cat', personality: ['kind']},
    })

    // Rounds of hello-world, then each case, with medians over the rounds: this machine's speed
    // drifts from minute to minute, so each ratio compares runs seconds apart, and one slow run
    // (the load generator shares the two cores with the servers) does not decide the verdict.
    const hello = () => load({url: `http://127.0.0.1:${helloPort}/`})
    let peakRss = 0
    const sample = () => (peakRss = Math.max(peakRss, rssOf(api.pid)))
    const cases = [
      {
        name: 'GET 12-page story',
        options: {url: `${base}/api/stories/${story.id}`, headers},
        target: '>= 0.60x, p99 <= 10 ms',
        ok: (ratio, p99) => ratio >= 0.6 && p99 <= 10,
      },
      {
        name: 'POST character',
        options: {url: `${base}/api/characters`, method: 'POST', headers, body: character},
        target: '>= 0.30x',
        ok: (ratio) => ratio >= 0.3,
      },
    ]
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
    const runs = Object.fromEntries(cases.map((item) => [item.name, []]))
    for (let round = 0; round < ROUNDS; round++) {
      const reference = await hello()
      for (const item of cases) {
        const sampler = setInterval(sample, 100)
        const result = await load(item.options)
        clearInterval(sampler)
        runs[item.name].push({
          rps: result.requests.average,
          helloRps: reference.requests.average,
          p99: result.latency.p99,
          errors: result.errors + result.non2xx,
        })
      }
    }
    console.log(
      `API, autocannon ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s runs (hello-world, then each case), medians\n`,
    )
    console.log(
      `${'case'.padEnd(22)}${'req/s'.padStart(9)}${'hello req/s'.padStart(13)}${'ratio'.padStart(8)}${'p99 ms'.padStart(8)}${'errors'.padStart(8)}  target / verdict`,
    )
    const report = []
    for (const item of cases) {
      const measured = runs[item.name]
      const rps = median(measured.map((run) => run.rps))
      const helloRps = median(measured.map((run) => run.helloRps))
      const ratio = median(measured.map((run) => run.rps / run.helloRps))
      const p99 = median(measured.map((run) => run.p99))
      const errors = measured.reduce((sum, run) => sum + run.errors, 0)
      const verdict = item.ok(ratio, p99) && errors === 0 ? 'ok' : 'MISSED'
      report.push({
        case: item.name,
        rps: Math.round(rps),
        helloRps: Math.round(helloRps),
        ratio: Number(ratio.toFixed(2)),
        ratios: measured.map((run) => Number((run.rps / run.helloRps).toFixed(2))),
        p99Ms: p99,
        errors,
        verdict,
      })
      console.log(
        `${item.name.padEnd(22)}${String(Math.round(rps)).padStart(9)}${String(Math.round(helloRps)).padStart(13)}${`${ratio.toFixed(2)}x`.padStart(8)}${String(p99).padStart(8)}${String(errors).padStart(8)}  ${item.target} ${verdict}  (rounds: ${measured.map((run) => `${(run.rps / run.helloRps).toFixed(2)}x`).join(', ')})`,
      )
    }
    const mb = peakRss / 1024 / 1024
    console.log(
      `\nAPI peak resident memory under load: ${mb.toFixed(0)} MB (target <= 150 MB) ${mb <= 150 ? 'ok' : 'MISSED'}`,
    )
    if (process.argv.includes('--json')) console.log(JSON.stringify({api: report, peakRssMb: Math.round(mb)}))
  } finally {
    api.kill('SIGTERM')
    hello.kill('SIGTERM')
    rmSync(project, {recursive: true, force: true})
  }
}

await main()
