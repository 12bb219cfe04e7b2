// The web app's production server: the built bundle from web/dist, compressed, hashed assets cached
// for a year, index.html revalidated on every load, client-side routes answered with index.html, and
// /api passed through to the API so that the app's relative URLs work as they do under Vite's proxy.
import {createHash} from 'node:crypto'
import {readFile, stat} from 'node:fs/promises'
import {request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http'
import {extname, join, normalize, sep} from 'node:path'
import {brotliCompressSync, constants as zlib, gzipSync} from 'node:zlib'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.map'])
/** Below this, compressing costs more than the bytes it saves. */
const MIN_COMPRESS_BYTES = 1024
/** Vite puts content-hashed files here: their URL changes whenever their bytes do. */
const HASHED_PREFIX = '/assets/'

export interface StaticServerOptions {
  /** The built bundle (web/dist). */
  root: string
  /** Where /api requests go, e.g. http://127.0.0.1:8000. */
  apiOrigin: string
}

interface Prepared {
  body: Buffer
  etag: string
  contentType: string
  variants: Map<'br' | 'gzip', Buffer>
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void

export function createStaticHandler(options: StaticServerOptions): RequestHandler {
  // Keyed by path and modification time: a rebuilt file is read and compressed again.
  const cache = new Map<string, Prepared>()
  const prepare = async (file: string): Promise<Prepared | undefined> => {
    const info = await stat(file).catch(() => undefined)
    if (!info?.isFile()) return undefined
    const key = `${file}:${info.mtimeMs}:${info.size}`
    const cached = cache.get(key)
    if (cached) return cached
    const body = await readFile(file)
    const extension = extname(file)
    const prepared: Prepared = {
      body,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      variants: new Map(),
    }
    if (COMPRESSIBLE.has(extension) && body.length >= MIN_COMPRESS_BYTES) {
      prepared.variants.set('br', brotliCompressSync(body, {params: {[zlib.BROTLI_PARAM_QUALITY]: 9}}))
      prepared.variants.set('gzip', gzipSync(body, {level: 9}))
    }
    cache.set(key, prepared)
    return prepared
  }

  return (request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error')
      else response.destroy(error instanceof Error ? error : undefined)
    })
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://web.invalid')
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return proxy(request, response, options.apiOrigin)
    if (url.pathname === '/health') return send(response, 200, CONTENT_TYPES['.json'], '{"status":"ok"}')
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD')
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed')
    }
    const file = fileFor(options.root, url.pathname)
    if (!file) return send(response, 400, 'text/plain; charset=utf-8', 'Bad path')
    let served = await prepare(file)
    let cacheControl = url.pathname.startsWith(HASHED_PREFIX) ? 'public, max-age=31536000, immutable' : 'no-cache'
    // A client-side route (no file extension): the app's shell, which routes in the browser.
    if (!served && extname(url.pathname) === '') {
      served = await prepare(join(options.root, 'index.html'))
      cacheControl = 'no-cache'
    }
    if (!served) return send(response, 404, 'text/plain; charset=utf-8', 'Not found')
    response.setHeader('cache-control', cacheControl)
    response.setHeader('etag', served.etag)
    response.setHeader('vary', 'accept-encoding')
    response.setHeader('x-content-type-options', 'nosniff')
    if (request.headers['if-none-match'] === served.etag) {
      response.statusCode = 304
      response.end()
      return
    }
    const encoding = preferredEncoding(request.headers['accept-encoding'], served)
    const body = encoding ? (served.variants.get(encoding) ?? served.body) : served.body
    if (encoding) response.setHeader('content-encoding', encoding)
    response.setHeader('content-type', served.contentType)
    response.setHeader('content-length', body.length)
    response.statusCode = 200
    response.end(request.method === 'HEAD' ? undefined : body)
  }
}

/** The file under root that a URL path names, or undefined for a path that leaves root or is not decodable. */
function fileFor(root: string, pathname: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const relative = normalize(decoded.endsWith('/') ? `${decoded}index.html` : decoded).replace(/^([/\\])+/, '')
  if (relative.split(/[/\\]/).includes('..')) return undefined
  const file = join(root, relative)
  return file === root || file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`) ? file : undefined
}

function preferredEncoding(header: string | string[] | undefined, served: Prepared): 'br' | 'gzip' | undefined {
  const accepted = new Set(
    String(header ?? '')
      .split(',')
      .map((part) => part.split(';')[0]?.trim()),
  )
  if (accepted.has('br') && served.variants.has('br')) return 'br'
  if (accepted.has('gzip') && served.variants.has('gzip')) return 'gzip'
  return undefined
}

function send(response: ServerResponse, status: number, contentType: string | undefined, body: string): void {
  response.statusCode = status
  if (contentType) response.setHeader('content-type', contentType)
  response.setHeader('cache-control', 'no-store')
  response.end(body)
}

/** Streams the request to the API and its answer back; an API that is down answers 502 in the API's envelope. */
function proxy(request: IncomingMessage, response: ServerResponse, apiOrigin: string): void {
  const target = new URL(request.url ?? '/', apiOrigin)
  const headers = {...request.headers, host: target.host}
  const upstream = httpRequest(target, {method: request.method, headers}, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(response)
  })
  upstream.on('error', () => {
    if (response.headersSent) return void response.destroy()
    const envelope = {error: {code: 'EXTERNAL_FAILED', message: 'The API is not answering.', details: {api: apiOrigin}}}
    send(response, 502, CONTENT_TYPES['.json'], JSON.stringify(envelope))
  })
  request.pipe(upstream)
}
