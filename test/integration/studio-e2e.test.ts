// The studio end to end, as a new user walks it, in headless Chromium against the real stack
// (`storybook start` with NODE_ENV=production: the API and the built bundle): sign up, a character
// (with a reload in the middle), a story and its pictures, editing, reordering by keyboard, deleting,
// the PDF, and the API stopped mid-session. Every screen is checked at 1440 and 375 px with axe-core.
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Browser, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {
  checkScreen,
  collectConsoleErrors,
  launchChromium,
  startStudio,
  waitFor,
  type StudioStack,
} from '../helpers/browser.js'
import {REPO_ROOT} from '../helpers/cli.js'

/** What Chromium logs for the requests that fail while the API is stopped (the web server's proxy answers 502). */
const API_DOWN_REQUEST = /^Failed to load resource: the server responded with a status of 50[234]\b/

let stack: StudioStack
let browser: Browser
let page: Page
let consoleErrors: string[]
let apiStopped = false
/** While a wrong password is tried on purpose, its 401 is the one console error let through. */
let refusingLogin = false
/** The console errors let through while the API was stopped: the failed requests, and only those. */
const failedWhileDown: string[] = []
const findings: string[] = []
const screenshots: string[] = []

const USER = {name: 'Ada Reader', email: `ada.${process.pid}@example.com`, password: 'a long enough secret'}
const CHARACTER = 'Mira'
const TITLE = 'Mira and the sea'

async function screen(name: string): Promise<void> {
  const result = await checkScreen(page, name)
  findings.push(...result.findings)
  screenshots.push(...result.screenshots)
}

const cards = () => page.locator('li.page-card')
const pageIds = () => cards().evaluateAll((items) => items.map((item) => item.getAttribute('data-page-id') ?? ''))
const heading = (name: string) => page.getByRole('heading', {name, exact: true}).waitFor()

async function waitForCards(count: number): Promise<void> {
  await waitFor(`${count} pages in the editor`, async () => ((await cards().count()) === count ? true : undefined))
}

/** Pages in a PDF: pdfinfo when installed, else its page objects. */
function pdfPageCount(path: string, bytes: Buffer): number {
  if (existsSync('/usr/bin/pdfinfo')) {
    const info = execFileSync('/usr/bin/pdfinfo', [path], {encoding: 'utf8'})
    return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])
  }
  return bytes.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html')))
    throw new Error('The studio is not built (web/dist): npm run build')
  browser = await launchChromium()
  stack = await startStudio({production: true})
  page = await browser.newPage({viewport: {width: 1440, height: 1000}, acceptDownloads: true})
  page.setDefaultTimeout(30_000)
  consoleErrors = collectConsoleErrors(page, (text) => {
    const expected =
      (apiStopped && API_DOWN_REQUEST.test(text)) || (refusingLogin && /status of 401 .*\/api\/auth\/login/.test(text))
    if (expected) failedWhileDown.push(text)
    return expected
  })
}, 180_000)

// Each test answers for its own findings: they are emptied after being checked.
afterEach(() => {
  expect(consoleErrors.splice(0), 'the studio logged errors').toEqual([])
  expect(findings.splice(0), 'axe-core or the 375 px layout found problems').toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
  if (screenshots.length > 0) process.stderr.write(`studio screenshots:\n  ${screenshots.join('\n  ')}\n`)
})

