// The studio's benchmark, on the production build served by `storybook start` (NODE_ENV=production):
// - the initial JavaScript, gzip (target ≤ 150 kB), as `npm run build` counts it;
// - navigation to the dashboard showing its data (counts and galleries) for a user with 20
//   characters and 5 stories, in headless Chromium, each run in a fresh browser context (a first
//   visit: nothing cached), median of 7 (target ≤ 1 s), beside a bare HTML page from node:http;
// - Lighthouse performance and accessibility for the dashboard, signed in (targets ≥ 95 each), with
//   its default (mobile, simulated slow 4G) settings and its desktop preset.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer as createHttpServer} from 'node:http'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import desktopConfig from 'lighthouse/core/config/desktop-config.js'
import {chromium} from 'playwright-core'
import {initialJsGzipBytes} from '../scripts/build.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'bin', 'run.js')
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-background-networking']
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7)
const CHARACTERS = 20
const STORIES = 5
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const verdict = (ok) => (ok ? 'ok' : 'MISSED')
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })

if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium`)
if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) throw new Error('web/dist is not built: npm run build')

const project = mkdtempSync(join(tmpdir(), 'storybook-bench-web-'))
writeFileSync(join(project, 'package.json'), '{"name":"storybook-toolkit"}')
const [apiPort, webPort] = [await freePort(), await freePort()]
const env = {
  ...process.env,
  STORYBOOK_ROOT: project,
  STORYBOOK_STATE_DIR: join(project, 'var'),
  NO_COLOR: '1',
  NODE_ENV: 'production',
  API_PORT: String(apiPort),
  WEB_PORT: String(webPort),
  RATE_LIMIT_MAX: '100000000',
  RATE_LIMIT_AUTH_MAX: '100000',
}
const cli = (args) => {
  const result = spawnSync(process.execPath, [CLI, ...args], {env, encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`storybook ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
}
const api = `http://127.0.0.1:${apiPort}`
const web = `http://127.0.0.1:${webPort}`

async function post(path, body, token) {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...(token ? {authorization: `Bearer ${token}`} : {})},
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`)
  return response.json()
}

/** A user with CHARACTERS characters and STORIES stories, made through the API; returns the session the app keeps. */
async function seed() {
  const session = await post('/api/auth/register', {
    displayName: 'Bench Reader',
    email: 'bench@example.com',
    password: 'a long enough secret',
  })
  const species = ['human', 'fox', 'cat', 'owl', 'bear']
  const ids = []
  for (let index = 0; index < CHARACTERS; index++) {
    const traits = {ageGroup: 'child', species: species[index % species.length]}
    ids.push((await post('/api/characters', {name: `Character ${index + 1}`, traits}, session.token)).id)
  }
  for (let index = 0; index < STORIES; index++) {
    const body = {title: `Story ${index + 1}`, theme: 'a trip to the sea', targetAge: '3-5', generatePages: 4}
    await post('/api/stories', {...body, characterIds: [ids[index]]}, session.token)
  }
  // What web/src/store/session.ts persists under storybook.session (zustand's persist format).
  return JSON.stringify({state: {token: session.token, user: session.user, lastEmail: '', expired: false}, version: 0})
}

const DASHBOARD_READY = `document.querySelector('dl.counts dd')?.textContent === '${CHARACTERS}'
  && document.querySelectorAll('ul.gallery li').length > 0`

/** Milliseconds from page.goto to `ready` holding, each run in a fresh context (nothing cached). */
async function timeNavigation(browser, url, ready, init, runs = RUNS) {
  const times = []
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({viewport: {width: 1440, height: 1000}})
    if (init) await context.addInitScript(init)
    const page = await context.newPage()
    const started = performance.now()
    await page.goto(url, {waitUntil: 'commit'})
    await page.waitForFunction(ready, undefined, {polling: 'raf', timeout: 30_000})
    times.push(performance.now() - started)
    await context.close()
  }
  return median(times)
}

/** A bare HTML page from node:http on the same host: the floor of a navigation in this browser. */
async function bareReference(browser) {
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache'})
    response.end('<!doctype html><html lang="en"><title>Reference</title><p id="ready">ready</p></html>')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${server.address().port}/`
    return await timeNavigation(browser, url, `!!document.getElementById('ready')`)
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

