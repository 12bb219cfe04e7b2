// The studio under the Vite dev server (`storybook start` without NODE_ENV=production), in headless
// Chromium: sign up, the welcome, log out and in again, and the dashboard with data. The production
// build's full walk is in studio-e2e.test.ts; this proves the dev mode a contributor runs works too.
import type {Browser, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {checkScreen, collectConsoleErrors, launchChromium, startStudio, type StudioStack} from '../helpers/browser.js'

let stack: StudioStack
let browser: Browser
let page: Page
let consoleErrors: string[]
const findings: string[] = []
const USER = {name: 'Dev Reader', email: `dev.${process.pid}@example.com`, password: 'a long enough secret'}

const heading = (name: string) => page.getByRole('heading', {name, exact: true}).waitFor()

async function screen(name: string): Promise<void> {
  findings.push(...(await checkScreen(page, `dev-${name}`)).findings)
}

beforeAll(async () => {
  browser = await launchChromium()
  stack = await startStudio({production: false})
  page = await browser.newPage({viewport: {width: 1440, height: 1000}})
  // The dev server compiles each module on first request: a first visit can be slow.
  page.setDefaultTimeout(60_000)
  consoleErrors = collectConsoleErrors(page)
}, 180_000)

// Each test answers for its own findings: they are emptied after being checked.
afterEach(() => {
  expect(consoleErrors.splice(0), 'the studio logged errors').toEqual([])
  expect(findings.splice(0), 'axe-core or the 375 px layout found problems').toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

describe('the studio on the Vite dev server', () => {
  it('signs up, logs out and in again, and shows the dashboard with a character', async () => {
    await page.goto(`${stack.web}/signup`)
    await heading('Create your account')
    await screen('signup')
    await page.getByLabel('Your name').fill(USER.name)
    await page.getByLabel('Email').fill(USER.email)
    await page.getByLabel('Password').fill(USER.password)
    await page.getByRole('button', {name: 'Sign up'}).click()
    await heading(`Welcome, ${USER.name}!`)
    await screen('dashboard-welcome')

    // A character made through the API (as the wizard would), so the dashboard has data to show.
    const token = (await page.evaluate("JSON.parse(localStorage.getItem('storybook.session')).state.token")) as string
    const created = await fetch(`${stack.web}/api/characters`, {
      method: 'POST',
      headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
      body: JSON.stringify({name: 'Pip', traits: {ageGroup: 'child', species: 'owl'}}),
    })
    expect(created.status, await created.clone().text()).toBe(201)

    await page.getByRole('button', {name: `Log out ${USER.name}`}).click()
    await heading('Log in')
    await page.getByLabel('Email').fill(USER.email)
    await page.getByLabel('Password').fill(USER.password)
    await page.getByRole('button', {name: 'Log in'}).click()
    await heading('Your studio')
    await page.getByRole('img', {name: 'Portrait of Pip'}).waitFor()
    expect(await page.locator('dl.counts dd').first().textContent()).toBe('1')
    await screen('dashboard')
  }, 180_000)
})
