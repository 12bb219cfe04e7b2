// Bearer-token authentication: `authenticate` puts the session's user on the request or answers
// 401. Tokens are looked up by their hash; a wrong token and an expired one look the same.
import type {FastifyReply, FastifyRequest} from 'fastify'
import {StorybookError} from '../../core/errors.js'
import type {User} from '../../core/db/types.js'
import {findSessionByToken} from '../repositories/accounts.js'
import type {ServerContext} from '../context.js'

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (typeof header !== 'string') return undefined
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header.trim())
  return match?.[1]
}

/** How long a looked-up session is trusted without asking the database again. */
export const SESSION_CACHE_MS = 5_000

export function authenticate(context: ServerContext) {
  const unauthorized = () =>
    new StorybookError('UNAUTHORIZED', 'Log in first: this needs a valid session token.', {
      next: ['POST /api/auth/login'],
    })
  // A callback hook that answers at once from the session cache (most requests): no promise, no microtask.
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    const token = bearerToken(request)
    if (!token) return done(unauthorized())
    const cached = context.cache.get<CachedSession>(sessionKey(token))
    // A session that expired while cached is over at once, not when its cache entry ends.
    if (cached && cached.expiresAtMs > context.clock().getTime()) {
      request.user = cached.user
      return done()
    }
    if (cached) {
      forgetSession(context, token)
      return done(unauthorized())
    }
    lookUpSession(context, token).then((user) => {
      if (!user) return done(unauthorized())
      request.user = user
      done()
    }, done)
  }
}

// Keyed by the token itself, which this process holds anyway: hashing it on every request cost a
// cached read 5% (the database only ever sees the hash).
const sessionKey = (token: string) => `session:${token}`

interface CachedSession {
  user: User
  expiresAtMs: number
}

/**
 * The user of a session token from the database, then remembered for a few seconds: every request
 * authenticates, and the lookup is the costliest part of a cached read. Logout drops the entry at once.
 */
async function lookUpSession(context: ServerContext, token: string): Promise<User | undefined> {
  const session = await findSessionByToken(context.db, token, context.clock(), context.config.sessionSecret)
  if (!session) return undefined
  const cached: CachedSession = {user: session.user, expiresAtMs: Date.parse(session.expiresAt)}
  context.cache.set(sessionKey(token), cached, SESSION_CACHE_MS)
  return session.user
}

export function forgetSession(context: ServerContext, token: string): void {
  context.cache.invalidate(sessionKey(token))
}

/** The signed-in user of an authenticated route. */
export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw new StorybookError('UNAUTHORIZED', 'Log in first.')
  return request.user
}