describe('the studio, walked as a new user (production build)', () => {
  it('signs up and lands on the welcome', async () => {
    await page.goto(stack.web)
    await heading('Log in')
    await screen('login')
    await page.getByRole('link', {name: 'Create an account'}).click()
    await heading('Create your account')
    await screen('signup')
    await page.getByLabel('Your name').fill(USER.name)
    await page.getByLabel('Email').fill(USER.email)
    await page.getByLabel('Password').fill(USER.password)
    await page.getByRole('button', {name: 'Sign up'}).click()
    await heading(`Welcome, ${USER.name}!`)
    await screen('dashboard-welcome')
  }, 60_000)

  it('builds a character with the wizard: picture tiles, a live preview, and a reload that keeps the input', async () => {
    await page.getByRole('link', {name: 'Create your first character'}).click()
    await heading('New character')
    await page.getByLabel('Name', {exact: true}).fill(CHARACTER)
    await page.getByLabel('Description (optional)').fill('A girl who loves the sea.')
    await screen('character-basics')
    await page.reload()
    expect(await page.getByLabel('Name', {exact: true}).inputValue()).toBe(CHARACTER)
    expect(await page.getByLabel('Description (optional)').inputValue()).toBe('A girl who loves the sea.')

    await page.getByRole('button', {name: 'Next'}).click()
    await heading('Looks')
    const pickers = page.locator('fieldset.trait-picker')
    for (let index = 0; index < (await pickers.count()); index++)
      await pickers.nth(index).locator('.tile').nth(1).click()
    const tiles = await page.locator('.tile').count()
    await waitFor('every trait tile to show its picture', async () =>
      (await page.locator('.tile img').count()) === tiles ? true : undefined,
    )
    await waitFor('the live preview', async () =>
      (await page.evaluate(
        `(({complete, naturalWidth}) => complete && naturalWidth > 0)(document.querySelector('img[alt="Preview of ${CHARACTER}"]'))`,
      ))
        ? true
        : undefined,
    )
    await screen('character-looks')
    const chosen = () =>
      page
        .locator('.tile input:checked')
        .evaluateAll((inputs) => inputs.map((input) => input.id || input.getAttribute('value')))
    const before = await chosen()
    await page.reload()
    await heading('Looks')
    expect(await chosen()).toEqual(before)

    await page.getByRole('button', {name: 'Next'}).click()
    await heading('Personality')
    for (let index = 0; index < (await pickers.count()); index++)
      await pickers.nth(index).locator('.tile').first().click()
    await screen('character-personality')
    await page.getByRole('button', {name: 'Next'}).click()
    await heading('Preview and save')
    expect(await page.locator('.summary').textContent()).toContain(CHARACTER)
    await screen('character-preview')
    await page.getByRole('button', {name: 'Save character'}).click()
    await page.getByText(`${CHARACTER} is ready for a story.`).waitFor()
    await screen('characters')
  }, 120_000)

  it('makes a story: picks the character, theme and age, and watches the pictures being drawn', async () => {
    await page.getByRole('link', {name: 'Dashboard'}).click()
    await page.locator('dl.counts').waitFor()
    await screen('dashboard')
    await page.getByRole('link', {name: 'New story'}).click()
    await heading('New story')
    await page.locator('.tile', {hasText: CHARACTER}).click()
    await screen('story-characters')
    await page.getByRole('button', {name: 'Next'}).click()
    await heading('Title, theme and age')
    await page.getByLabel('Title').fill(TITLE)
    await page.getByLabel('Theme (optional)').fill('a trip to the sea')
    await page.getByRole('radio', {name: '5-7'}).check()
    await page.getByLabel('Pages').fill('4')
    await screen('story-details')
    await page.getByRole('button', {name: 'Next'}).click()
    await heading('Write and illustrate')
    await page.getByRole('button', {name: 'Write and illustrate'}).click()
    await page.locator('.job-progress progress').waitFor()
    await page.getByText('All 4 pictures are drawn.').waitFor({timeout: 90_000})
    await screen('story-drawn')
    await page.getByRole('button', {name: 'Open in the editor'}).click()
    await heading(TITLE)
    await waitForCards(4)
  }, 150_000)

  it('edits a page, reorders pages by keyboard (kept after a reload) and deletes one', async () => {
    await screen('editor')
    const first = cards().nth(0)
    await page.getByLabel('Text of page 1').fill('Mira ran down to the sea at dawn.')
    await first.getByRole('button', {name: 'Save text'}).click()
    await first.getByRole('button', {name: 'Saved'}).waitFor()

    const before = await pageIds()
    const saved = page.waitForResponse((response) => response.url().endsWith('/pages/order') && response.ok())
    await page.getByRole('button', {name: 'Move down (page 1)'}).focus()
    await page.keyboard.press('Alt+ArrowDown')
    await saved
    const moved = [before[1], before[0], ...before.slice(2)]
    expect(await pageIds()).toEqual(moved)
    // The keyboard stays on the page that moved.
    expect(await page.evaluate("document.activeElement?.closest('li')?.getAttribute('data-page-id')")).toBe(before[0])
    await page.reload()
    await waitForCards(4)
    expect(await pageIds()).toEqual(moved)
    expect(await page.getByLabel('Text of page 2').inputValue()).toBe('Mira ran down to the sea at dawn.')

    await page.getByRole('button', {name: 'Delete page 4'}).click()
    await page.getByRole('button', {name: 'Delete page 4'}).click()
    await waitForCards(3)
    await page.reload()
    await waitForCards(3)
    expect(await pageIds()).toEqual(moved.slice(0, 3))
    await screen('editor-edited')
  }, 90_000)

  it('downloads the PDF: a real PDF with the cover and every page', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', {name: 'Download PDF'}).click(),
    ])
    expect(download.suggestedFilename()).toBe('Mira-and-the-sea.pdf')
    const path = await download.path()
    const bytes = await readFile(path)
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdfPageCount(path, bytes)).toBe(3 + 1)
  }, 60_000)

  it('says so when the API stops mid-session, keeps what was typed, and saves once it is back', async () => {
    const text = 'Typed while the API was away.'
    await page.getByLabel('Text of page 1').fill(text)
    apiStopped = true
    const stopped = await stack.project.run(['stop', 'api', '--timeout', '5'], {env: stack.env})
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    const first = cards().nth(0)
    await first.getByRole('button', {name: 'Save text'}).click()
    // The studio's own server answers 502 for the API: the full message, with what to do and that nothing is lost
    await first.getByRole('alert').filter({hasText: 'Check that it is running (npx storybook status)'}).waitFor()
    expect(await page.getByLabel('Text of page 1').inputValue()).toBe(text)
    expect(failedWhileDown.length, 'the failed save shows in the console as a failed request').toBeGreaterThan(0)
    await screen('editor-api-down')

    const started = await stack.project.run(['start', 'api', '--json'], {env: stack.env, timeoutMs: 90_000})
    expect(started.exitCode, started.stderr).toBe(0)
    await first.getByRole('button', {name: 'Save text'}).click()
    await first.getByRole('button', {name: 'Saved'}).waitFor()
    expect(await first.getByRole('alert').count()).toBe(0)
    apiStopped = false
    await page.reload()
    await waitForCards(3)
    expect(await page.getByLabel('Text of page 1').inputValue()).toBe(text)
  }, 150_000)

  it('shows the story list, the settings and a missing page without accessibility problems', async () => {
    await page.getByRole('link', {name: 'Stories', exact: true}).click()
    await heading('Stories')
    await page.getByRole('link', {name: TITLE}).first().waitFor()
    await screen('stories')
    await page.getByRole('link', {name: 'Settings'}).click()
    await heading('Settings')
    await screen('settings')
    await page.goto(`${stack.web}/no/such/page`)
    await heading('No such page')
    await screen('not-found')
  }, 60_000)

  it('reports its client metrics to the API: a log-in, a refused one, and page-load timings', async () => {
    // (The API was started again mid-session above: what it holds now came after that.)
    await page.goto(stack.web)
    await page.getByRole('button', {name: /^Log out/}).click()
    await heading('Log in')
    await page.getByLabel('Email').fill(USER.email)
    await page.getByLabel('Password').fill('not the password at all')
    refusingLogin = true
    await page.getByRole('button', {name: 'Log in'}).click()
    await page.getByRole('alert').waitFor()
    refusingLogin = false
    await page.getByLabel('Password').fill(USER.password)
    await page.getByRole('button', {name: 'Log in'}).click()
    await heading('Your studio')
    // Leaving the page sends what is queued (sendBeacon on pagehide)
    await page.goto('about:blank')
    const summary = await waitFor('the studio metrics at the API', async () => {
      const answer = (await (await fetch(`${stack.api}/api/monitoring/client`)).json()) as {
        interactions: Record<string, {attempts: number; successes: number}>
        rejectedRequests: {byStatus: Record<string, number>}
        vitals: Record<string, {count: number}>
      }
      return answer.interactions.login?.attempts === 2 ? answer : undefined
    })
    expect(summary.interactions.login).toMatchObject({attempts: 2, successes: 1})
    expect(summary.rejectedRequests.byStatus['401']).toBeGreaterThanOrEqual(1)
    expect(summary.vitals.TTFB?.count).toBeGreaterThan(0)
  }, 60_000)
})
