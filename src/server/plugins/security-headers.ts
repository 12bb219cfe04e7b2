// Security headers, computed once: @fastify/helmet builds them on every request, which halved the
// throughput of a cached story read in `npm run bench`. Every header costs each response about a
// microsecond to validate and write, so JSON and images get the set that matters for an API (the
// OWASP REST set); the one HTML page gets helmet's full set for documents.
import type {FastifyInstance, FastifyReply} from 'fastify'

/**
 * For every response (the OWASP REST set): nothing to load or run, no sniffing, no framing. Every
 * route but /health needs a bearer token, which another site cannot send, so the cross-origin
 * and referrer headers of documents add nothing here.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Responses differ by Origin (CORS), so no cache may give one origin's answer to another.
  vary: 'Origin',
}

/** For HTML documents (the /docs page), which a browser renders with scripts. */
export const DOCUMENT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...API_SECURITY_HEADERS,
  'content-security-policy': [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; '),
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-site',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  // A callback hook: an async one costs every request a promise and a microtask.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(API_SECURITY_HEADERS)
    done()
  })
}

/** Replaces the API set with the document set, for a route that serves HTML. */
export function documentHeaders(reply: FastifyReply): FastifyReply {
  return reply.headers(DOCUMENT_SECURITY_HEADERS)
}
