// The web app as a service of `storybook start`: started with the API in the background (the Vite dev
// server, or the built bundle under NODE_ENV=production), both in unified mode with their own prefixes
// and stopped together by Ctrl-C, and a tmux window each with --separate-terminals.
import {execFileSync, spawn} from 'node:child_process'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {isPortOpen} from '../../src/core/process/port-probe.js'
import type {ServiceStatus, StartedService} from '../../src/services/services.js'
import {createTempProject, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'

let project: TempProject
let env: Record<string, string>
let apiPort: number
let webPort: number

beforeEach(async () => {
  project = await createTempProject()
  apiPort = await freePort()
  webPort = await freePort()
  env = {API_PORT: String(apiPort), WEB_PORT: String(webPort)}
  await project.run(['setup-project', '--skip-install'])
})
afterEach(async () => {
  await project.run(['stop', '--timeout', '5'], {env})
  await project.cleanup()
})

async function waitUntil(what: string, done: () => boolean | Promise<boolean>, context?: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${context ? `:\n${context()}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function statuses(extra: Record<string, string> = {}): Promise<ServiceStatus[]> {
  return (await project.run<{services: ServiceStatus[]}>(['status', '--json'], {env: {...env, ...extra}})).json
    ?.services as ServiceStatus[]
}

describe('storybook start with the web app', () => {
  it('starts the API and the Vite dev server together; the page calls the API through it; stop frees both ports', async () => {
    const started = await project.run<{services: StartedService[]}>(['start', '--json'], {env, timeoutMs: 120_000})
    expect(started.exitCode, started.stderr).toBe(0)
    expect(started.json?.services.map((service) => [service.name, service.port])).toEqual([
      ['api', apiPort],
      ['web', webPort],
    ])
    const page = await fetch(`http://127.0.0.1:${webPort}/characters/new`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    const viaProxy = await fetch(`http://127.0.0.1:${webPort}/api/auth/me`)
    expect(viaProxy.status).toBe(401)
    expect(((await viaProxy.json()) as {error: {code: string}}).error.code).toBe('UNAUTHORIZED')
    expect((await statuses()).map((service) => [service.name, service.state])).toEqual([
      ['api', 'running'],
      ['web', 'running'],
      ['dashboard', 'stopped'],
    ])

    const stopped = await project.run(['stop'], {env})
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    expect(await isPortOpen('127.0.0.1', apiPort)).toBe(false)
    expect(await isPortOpen('127.0.0.1', webPort)).toBe(false)
  }, 180_000)

  it('serves the built bundle under NODE_ENV=production, compressed and cached', async () => {
    const production = {...env, NODE_ENV: 'production'}
    const started = await project.run(['start', '--json'], {env: production, timeoutMs: 120_000})
    expect(started.exitCode, started.stderr).toBe(0)
    const index = await fetch(`http://127.0.0.1:${webPort}/stories/7`)
    expect(index.headers.get('cache-control')).toBe('no-cache')
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1]
    expect(script).toBeDefined()
    const asset = await fetch(`http://127.0.0.1:${webPort}${script}`, {headers: {'accept-encoding': 'br'}})
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-encoding')).toBe('br')
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await fetch(`http://127.0.0.1:${webPort}/api/auth/me`)).status).toBe(401)
  }, 180_000)

  it('runs both in unified mode with their own prefixes, and Ctrl-C stops both', async () => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'run.js'), 'start', '--unified-mode'], {
      cwd: project.root,
      env: {
        ...process.env,
        STORYBOOK_ROOT: project.root,
        STORYBOOK_STATE_DIR: project.stateDir,
        ...env,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    await waitUntil(
      'both services to say they listen',
      () => /^api \| .*Server listening/m.test(output) && /^web \| .*ready in/im.test(output),
      () => output,
    )
    await waitUntil('both to answer', async () =>
      (await Promise.all([isPortOpen('127.0.0.1', apiPort), isPortOpen('127.0.0.1', webPort)])).every(Boolean),
    )
    expect((await statuses()).slice(0, 2).map((service) => [service.name, service.state, service.mode])).toEqual([
      ['api', 'running', 'unified'],
      ['web', 'running', 'unified'],
    ])
    child.kill('SIGINT')
    expect(await exited, output).toBe(0)
    expect(await isPortOpen('127.0.0.1', apiPort)).toBe(false)
    expect(await isPortOpen('127.0.0.1', webPort)).toBe(false)
  }, 180_000)

  it('opens a tmux window for each with --separate-terminals', async () => {
    const socket = join(project.root, 'tmux.sock')
    execFileSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'storybook-web-test', '-x', '120', '-y', '30'])
    try {
      const serverPid = execFileSync('tmux', ['-S', socket, 'display-message', '-p', '#{pid}'], {encoding: 'utf8'})
      const tmuxEnv = {...env, TMUX: `${socket},${serverPid.trim()},0`}
      const started = await project.run<{services: StartedService[]}>(['start', '--separate-terminals', '--json'], {
        env: tmuxEnv,
        timeoutMs: 120_000,
      })
      expect(started.exitCode, started.stderr).toBe(0)
      const windows = execFileSync('tmux', ['-S', socket, 'list-windows', '-F', '#{window_name}'], {encoding: 'utf8'})
      expect(windows).toContain('storybook api')
      expect(windows).toContain('storybook web')
      expect((await statuses()).slice(0, 2).map((service) => service.mode)).toEqual(['terminal', 'terminal'])
      expect((await project.run(['stop'], {env})).exitCode).toBe(0)
      expect(await isPortOpen('127.0.0.1', webPort)).toBe(false)
    } finally {
      execFileSync('tmux', ['-S', socket, 'kill-server'])
    }
  }, 180_000)
})
