// The real server process (dist/server.cjs): it starts, serves, and on SIGTERM finishes every
// in-flight request before it exits 0.
import {spawn, type ChildProcess} from 'node:child_process'
import {request as httpRequest} from 'node:http'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {createTempProject, REPO_ROOT, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'

const SERVER = join(REPO_ROOT, 'dist', 'server.cjs')

let project: TempProject
let child: ChildProcess | undefined
beforeEach(async () => {
  project = await createTempProject()
  await project.run(['setup-project', '--skip-install'])
})
afterEach(async () => {
  // Only the server this test started, by its PID.
  if (child?.pid && child.exitCode === null) child.kill('SIGKILL')
  child = undefined
  await project.cleanup()
})

/** GET on a fresh connection (no pooling): the request is on the wire at once. */
function exportOnNewConnection(url: string, authorization: string): Promise<{status: number; bytes: number}> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {agent: false, headers: {authorization}}, (response) => {
      let bytes = 0
      response.on('data', (chunk: Buffer) => (bytes += chunk.length))
      response.on('end', () => resolve({status: response.statusCode ?? 0, bytes}))
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end()
  })
}

async function startServer(env: Record<string, string> = {}): Promise<{base: string; output: () => string; exited: Promise<number | null>}> {
  const port = await freePort()
  let output = ''
  child = spawn(process.execPath, [SERVER], {
    cwd: project.root,
    env: {...process.env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, API_PORT: String(port), LOG_LEVEL: 'info', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) return {base, output: () => output, exited}
    try {
      if ((await fetch(`${base}/health`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {base, output: () => output, exited}
}

describe('the API server process', () => {
  it('finishes in-flight requests on SIGTERM, loses none, and exits 0', async () => {
    const server = await startServer()
    const login = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({email: 'demo@storybook.local', password: 'storybook-demo'}),
    })
    const {token} = (await login.json()) as {token: string}
    const headers = {authorization: `Bearer ${token}`, 'content-type': 'application/json'}
    // A long illustrated story, so that each export takes a while
    const story = (await (
      await fetch(`${server.base}/api/stories`, {method: 'POST', headers, body: JSON.stringify({title: 'Long', characterIds: ['00000000-0000-4000-8000-000000000101'], generatePages: 24})})
    ).json()) as {id: string}
    const job = (await (await fetch(`${server.base}/api/stories/${story.id}/illustrations`, {method: 'POST', headers: {authorization: headers.authorization}})).json()) as {id: string}
    for (let poll = 0; poll < 200; poll++) {
      const state = (await (await fetch(`${server.base}/api/jobs/${job.id}`, {headers})).json()) as {status: string}
      if (state.status === 'succeeded') break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const url = `${server.base}/api/stories/${story.id}/export.pdf`
    const before = server.output().split('"msg":"request completed"').length - 1
    // Twenty requests, each on a connection of its own, all sent before the signal.
    const inFlight = Array.from({length: 20}, () => exportOnNewConnection(url, headers.authorization))
    // In flight means received: wait until the server has logged all twenty, then stop it.
    const received = () => (server.output().match(/"msg":"incoming request"[^\n]*export\.pdf|export\.pdf[^\n]*"msg":"incoming request"/g) ?? []).length
    for (let wait = 0; received() < 3 && wait < 500; wait++) await new Promise((resolve) => setTimeout(resolve, 10))
    const completedBeforeSignal = server.output().split('"msg":"request completed"').length - 1 - before
    child?.kill('SIGTERM')
    const results = await Promise.all(inFlight)
    expect(results.map((result) => result.status)).toEqual(Array.from({length: 20}, () => 200))
    expect(results.every((result) => result.bytes > 1000)).toBe(true)
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('"msg":"shutting down"')
    // Most of them were still running when the signal came (the test proves something)
    expect(completedBeforeSignal).toBeLessThan(15)
    await expect(fetch(`${server.base}/health`)).rejects.toThrow()
  })

  it('writes JSON log lines without tokens or passwords', async () => {
    const server = await startServer()
    await fetch(`${server.base}/api/auth/login`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({email: 'demo@storybook.local', password: 'storybook-demo'})})
    await fetch(`${server.base}/api/auth/me`, {headers: {authorization: 'Bearer abcdefghijklmnopqrstuvwxyz0123456789'}})
    child?.kill('SIGTERM')
    await server.exited
    const lines = server.output().trim().split('\n').map((line) => JSON.parse(line) as {msg: string})
    expect(lines.some((line) => line.msg === 'request completed')).toBe(true)
    expect(server.output()).not.toContain('storybook-demo')
    expect(server.output()).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789')
  })

  it('refuses to start on a taken port, saying so, with exit 5', async () => {
    const first = await startServer()
    const port = new URL(first.base).port
    const second = spawn(process.execPath, [SERVER], {
      cwd: project.root,
      env: {...process.env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, API_PORT: port},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve))
    expect(code).toBe(5)
    expect(stderr).toContain(`Port ${port} is already in use`)
  })

  it('exits 3 listing the problems when the configuration is invalid', async () => {
    const server = await startServer({RATE_LIMIT_MAX: 'lots'})
    expect(await server.exited).toBe(3)
    expect(server.output()).toContain('RATE_LIMIT_MAX: invalid (from environment)')
  })
})
