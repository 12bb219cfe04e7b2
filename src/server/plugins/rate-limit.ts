// Rate limits per client address in fixed windows: one for every route together, and a stricter
// one of their own for routes that ask for it (login, register). Our own few lines instead of
// @fastify/rate-limit, which cost a cached story read a fifth of its time (npm run bench). The
// x-ratelimit-* headers come with a 429 only, together with retry-after.
import type {FastifyInstance} from 'fastify'
import {StorybookError} from '../../core/errors.js'

export interface RateLimit {
  max: number
  timeWindow: number
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's own limit, or false for none (health checks, metrics). */
    rateLimit?: RateLimit | false
  }
}

/** The most windows kept in memory (one per client address and limit). */
const MAX_WINDOWS = 10_000

export function registerRateLimit(app: FastifyInstance, global: RateLimit, now: () => number = Date.now): void {
  const windows = new Map<string, {count: number; resetAt: number}>()
  let nextSweep = 0
  /** Bounded memory: expired windows go (at most one scan a second), then the oldest if still full. */
  const makeRoom = (time: number) => {
    if (time >= nextSweep) {
      for (const [key, entry] of windows) if (entry.resetAt <= time) windows.delete(key)
      nextSweep = time + 1_000
    }
    for (const key of windows.keys()) {
      if (windows.size < MAX_WINDOWS) break
      windows.delete(key)
    }
  }
  app.addHook('onRequest', (request, reply, done) => {
    const own = request.routeOptions.config.rateLimit
    if (own === false) return done()
    const limit = own ?? global
    const key = own ? `${request.routeOptions.url} ${request.ip}` : request.ip
    const time = now()
    let window = windows.get(key)
    if (!window || window.resetAt <= time) {
      if (windows.size >= MAX_WINDOWS) makeRoom(time)
      window = {count: 0, resetAt: time + limit.timeWindow}
      windows.set(key, window)
    }
    if (++window.count <= limit.max) return done()
    const seconds = Math.max(1, Math.ceil((window.resetAt - time) / 1000))
    reply.headers({
      'retry-after': String(seconds),
      'x-ratelimit-limit': String(limit.max),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(seconds),
    })
    done(
      new StorybookError(
        'RATE_LIMITED',
        `Too many requests: at most ${limit.max} in ${limit.timeWindow / 1000} s from one address. Try again in ${seconds} s.`,
        {
          details: {limit: limit.max, windowMs: limit.timeWindow, retryAfterSeconds: seconds},
        },
      ),
    )
  })
}
