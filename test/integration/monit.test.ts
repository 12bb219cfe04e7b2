// storybook monit through the built CLI with a real API started on a free port: plain lines off a
// terminal (and one JSON document with --count), and the full-screen view in a real terminal (a
// private tmux server): it draws the services, moves the selection with j/k and quits on q, leaving
// the alternate screen and showing the cursor again.
import {execFileSync, spawn} from 'node:child_process'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {VARIABLES} from '../../src/core/config/schema.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import type {MonitRound} from '../../src/services/monit/sampler.js'
import {CLI, createTempProject, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'

let project: TempProject
let env: Record<string, string>
let tmuxSocket: string | undefined

/** The test runner's environment without our variables and colour switches, as runCli passes it. */
function cliEnvironment(): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {...process.env}
  for (const key of [...VARIABLES.map((variable) => variable.key), 'NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'CI', 'TERM'])
    delete base[key]
  return base
}

beforeEach(async () => {
  project = await createTempProject()
  env = {
    API_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    DASHBOARD_PORT: String(await freePort()),
  }
  const setup = await project.run(['setup-project', '--skip-install'])
  expect(setup.exitCode, setup.stderr).toBe(0)
  const started = await project.run(['start', 'api'], {env, timeoutMs: 60_000})
  expect(started.exitCode, started.stderr).toBe(0)
})
afterEach(async () => {
  if (tmuxSocket) execFileSync('tmux', ['-L', tmuxSocket, 'kill-server'])
  tmuxSocket = undefined
  await project.run(['stop', '--timeout', '5'], {env})
  await project.cleanup()
})

async function waitFor<T>(what: string, probe: () => T | undefined, context: () => string): Promise<T> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${context()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function waitForAsync<T>(what: string, probe: () => Promise<T | undefined>, context: () => string): Promise<T> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${context()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('storybook monit off a terminal', () => {
  it('prints one plain line per service per round and stops after --count', async () => {
    const watched = await project.run(['monit', '--count', '2', '--interval', '1'], {env})
    expect(watched.exitCode, watched.stderr).toBe(0)
    expect(watched.stdout).not.toMatch(/\u001B/)
    const lines = watched.stdout.trim().split('\n')
    const api = lines.filter((line) => / api /.test(line))
    expect(api, watched.stdout).toHaveLength(2)
    expect(api[0]).toMatch(/ api running pid=\d+ cpu=[\d.]+% memory=[\d.]+(MB|kB) restarts=0 health=[\d.]+ms$/)
    expect(lines.filter((line) => / dashboard stopped /.test(line))).toHaveLength(2)
    expect(lines).toHaveLength(6) // api, web and dashboard, twice
  })

  it('ends at once on SIGINT or SIGTERM, not after the interval, with exit 0', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [CLI, 'monit', '--interval', '600'], {
        cwd: project.root,
        env: {...cliEnvironment(), STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, ...env},
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
      await waitFor(
        'the first round',
        () => (/ api running /.test(output) ? true : undefined),
        () => output,
      )
      child.kill(signal)
      let code: number | null | undefined
      void exited.then((value) => (code = value))
      await waitFor(
        `monit to end on ${signal}`,
        () => (code === undefined ? undefined : true),
        () => output,
      )
      expect(code, output).toBe(0)
      expect(
        output
          .trim()
          .split('\n')
          .filter((line) => / api /.test(line)),
      ).toHaveLength(1)
    }
  })

  it('prints one JSON document with the samples, and refuses --json without --count', async () => {
    const json = await project.run<{samples: Array<Pick<MonitRound, 'time' | 'services' | 'alerts'>>}>(
      ['monit', 'api', '--json', '--count', '2', '--interval', '1'],
      {env},
    )
    expect(json.exitCode, json.stderr).toBe(0)
    expect(json.json?.samples).toHaveLength(2)
    const [first, second] = json.json?.samples ?? []
    expect(first?.services).toEqual([expect.objectContaining({name: 'api', state: 'running'})])
    expect(second!.time).toBeGreaterThan(first!.time)
    expect(first?.alerts).toBeNull() // no dashboard history yet

    const endless = await project.run<ErrorDocument>(['monit', '--json'], {env})
    expect(endless.exitCode).toBe(2)
    expect(endless.json?.error.next).toEqual(expect.arrayContaining([expect.stringContaining('--count')]))
  })
})

describe("storybook monit with the dashboard's history", () => {
  it('draws the sparklines from the points the dashboard collected, and shows its open alerts', async () => {
    const withDashboard = {...env, MONITOR_INTERVAL_MS: '250'}
    const started = await project.run(['start', 'dashboard'], {env: withDashboard, timeoutMs: 60_000})
    expect(started.exitCode, started.stderr).toBe(0)
    let last = ''
    const sample = await waitForAsync(
      'a round drawn from the dashboard history',
      async () => {
        const watched = await project.run<{samples: Array<Pick<MonitRound, 'alerts' | 'trendSource'>>}>(
          ['monit', 'api', '--json', '--count', '1'],
          {env: withDashboard},
        )
        last = watched.stdout + watched.stderr
        const [first] = watched.json?.samples ?? []
        return first?.trendSource === 'dashboard' ? first : undefined
      },
      () => last,
    )
    expect(Array.isArray(sample.alerts)).toBe(true)
  }, 90_000)
})

describe('storybook monit on a terminal', () => {
  it('draws every service, moves the selection with j and k, and restores the terminal on q', async () => {
    tmuxSocket = `storybook-monit-${process.pid}-${Date.now()}`
    const variables = Object.entries({...env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir})
    const command = `env ${variables.map(([key, value]) => `${key}=${value}`).join(' ')} ${process.execPath} ${CLI} monit; echo "monit exited $?"; exec cat`
    execFileSync('tmux', ['-L', tmuxSocket, 'new-session', '-d', '-x', '140', '-y', '40', '-c', project.root, command])
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', tmuxSocket!, ...args], {encoding: 'utf8'})
    const screen = () => tmux('capture-pane', '-p')
    const selected = () =>
      screen()
        .split('\n')
        .find((line) => line.startsWith('▶'))

    await waitFor(
      'the view with the API running',
      () => (/▶ api\s+running\s+\d+/.test(screen()) ? true : undefined),
      screen,
    )
    expect(screen()).toMatch(/^\s+web\s+stopped/m)
    expect(screen()).toContain('Log: api')
    expect(screen()).toContain('Server listening at http://127.0.0.1:')
    expect(tmux('display-message', '-p', '#{alternate_on} #{cursor_flag}').trim()).toBe('1 0')

    tmux('send-keys', 'j')
    await waitFor('web selected', () => (selected()?.startsWith('▶ web') ? true : undefined), screen)
    await waitFor("web's log shown", () => (screen().includes('Log: web') ? true : undefined), screen)
    tmux('send-keys', 'k')
    await waitFor('api selected again', () => (selected()?.startsWith('▶ api') ? true : undefined), screen)

    tmux('send-keys', 'q')
    await waitFor('monit to quit', () => (screen().includes('monit exited 0') ? true : undefined), screen)
    expect(screen()).not.toContain('storybook monit')
    expect(tmux('display-message', '-p', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1')
  }, 60_000)
})
