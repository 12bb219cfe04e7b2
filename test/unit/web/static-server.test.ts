// The production web server over a real socket: compression, caching rules, the history fallback,
// paths that try to leave the bundle, and /api passed through to a real upstream server.
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer, request, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gunzipSync, brotliDecompressSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createStaticHandler} from '../../../src/web/static-server.js'

const INDEX = `<!doctype html><html><body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body></html>`
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(5000))})`

let root: string
let web: Server
let api: Server
let base: string
let apiRequests: Array<{method?: string; url?: string; body: string}> = []

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** A raw GET (fetch would decompress and normalise the path). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{status: number; headers: Record<string, string | string[] | undefined>; body: Buffer}>(
    (resolve, reject) => {
      const req = request(`${base}${path}`, {method, headers}, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks)}),
        )
      })
      req.on('error', reject)
      req.end()
    },
  )
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'storybook-web-'))
  await mkdir(join(root, 'assets'))
  await writeFile(join(root, 'index.html'), INDEX)
  await writeFile(join(root, 'assets', 'index-3f2a1b.js'), SCRIPT)
  await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  await writeFile(join(tmpdir(), 'outside-web-root.txt'), 'secret')
  api = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      apiRequests.push({method: req.method, url: req.url, body})
      res.writeHead(201, {'content-type': 'application/json'})
      res.end('{"ok":true}')
    })
  })
  const apiPort = await listen(api)
  web = createServer(createStaticHandler({root, apiOrigin: `http://127.0.0.1:${apiPort}`}))
  base = `http://127.0.0.1:${await listen(web)}`
})
afterAll(async () => {
  await new Promise((resolve) => web.close(resolve))
  await new Promise((resolve) => api.close(resolve))
  await rm(root, {recursive: true, force: true})
})

describe('the web app production server', () => {
  it('serves hashed assets compressed and cached for a year, index.html revalidated', async () => {
    const script = await get('/assets/index-3f2a1b.js', {'accept-encoding': 'gzip, br'})
    expect(script.status).toBe(200)
    expect(script.headers['content-encoding']).toBe('br')
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(brotliDecompressSync(script.body).toString()).toBe(SCRIPT)
    expect(script.body.length).toBeLessThan(SCRIPT.length / 10)

    const gzipped = await get('/assets/index-3f2a1b.js', {'accept-encoding': 'gzip'})
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gzipped.body).toString()).toBe(SCRIPT)

    const plain = await get('/assets/index-3f2a1b.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(SCRIPT)

    const index = await get('/')
    expect(index.headers['cache-control']).toBe('no-cache')
    expect(index.body.toString()).toBe(INDEX)
  })

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await get('/index.html')
    const again = await get('/index.html', {'if-none-match': String(first.headers.etag)})
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
  })

  it('answers client-side routes with index.html, and a missing file with 404', async () => {
    const route = await get('/stories/42/edit')
    expect(route.status).toBe(200)
    expect(route.headers['cache-control']).toBe('no-cache')
    expect(route.body.toString()).toBe(INDEX)
    expect((await get('/assets/missing-123.js')).status).toBe(404)
  })

  it('never serves a file outside the bundle', async () => {
    for (const path of [
      '/../outside-web-root.txt',
      '/%2e%2e/outside-web-root.txt',
      '/assets/..%2F..%2Foutside-web-root.txt',
    ]) {
      const answer = await get(path)
      expect(answer.body.toString(), path).not.toContain('secret')
      expect([400, 404, 200], path).toContain(answer.status)
    }
    expect((await get('/%E0%A4%A')).status).toBe(400)
    expect((await get('/index.html%00.js')).status).toBe(400)
  })

  it('refuses other methods with 405 and an Allow header, and answers HEAD without a body', async () => {
    const post = await get('/index.html', {}, 'POST')
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
    const head = await get('/index.html', {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
  })

  it('passes /api to the API with method, path, query and body, and says when the API is down', async () => {
    apiRequests = []
    const answer = await new Promise<{status: number; body: string}>((resolve, reject) => {
      const req = request(
        `${base}/api/stories?limit=2`,
        {method: 'POST', headers: {'content-type': 'application/json'}},
        (response) => {
          let body = ''
          response.on('data', (chunk: Buffer) => (body += chunk.toString()))
          response.on('end', () => resolve({status: response.statusCode ?? 0, body}))
        },
      )
      req.on('error', reject)
      req.end('{"title":"x"}')
    })
    expect(answer).toEqual({status: 201, body: '{"ok":true}'})
    expect(apiRequests).toEqual([{method: 'POST', url: '/api/stories?limit=2', body: '{"title":"x"}'}])

    const down = createServer(createStaticHandler({root, apiOrigin: 'http://127.0.0.1:1'}))
    const port = await listen(down)
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/auth/me`)
      expect(response.status).toBe(502)
      expect(((await response.json()) as {error: {code: string}}).error.code).toBe('EXTERNAL_FAILED')
    } finally {
      await new Promise((resolve) => down.close(resolve))
    }
  })
})
