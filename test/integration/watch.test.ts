// start --watch and the stale-build warning, against a copy of the toolkit (its sources are
// edited here, never the repository's): a change in src/ rebuilds the server bundle and the API
// comes back as a new process; a build older than src/ is pointed out by a plain start.
import {spawn} from 'node:child_process'
import {appendFile, cp, mkdtemp, rm, symlink, utimes} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ServiceStatus} from '../../src/services/services.js'
import {createTempProject, REPO_ROOT, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'

let toolkit: string
let project: TempProject
let port: number
let env: Record<string, string>

beforeAll(async () => {
  toolkit = await mkdtemp(join(tmpdir(), 'storybook-toolkit-copy-'))
  for (const entry of [
    'bin',
    'dist',
    'scripts',
    'src',
    'migrations',
    'package.json',
    'oclif.manifest.json',
    'tsconfig.json',
  ]) {
    await cp(join(REPO_ROOT, entry), join(toolkit, entry), {recursive: true, preserveTimestamps: true})
  }
  await symlink(join(REPO_ROOT, 'node_modules'), join(toolkit, 'node_modules'))
  project = await createTempProject()
  port = await freePort()
  env = {API_PORT: String(port)}
  await project.run(['setup-project', '--skip-install', '--no-seed'])
})
afterAll(async () => {
  await project.run(['stop', '--timeout', '5'], {env})
  await project.cleanup()
  await rm(toolkit, {recursive: true, force: true})
})

/** The copy's CLI: the stale-build warning is about the toolkit that runs. */
function runCopy(args: string[]): Promise<{stderr: string; exitCode: number | null}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(toolkit, 'bin', 'run.js'), ...args], {
      cwd: project.root,
      env: {...process.env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, NO_COLOR: '1', ...env},
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('close', (exitCode) => resolve({stderr, exitCode}))
  })
}

async function apiStatus(): Promise<ServiceStatus | undefined> {
  return (await project.run<{services: ServiceStatus[]}>(['status', '--json'], {env})).json?.services[0]
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('start --watch', () => {
  it('rebuilds and restarts the API after a change in src/, then stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(toolkit, 'bin', 'run.js'), 'start', 'api', '--watch'], {
      cwd: project.root,
      env: {...process.env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, NO_COLOR: '1', ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.resume()
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const first = await until('the API to answer', async () => {
        const status = await apiStatus()
        return status?.state === 'running' && status
      })
      expect(first.mode).toBe('unified')
      await appendFile(join(toolkit, 'src', 'server', 'app.ts'), '\n// a change\n')
      await until('the rebuild', async () => stderr.includes('Rebuilt after a change in src/server/app.ts'))
      const second = await until('the new API process', async () => {
        const status = await apiStatus()
        return status?.state === 'running' && status.pid !== first.pid && status
      })
      expect(second.restarts).toBeGreaterThanOrEqual(1)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect((await apiStatus())?.state).toBe('stopped')
  })

  it('warns a plain start that the build is older than src/', async () => {
    const fresh = await runCopy(['start', 'api'])
    expect(fresh.exitCode, fresh.stderr).toBe(0)
    expect(fresh.stderr).not.toContain('newer than the build')
    await project.run(['stop'], {env})
    const later = new Date(Date.now() + 60_000)
    await utimes(join(toolkit, 'src', 'server', 'routes', 'auth.ts'), later, later)
    const stale = await runCopy(['start', 'api'])
    expect(stale.exitCode, stale.stderr).toBe(0)
    expect(stale.stderr).toContain('Warning: src/server/routes/auth.ts is newer than the build in dist/')
  })
})