/** Lighthouse on the dashboard, signed in: the session is put in the browser's storage, which the audit keeps. */
async function lighthouseScores(session, config) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS],
  })
  try {
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`)
    const page = await browser.contexts()[0].newPage()
    await page.goto(`${web}/login`)
    await page.evaluate(`localStorage.setItem('storybook.session', ${JSON.stringify(session)})`)
    await page.close()
    await browser.close()
    const flags = {port: chrome.port, output: 'json', logLevel: 'error', disableStorageReset: true}
    const result = await lighthouse(`${web}/`, {...flags, onlyCategories: ['performance', 'accessibility']}, config)
    const {performance: perf, accessibility} = result.lhr.categories
    const audits = result.lhr.audits
    return {
      performance: Math.round(perf.score * 100),
      accessibility: Math.round(accessibility.score * 100),
      finalUrl: result.lhr.finalDisplayedUrl,
      lcp: audits['largest-contentful-paint']?.displayValue,
    }
  } finally {
    chrome.kill()
  }
}

try {
  cli(['setup-project', '--skip-install'])
  cli(['start'])
  const session = await seed()
  const initialJs = initialJsGzipBytes(join(ROOT, 'web', 'dist'))

  const browser = await chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_FLAGS})
  let dashboard
  let reference
  try {
    const signedIn = `localStorage.setItem('storybook.session', ${JSON.stringify(session)})`
    // One visit first, so that the server's own first-request costs are not in the figures.
    await timeNavigation(browser, `${web}/`, DASHBOARD_READY, signedIn, 1)
    dashboard = await timeNavigation(browser, `${web}/`, DASHBOARD_READY, signedIn)
    reference = await bareReference(browser)
  } finally {
    await browser.close()
  }
  const mobile = await lighthouseScores(session, undefined)
  const desktop = await lighthouseScores(session, desktopConfig)
  for (const scores of [mobile, desktop])
    if (new URL(scores.finalUrl).pathname !== '/')
      throw new Error(`Lighthouse audited ${scores.finalUrl}, not the dashboard`)

  const row = (name, value, target, ok) => `${name.padEnd(48)}${value.padEnd(40)}${target.padEnd(18)}${verdict(ok)}`
  const score = (name, value) => row(name, String(value), 'target ≥ 95', value >= 95)
  const ratio = `${(dashboard / reference).toFixed(1)}x a bare page (${reference.toFixed(0)} ms)`
  console.log(`\nStudio (storybook start, NODE_ENV=production; ${CHARACTERS} characters, ${STORIES} stories)\n`)
  console.log(row('initial JS (gzip)', `${(initialJs / 1000).toFixed(1)} kB`, 'target ≤ 150 kB', initialJs <= 150_000))
  console.log(
    row(
      `navigation to dashboard data (median of ${RUNS})`,
      `${dashboard.toFixed(0)} ms = ${ratio}`,
      'target ≤ 1000 ms',
      dashboard <= 1000,
    ),
  )
  console.log(score(`Lighthouse performance (mobile, LCP ${mobile.lcp})`, mobile.performance))
  console.log(score('Lighthouse accessibility (mobile)', mobile.accessibility))
  console.log(score(`Lighthouse performance (desktop, LCP ${desktop.lcp})`, desktop.performance))
  console.log(score('Lighthouse accessibility (desktop)', desktop.accessibility))
} finally {
  spawnSync(process.execPath, [CLI, 'stop', '--timeout', '5'], {env, stdio: 'ignore'})
  rmSync(project, {recursive: true, force: true})
}
