// Headless Chromium for the studio's end-to-end tests: launching it (failing, never skipping, when it
// is missing), collecting console errors, axe-core checks, sideways scrolling, screenshots at both
// widths, and the real stack (`storybook start`) on free ports in a temporary project.
import {existsSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {chromium, type Browser, type Page} from 'playwright-core'
import {createTempProject, REPO_ROOT, type TempProject} from './cli.js'
import {freePort} from './postgres.js'
export {waitFor} from './wait.js'

export const CHROMIUM = '/usr/bin/chromium'
export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'studio')
export const WIDTHS = [1440, 375] as const
const AXE = join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js')

/** Launches headless Chromium; a machine without it fails here, saying what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not at ${CHROMIUM}; the studio's end-to-end tests need it: apt-get install -y chromium`,
    )
  return chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking']})
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs` saying what it waited for. */

/**
 * Records the page's console errors and uncaught exceptions. `expected` says which ones are part of
 * the scenario (say, failed requests while the API is stopped); everything else is a finding.
 */
export function collectConsoleErrors(page: Page, expected: (text: string) => boolean = () => false): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    // A failed request's message does not name the URL; its location does.
    const text = `${message.text()} (${message.location().url})`
    if (message.type() === 'error' && !expected(text)) errors.push(`console: ${text}`)
  })
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
  return errors
}

interface AxeResult {
  violations: Array<{id: string; impact: string | null; help: string; nodes: Array<{target: unknown[]}>}>
}

/** axe-core's serious and critical violations on the page as it is now, one readable line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.addScriptTag({path: AXE})
  const result = (await page.evaluate('axe.run()')) as AxeResult
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => {
      const where = violation.nodes.slice(0, 3).map((node) => JSON.stringify(node.target))
      return `${violation.impact} ${violation.id}: ${violation.help} (${where.join(', ')})`
    })
}

/** Elements reaching past the right edge of the window, that is, a page that scrolls sideways (in the page's words). */
const OVERFLOWING = `(() => {
  const width = document.documentElement.clientWidth
  if (document.documentElement.scrollWidth <= width) return []
  return [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((element) => element.tagName + '.' + element.className + ' ' + Math.round(element.getBoundingClientRect().right))
})()`

export const overflowingElements = (page: Page): Promise<string[]> => page.evaluate(OVERFLOWING)

/** Two animation frames: the layout has settled after a resize. */
const SETTLED = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))'

/**
 * Checks the screen at each width: a screenshot in test-results/studio, no serious or critical axe
 * violation, and at 375 px no sideways scroll. Returns the findings (empty when all is well) and the
 * screenshots' paths. The viewport is back at 1440 px afterwards.
 */
export async function checkScreen(page: Page, name: string): Promise<{findings: string[]; screenshots: string[]}> {
  await mkdir(SCREENSHOTS, {recursive: true})
  const findings: string[] = []
  const screenshots: string[] = []
  for (const width of WIDTHS) {
    await page.setViewportSize({width, height: width === 375 ? 812 : 1000})
    // Let the layout settle at the new width before it is judged.
    await page.evaluate(SETTLED)
    const path = join(SCREENSHOTS, `${name}-${width}.png`)
    await page.screenshot({path, fullPage: true})
    screenshots.push(path)
    for (const violation of await seriousAxeViolations(page)) findings.push(`${name} at ${width} px: ${violation}`)
    if (width === 375)
      for (const element of await overflowingElements(page))
        findings.push(`${name} at 375 px scrolls sideways: ${element}`)
  }
  await page.setViewportSize({width: 1440, height: 1000})
  return {findings, screenshots}
}

export interface StudioStack {
  project: TempProject
  env: Record<string, string>
  /** The studio's address, http://127.0.0.1:<WEB_PORT>. */
  web: string
  /** The API's own address, for setting up data without the browser. */
  api: string
  stop(): Promise<void>
}

/**
 * `storybook start` (api and web) in a fresh project on free ports: the built bundle with
 * `production`, the Vite dev server without. The rate limit is raised: the trait tiles alone ask
 * the API for some fifty previews.
 */
export async function startStudio({production}: {production: boolean}): Promise<StudioStack> {
  const project = await createTempProject()
  const [apiPort, webPort] = [await freePort(), await freePort()]
  const env: Record<string, string> = {
    API_PORT: String(apiPort),
    WEB_PORT: String(webPort),
    RATE_LIMIT_MAX: '100000',
    RATE_LIMIT_AUTH_MAX: '1000',
    ...(production ? {NODE_ENV: 'production'} : {}),
  }
  const setup = await project.run(['setup-project', '--skip-install'], {timeoutMs: 60_000})
  if (setup.exitCode !== 0) throw new Error(`storybook setup-project failed:\n${setup.stderr}`)
  const started = await project.run(['start', '--json'], {env, timeoutMs: 120_000})
  if (started.exitCode !== 0) throw new Error(`storybook start failed (${started.exitCode}):\n${started.stderr}`)
  return {
    project,
    env,
    web: `http://127.0.0.1:${webPort}`,
    api: `http://127.0.0.1:${apiPort}`,
    stop: async () => {
      await project.run(['stop', '--timeout', '5'], {env})
      await project.cleanup()
    },
  }
}
