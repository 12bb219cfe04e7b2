// The rate limiter: fixed windows per address, a route's own stricter limit, exemptions, the 429
// envelope with its headers, and memory that stays bounded however many addresses come.
import Fastify from 'fastify'
import {describe, expect, it} from 'vitest'
import {registerErrorHandling} from '../../../src/server/plugins/errors.js'
import {registerRateLimit} from '../../../src/server/plugins/rate-limit.js'

const STRICT = {max: 1, timeWindow: 1_000}
/** A distinct address for each index. */
const address = (index: number) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`

async function appWithClock(limit = {max: 2, timeWindow: 1_000}) {
  const clock = {now: 0}
  const app = Fastify()
  registerErrorHandling(app)
  // The limiter's own onRequest hook, kept aside for admit() below.
  let limiter: ((request: unknown, reply: unknown, done: (error?: Error) => void) => void) | undefined
  const addHook = app.addHook.bind(app)
  app.addHook = ((name: string, hook: never) => {
    if (name === 'onRequest') limiter = hook
    return addHook(name as never, hook)
  }) as typeof app.addHook
  registerRateLimit(app, limit, () => clock.now)
  app.addHook = addHook
  if (!limiter) throw new Error('registerRateLimit added no onRequest hook')
  const hook = limiter
  app.get('/open', async () => ({ok: true}))
  app.get('/strict', {config: {rateLimit: STRICT}}, async () => ({ok: true}))
  app.get('/exempt', {config: {rateLimit: false}}, async () => ({ok: true}))
  await app.ready()
  const get = (url: string, remoteAddress = '127.0.0.1') => app.inject({method: 'GET', url, remoteAddress})
  /**
   * One request from an address straight through the limiter, with the same windows as get(), and
   * whether it passed: filling thousands of windows this way costs microseconds a request, not a
   * trip through Fastify each, so the test asserts what the limiter does and not how fast the machine is.
   */
  const admit = (remoteAddress: string, url: '/open' | '/strict' = '/open') => {
    let passed: boolean | undefined
    const request = {ip: remoteAddress, routeOptions: {url, config: url === '/strict' ? {rateLimit: STRICT} : {}}}
    const reply = {headers: () => reply}
    hook(request, reply, (error) => (passed = !error))
    if (passed === undefined) throw new Error('the rate limiter did not call done()')
    return passed
  }
  return {app, clock, get, admit}
}

describe('registerRateLimit', () => {
  it('answers 429 with the error envelope past the limit, and again after the window', async () => {
    const {app, clock, get} = await appWithClock()
    expect([(await get('/open')).statusCode, (await get('/open')).statusCode]).toEqual([200, 200])
    const limited = await get('/open')
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error).toMatchObject({
      code: 'RATE_LIMITED',
      details: {limit: 2, windowMs: 1_000, retryAfterSeconds: 1},
    })
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

  it('drops the oldest windows when too many addresses are live, so memory stays bounded', async () => {
    const {app, clock, get, admit} = await appWithClock({max: 1, timeWindow: 60_000})
    let admitted = 0
    for (let index = 0; index < 10_050; index++) if (admit(address(index))) admitted++
    expect(admitted).toBe(10_050) // each a new address, in its first window
    // The first address was among the oldest: dropped to make room, so it starts a new window.
    expect((await get('/open', address(0))).statusCode).toBe(200)
    // Only the oldest went: a recent one, and one from early on, are still limited.
    expect((await get('/open', address(10_049))).statusCode).toBe(429)
    expect((await get('/open', address(1_000))).statusCode).toBe(429)
    clock.now = 120_000
    expect((await get('/open', address(10_049))).statusCode).toBe(200)
    await app.close()
  })

  it('forgets expired windows before it drops live ones', async () => {
    const {app, clock, get, admit} = await appWithClock({max: 1, timeWindow: 60_000})
    // The oldest window of all, live for a minute...
    expect((await get('/open', '192.0.2.1')).statusCode).toBe(200)
    // ...then enough one-second windows of /strict to fill the limiter.
    let admitted = 0
    for (let index = 0; index < 9_999; index++) if (admit(address(index), '/strict')) admitted++
    expect(admitted).toBe(9_999)
    clock.now = 2_000 // those have expired, the first has not
    expect(admit('192.0.2.2')).toBe(true) // a new address, with the limiter full: room is made
    // The expired windows went, not the oldest one, which is still limited.
    expect((await get('/open', '192.0.2.1')).statusCode).toBe(429)
    await app.close()
  })
})
