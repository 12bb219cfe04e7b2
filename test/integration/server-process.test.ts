// The real server process (dist/server.cjs): it starts, serves, and on SIGTERM finishes every
// in-flight request before it exits 0.
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer as createHttpServer, request as httpRequest} from 'node:http'
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

/** A request on a connection of its own; `sent` resolves once the whole request is on the wire. */
function requestOnNewConnection(
  method: string,
  url: string,
  authorization: string,
): {sent: Promise<void>; done: Promise<{status: number; bytes: number}>} {
  let markSent: () => void = () => {}
  const sent = new Promise<void>((resolve) => (markSent = resolve))
  const done = new Promise<{status: number; bytes: number}>((resolve, reject) => {
    const request = httpRequest(url, {method, agent: false, headers: {authorization}}, (response) => {
      let bytes = 0
      response.on('data', (chunk: Buffer) => (bytes += chunk.length))
      response.on('end', () => resolve({status: response.statusCode ?? 0, bytes}))
      response.on('error', reject)
    })
    // On the wire: connected (the server's kernel holds the connection) and every byte handed over.
    let connected = false
    let finished = false
    const check = () => connected && finished && markSent()
    request.on('socket', (socket) => socket.once('connect', () => ((connected = true), check())))
    request.on('finish', () => ((finished = true), check()))
    request.on('error', reject)
    request.end()
  })
  return {sent, done}
}

async function startServer(
  env: Record<string, string> = {},
): Promise<{base: string; output: () => string; exited: Promise<number | null>}> {
  const port = await freePort()
  let output = ''
  child = spawn(process.execPath, [SERVER], {
    cwd: project.root,
    env: {
      ...process.env,
      STORYBOOK_ROOT: project.root,
      STORYBOOK_STATE_DIR: project.stateDir,
      API_PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
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
  it('draws a PDF export off the event loop: other requests are answered meanwhile', async () => {
    const server = await startServer({LOG_LEVEL: 'warn'})
    const json = async (path: string, init: RequestInit = {}) =>
      (await fetch(`${server.base}${path}`, init)).json() as Promise<Record<string, unknown>>
    const {token} = (await json('/api/auth/login', {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({email: 'demo@storybook.local', password: 'storybook-demo'}),
    })) as {token: string}
    const headers = {authorization: `Bearer ${token}`, 'content-type': 'application/json'}
    const story = (await json('/api/stories', {
      method: 'POST',
      headers,
      body: JSON.stringify({title: 'A long one', generatePages: 24}),
    })) as {id: string}
    const job = (await json(`/api/stories/${story.id}/illustrations`, {method: 'POST', headers})) as {id: string}
    for (let wait = 0; wait < 200 && (await json(`/api/jobs/${job.id}`, {headers})).status !== 'succeeded'; wait++)
      await new Promise((resolve) => setTimeout(resolve, 50))

    let exporting = true
    const exported = fetch(`${server.base}/api/stories/${story.id}/export.pdf`, {headers}).then(async (response) => {
      const bytes = Buffer.from(await response.arrayBuffer())
      exporting = false
      return {status: response.status, bytes}
    })
    const latencies: number[] = []
    while (exporting) {
      const started = performance.now()
      await fetch(`${server.base}/health`)
      latencies.push(performance.now() - started)
    }
    const pdf = await exported
    expect(pdf.status).toBe(200)
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-')
    expect(latencies.length).toBeGreaterThan(3) // the export took a while, and /health kept answering
    expect(Math.max(...latencies)).toBeLessThan(150)
  })

  it('finishes in-flight requests on SIGTERM, loses none, and exits 0', async () => {
    // Requests that wait on a slow image service: in flight for a second each when the signal comes.
    const images = createHttpServer((_request, response) => {
      setTimeout(
        () =>
          response
            .writeHead(200, {'content-type': 'application/json'})
            .end(JSON.stringify({data: [{b64_json: Buffer.from('PNG').toString('base64')}]})),
        800,
      )
    })
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve))
    try {
      const imageUrl = `http://127.0.0.1:${(images.address() as {port: number}).port}/v1/images/generations`
      const server = await startServer({IMAGE_PROVIDER: 'http', IMAGE_API_URL: imageUrl})
      const login = await fetch(`${server.base}/api/auth/login`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({email: 'demo@storybook.local', password: 'storybook-demo'}),
      })
      const {token} = (await login.json()) as {token: string}
      const authorization = `Bearer ${token}`
      const page = '00000000-0000-4000-8000-000000000300'
      const url = `${server.base}/api/stories/00000000-0000-4000-8000-000000000201/pages/${page}/regenerate`
      const requests = Array.from({length: 20}, () => requestOnNewConnection('POST', url, authorization))
      await Promise.all(requests.map((request) => request.sent))
      const received = () => (server.output().match(/regenerate[^\n]*"msg":"incoming request"/g) ?? []).length
      for (let wait = 0; received() < 20 && wait < 1000; wait++) await new Promise((resolve) => setTimeout(resolve, 5))
      const completedBeforeSignal = (server.output().match(/"statusCode":200[^\n]*"msg":"request completed"/g) ?? [])
        .length
      child?.kill('SIGTERM')
      const results = await Promise.all(requests.map((request) => request.done))
      expect(results.map((result) => result.status)).toEqual(Array.from({length: 20}, () => 200))
      expect(await server.exited).toBe(0)
      expect(server.output()).toContain('"msg":"shutting down"')
      // Only the login had completed when the signal came: all twenty were in flight
      expect(completedBeforeSignal).toBe(1)
      await expect(fetch(`${server.base}/health`)).rejects.toThrow()
    } finally {
      images.closeAllConnections()
      images.close()
    }
  })

  it('stops listening and exits 0 under steady traffic', async () => {
    const server = await startServer()
    let stop = false
    const traffic = (async () => {
      while (!stop) {
        await fetch(`${server.base}/health`).catch(() => {})
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 200))
    const signalled = Date.now()
    child?.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(Date.now() - signalled).toBeLessThan(5_000)
    stop = true
    await traffic
  })

  it('writes JSON log lines without tokens or passwords', async () => {
    const server = await startServer()
    await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({email: 'demo@storybook.local', password: 'storybook-demo'}),
    })
    await fetch(`${server.base}/api/auth/me`, {headers: {authorization: 'Bearer abcdefghijklmnopqrstuvwxyz0123456789'}})
    child?.kill('SIGTERM')
    await server.exited
    const lines = server
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {msg: string})
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
