// The dashboard's page in headless Chromium, as a user sees it: `storybook start api --with-dashboard`
// in a project, with a real webhook receiver. Load on the API moves the requests chart; kill -9 of the
// API turns its indicator red within 2 s, then green after the supervisor's restart, and the alert
// history shows the outage fired and resolved; the log viewer filters; silences are made and expired.
// Screenshots at 375 px and 1440 px go to test-results/dashboard/. Any console error fails the test.
import {existsSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {chromium, type Browser, type Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {createTempProject, REPO_ROOT, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'
import {waitFor} from '../helpers/wait.js'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'dashboard')

interface Overview {
  services: Array<{name: string; state: string; pid: number | null; health: {ok: boolean}}>
}

let project: TempProject
let env: Record<string, string>
let dashboard: string
let apiUrl: string
let hooks: Server
let browser: Browser
let page: Page
const webhooks: Array<{status: string; alerts: Array<{labels: {alertname: string}}>}> = []
const consoleErrors: string[] = []

const overview = async (): Promise<Overview> => (await (await fetch(`${dashboard}/api/overview`)).json()) as Overview

/** Waits for a condition on the page's DOM, checked every frame; fails with what it waited for. */
async function waitForPage(what: string, condition: string, timeoutMs = 40_000): Promise<void> {
  try {
    await page.waitForFunction(condition, undefined, {timeout: timeoutMs, polling: 'raf'})
  } catch (error) {
    throw new Error(`The page did not show ${what} within ${timeoutMs} ms: ${String(error).split('\n')[0]}`, {
      cause: error,
    })
  }
}

/** Elements reaching past the right edge of the window (a page that scrolls sideways), in the page's words. */
const OVERFLOWING = `[...document.querySelectorAll('body *')]
  .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((element) => !element.parentElement?.closest('.table-scroll'))
  .slice(0, 5)
  .map((element) => element.tagName + '.' + element.className + ' ' + Math.round(element.getBoundingClientRect().right))`

const indicator = (service: string) =>
  `document.querySelector('[data-service="${service}"]')?.getAttribute('data-status')`

beforeAll(async () => {
  // Never skipped: a machine without Chromium fails here, saying what to install.
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not at ${CHROMIUM}; the dashboard's page test needs it: apt-get install -y chromium`)
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'dashboard', 'index.html')))
    throw new Error('The dashboard page is not built (web/dist/dashboard): npm run build')

  hooks = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      webhooks.push(JSON.parse(body) as (typeof webhooks)[number])
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve))

  project = await createTempProject()
  const [apiPort, dashboardPort] = [await freePort(), await freePort()]
  env = {
    API_PORT: String(apiPort),
    DASHBOARD_PORT: String(dashboardPort),
    MONITOR_INTERVAL_MS: '250',
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/alerts`,
  }
  dashboard = `http://127.0.0.1:${dashboardPort}`
  apiUrl = `http://127.0.0.1:${apiPort}`
  await mkdir(join(project.root, 'src', 'monitoring'), {recursive: true})
  await writeFile(
    join(project.root, 'src', 'monitoring', 'alert-rules.json'),
    JSON.stringify({disable: ['backup-old'], routing: {groupWaitMs: 0, groupIntervalMs: 1000}}),
  )
  await project.run(['setup-project', '--skip-install'])
  const started = await project.run(['start', 'api', '--with-dashboard'], {env, timeoutMs: 90_000})
  expect(started.exitCode, started.stderr).toBe(0)

  browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking']})
  page = await browser.newPage({viewport: {width: 1440, height: 1000}})
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`))
  await page.goto(dashboard)
}, 150_000)

afterEach(() => {
  expect(consoleErrors, 'the page logged errors').toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await project?.run(['stop', '--timeout', '5'], {env})
  await project?.cleanup()
  await new Promise((resolve) => hooks?.close(resolve))
})

describe('the dashboard page in Chromium', () => {
  it('shows every service up, in words, over the live stream, and the route table', async () => {
    await waitForPage(
      'the api and the dashboard up',
      `${indicator('api')} === 'up' && ${indicator('dashboard')} === 'up'`,
    )
    await waitForPage('the live stream', `document.querySelector('[data-connection]')?.dataset.connection === 'live'`)
    expect(await page.locator('[data-service="api"] .service-status').textContent()).toBe('Up: running, healthy')
    await waitForPage(
      'the probed GET /api/stories route',
      `!!document.querySelector('[data-route="GET /api/stories"]')`,
    )
    expect(await page.locator('[data-route="GET /api/stories"] td').last().textContent()).toMatch(/^ok: 401/)
  }, 60_000)

  it('charts requests per second from load sent to the API, over a range chosen by keyboard', async () => {
    // The collector's own calls to the API are traffic too: the load must show above that baseline.
    await waitForPage(
      'a few points in the requests chart',
      `Number(document.querySelector('#chart-requests')?.dataset.points) >= 3`,
    )
    const baseline = Number(await page.locator('#chart-requests').getAttribute('data-peak'))
    const answers = await Promise.all([
      ...Array.from({length: 400}, () => fetch(`${apiUrl}/health`).then((response) => response.status)),
      ...Array.from({length: 100}, () => fetch(`${apiUrl}/api/no-such-route`).then((response) => response.status)),
    ])
    expect(answers.filter((status) => status === 404)).toHaveLength(100)
    await waitForPage(
      `a peak above the baseline (${baseline.toFixed(1)}/s) in the requests chart`,
      `Number(document.querySelector('#chart-requests')?.dataset.peak) > ${baseline + 100}`,
    )
    const chart = page.locator('#chart-requests')
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0)
    expect(await chart.locator('.chart-summary').textContent()).toMatch(/^requests\/s: \d+\.\d now, peak \d+\.\d$/)
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0)

    // The range by keyboard: the radio group moves with the arrow keys; the history is fetched again.
    await page.locator('input[name="range"][value="15m"]').focus()
    await page.keyboard.press('ArrowRight')
    expect(await page.locator('input[name="range"]:checked').getAttribute('value')).toBe('1h')
    await waitForPage(
      'the load in the 1h history of the requests chart',
      `Number(document.querySelector('#chart-requests')?.dataset.peak) > ${baseline + 100}`,
    )
  }, 60_000)

  it('turns the API red within 2 s of kill -9, green after the restart, with the alert fired and resolved', async () => {
    const before = (await overview()).services.find((service) => service.name === 'api')
    expect(before?.state).toBe('running')
    expect(before?.pid).toBeGreaterThan(1)
    // A red indicator that shows for less than a frame still counts: a DOM observer notes the change.
    await page.evaluate(`new MutationObserver(() => {
      const card = document.querySelector('[data-service="api"]')
      if (card?.getAttribute('data-status') === 'down' && window.apiDown === undefined)
        window.apiDown = card.querySelector('.service-status')?.textContent ?? ''
    }).observe(document.body, {subtree: true, attributes: true, childList: true})`)
    process.kill(before?.pid as number, 'SIGKILL')
    // The one timing assertion the issue asks for: from the kill to the red indicator, at most 2 s.
    await waitForPage('the api down within 2 s of kill -9', 'window.apiDown !== undefined', 2_000)
    // Said in words, not only in red.
    expect(await page.evaluate('window.apiDown')).toMatch(/^Down: /)

    await waitForPage('the api up again after the restart', `${indicator('api')} === 'up'`)
    await waitForPage(
      'the service-down alert of the api resolved in the history',
      `document.querySelector('[data-alert="service-down/api"]')?.dataset.state === 'resolved'`,
    )
    const cells = await page.locator('[data-alert="service-down/api"] td').allTextContents()
    // Alert, severity, state, fired, acknowledged, resolved: both times shown.
    expect(cells[2]).toBe('resolved')
    expect(cells[3]).not.toBe('–')
    expect(cells[5]).not.toBe('–')
    await waitFor('the resolved notice at the webhook', async () =>
      webhooks.some((payload) => payload.status === 'resolved') ? true : undefined,
    )
  }, 60_000)

  it('filters the log viewer by service and text', async () => {
    await page.locator('.log-filters').getByLabel('Service', {exact: true}).selectOption('api')
    await page.locator('.log-filters').getByLabel('Text', {exact: true}).fill('listening')
    await waitForPage(
      'lines of the api with "listening"',
      `(() => {
        const count = document.querySelector('.log-count')
        return count?.dataset.filter?.includes('"q":"listening"') && count.dataset.filter.includes('"service":"api"') &&
          document.querySelectorAll('.log-line').length > 0
      })()`,
    )
    const shown = await page.evaluate<Array<{service: string; msg: string}>>(
      `[...document.querySelectorAll('.log-line')].map((line) =>
        ({service: line.dataset.service, msg: line.querySelector('.log-msg')?.textContent ?? ''}))`,
    )
    expect(shown.length).toBeGreaterThan(0)
    expect(shown.every((line) => line.service === 'api' && /listening/i.test(line.msg))).toBe(true)

    await page.locator('.log-filters').getByLabel('Text', {exact: true}).fill('no line says this 4711')
    await waitForPage(
      'no lines for a text nobody wrote',
      `document.querySelector('.log-count')?.textContent === 'No lines match.'`,
    )
    expect(await page.locator('.log-line').count()).toBe(0)
  }, 60_000)

  it('falls back to polling /api/overview when the event stream fails', async () => {
    const second = await browser.newPage({viewport: {width: 1024, height: 800}})
    const errors: string[] = []
    second.on('pageerror', (error) => errors.push(error.message))
    const overviewCalls: number[] = []
    second.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/overview') overviewCalls.push(Date.now())
    })
    // The stream refused with a server error: the browser cannot keep it open, the page must poll.
    await second.route('**/events', (route) => route.fulfill({status: 503, body: 'no stream'}))
    try {
      await second.goto(dashboard)
      await second.waitForFunction(`document.querySelector('[data-connection]')?.dataset.connection === 'polling'`)
      expect(await second.locator('[data-connection]').textContent()).toMatch(/polling every 2 s/)
      await second.waitForFunction(`${indicator('api')} === 'up'`)
      const polled = overviewCalls.length
      await waitFor('two more polls of /api/overview', async () =>
        overviewCalls.length >= polled + 2 ? true : undefined,
      )
      expect(errors).toEqual([])
    } finally {
      await second.close()
    }
  }, 30_000)

  it('creates a silence and expires it', async () => {
    await page.locator('.silence-form').getByLabel('Rule (empty: every rule)').fill('service-cpu')
    await page.locator('.silence-form').getByLabel('Comment').fill('deploying')
    await page.locator('.silence-form').getByRole('button', {name: 'Silence'}).click()
    await waitForPage(
      'the new silence',
      `[...document.querySelectorAll('.silences li')].some((item) => item.textContent.includes('deploying'))`,
    )
    await page
      .locator('.silences li', {hasText: 'deploying'})
      .getByRole('button', {name: /^Expire/})
      .click()
    await waitForPage(
      'the silence gone',
      `![...document.querySelectorAll('.silences li')].some((item) => item.textContent.includes('deploying'))`,
    )
  }, 30_000)

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    await page.addScriptTag({path: join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js')})
    const violations = await page.evaluate<string[]>(`axe.run().then((result) => result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id + ': ' + violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')))`)
    expect(violations).toEqual([])
  }, 30_000)

  it('reads at 375 px and at 1440 px without sideways scrolling (screenshots in test-results/dashboard)', async () => {
    await mkdir(SCREENSHOTS, {recursive: true})
    for (const width of [375, 1440]) {
      await page.setViewportSize({width, height: 900})
      await waitForPage(`the layout at ${width} px`, `document.documentElement.clientWidth === ${width}`)
      const overflowing = await page.evaluate(OVERFLOWING)
      expect(overflowing, `sideways scrolling at ${width} px`).toEqual([])
      expect(await page.evaluate('document.documentElement.scrollWidth'), `page width at ${width} px`).toBe(width)
      await page.screenshot({path: join(SCREENSHOTS, `dashboard-${width}.png`), fullPage: true})
    }
  }, 30_000)
})
