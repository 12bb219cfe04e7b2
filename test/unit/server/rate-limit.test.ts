// The rate limiter: fixed windows per address, a route's own stricter limit, exemptions, the 429
// envelope with its headers, and memory that stays bounded however many addresses come.
import Fastify from 'fastify'
import {describe, expect, it} from 'vitest'
import {registerErrorHandling} from '../../../src/server/plugins/errors.js'
import {registerRateLimit} from '../../../src/server/plugins/rate-limit.js'

async function appWithClock(limit = {max: 2, timeWindow: 1_000}) {
  const clock = {now: 0}
  const app = Fastify()
  registerErrorHandling(app)
  registerRateLimit(app, limit, () => clock.now)
  app.get('/open', async () => ({ok: true}))
  app.get('/strict', {config: {rateLimit: {max: 1, timeWindow: 1_000}}}, async () => ({ok: true}))
  app.get('/exempt', {config: {rateLimit: false}}, async () => ({ok: true}))
  await app.ready()
  const get = (url: string, remoteAddress = '127.0.0.1') => app.inject({method: 'GET', url, remoteAddress})
  return {app, clock, get}
}

describe('registerRateLimit', () => {
  it('answers 429 with the error envelope past the limit, and again after the window', async () => {
    const {app, clock, get} = await appWithClock()
    expect([(await get('/open')).statusCode, (await get('/open')).statusCode]).toEqual([200, 200])
    const limited = await get('/open')
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error).toMatchObject({code: 'RATE_LIMITED', details: {limit: 2, windowMs: 1_000, retryAfterSeconds: 1}})
    expect(limited.headers).toMatchObject({'retry-after': '1', 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0'})
    expect((await get('/open', '10.0.0.2')).statusCode).toBe(200) // another address has its own window
    clock.now = 1_000
    expect((await get('/open')).statusCode).toBe(200)
    await app.close()
  })

  it("keeps a route's own limit apart from the global one, and exempts what asks for it", async () => {
    const {app, get} = await appWithClock({max: 100, timeWindow: 1_000})
    expect((await get('/strict')).statusCode).toBe(200)
    expect((await get('/strict')).statusCode).toBe(429)
    expect((await get('/open')).statusCode).toBe(200)
    for (let index = 0; index < 150; index++) expect((await get('/exempt')).statusCode).toBe(200)
    await app.close()
  })

  it('forgets expired windows, and the oldest when too many addresses are live, so memory stays bounded', async () => {
    const {app, clock, get} = await appWithClock({max: 1, timeWindow: 60_000})
    for (let index = 0; index < 10_050; index++) await get('/open', `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`)
    // The first address was among the oldest: dropped to make room, so it starts a new window.
    expect((await get('/open', '10.0.0.0')).statusCode).toBe(200)
    // A recent one is still limited.
    expect((await get('/open', `10.0.${(10_049 >> 8) & 255}.${10_049 & 255}`)).statusCode).toBe(429)
    clock.now = 120_000
    expect((await get('/open', '10.0.0.7')).statusCode).toBe(200)
    await app.close()
  })
})
