// What request logs may show of a URL: its path and query, with the values of parameters that name
// a secret (a token pasted into a link, an API key) replaced, so the service log never holds them.
import type {FastifyRequest} from 'fastify'

export const REDACTED = '[redacted]'

/** Parameter names (lower case, without - and _) whose values are secrets, and the endings that mark one. */
const SECRET_ENDINGS = [
  'token',
  'key',
  'password',
  'passwd',
  'pwd',
  'secret',
  'session',
  'sessionid',
  'auth',
  'authorization',
  'signature',
  'sig',
  'credential',
  'credentials',
  'jwt',
  'code',
]

function isSecretName(rawName: string): boolean {
  let name = rawName
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '))
  } catch {
    // a malformed escape: judge the name as it came
  }
  const normalized = name
    .toLowerCase()
    .replace(/\[\]$/, '')
    .replace(/[-_.\s]/g, '')
  return SECRET_ENDINGS.some((ending) => normalized.endsWith(ending))
}

/** The URL with the value of every secret-named query parameter replaced; everything else as it came. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=')
      const name = equals === -1 ? pair : pair.slice(0, equals)
      return equals !== -1 && isSecretName(name) ? `${name}=${REDACTED}` : pair
    })
    .join('&')
  return `${url.slice(0, start)}?${query}`
}

/** Fastify's request serializer, with the URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}
