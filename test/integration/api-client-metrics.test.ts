// The studio's client-side metrics through the real routes: a sendBeacon batch is validated strictly,
// open without a session, rate-limited per address, and aggregated for the dashboard.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createTestApp, type TestApp} from '../helpers/api.js'

let api: TestApp
beforeAll(async () => {
  api = await createTestApp({env: {RATE_LIMIT_WINDOW_MS: '60000'}})
})
afterAll(async () => api.close())

const post = (payload: unknown, remoteAddress = '127.0.0.1', contentType = 'application/json') =>
  api.app.inject({
    method: 'POST',
    url: '/api/client-metrics',
    remoteAddress,
    headers: {'content-type': contentType},
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })

describe('POST /api/client-metrics', () => {
  it('records errors, refused requests, vitals and interactions without a session, for the dashboard', async () => {
    const batch = {
      events: [
        {type: 'error', message: "TypeError: cannot read 'title'", page: '/stories/3'},
        {type: 'rejected-request', status: 503, path: '/api/stories'},
        {type: 'vital', name: 'LCP', value: 800},
        {type: 'vital', name: 'LCP', value: 1200},
        {type: 'vital', name: 'LCP', value: 2600},
        {type: 'vital', name: 'LCP', value: 900},
        {type: 'interaction', name: 'signup', ok: true},
        {type: 'interaction', name: 'pdf-export', ok: false},
        {type: 'interaction', name: 'pdf-export', ok: true},
      ],
    }
    expect((await post(batch)).statusCode).toBe(204)
    const summary = (await api.app.inject({method: 'GET', url: '/api/monitoring/client'})).json()
    expect(summary).toMatchObject({
      batches: 1,
      errors: {count: 1, recent: [{message: "TypeError: cannot read 'title'", page: '/stories/3'}]},
      rejectedRequests: {count: 1, byStatus: {'503': 1}},
      vitals: {LCP: {count: 4, p75: 1200}},
      interactions: {signup: {attempts: 1, successes: 1, successRate: 1}, 'pdf-export': {successRate: 0.5}},
    })
  })

  it('refuses what is not a batch of known events, with the envelope, and records nothing', async () => {
    const before = (await api.app.inject({method: 'GET', url: '/api/monitoring/client'})).json().batches
    for (const bad of [
      {events: []},
      {events: [{type: 'vital', name: 'LCP', value: -1}]},
      {events: [{type: 'vital', name: 'FID', value: 10}]},
      {events: [{type: 'error', message: 'x', page: '/', extra: true}]},
      {events: Array.from({length: 51}, () => ({type: 'interaction', name: 'login', ok: true}))},
      {events: [{type: 'error', message: 'a\u0000b', page: '/'}]},
    ]) {
      const answer = await post(bad)
      expect(answer.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400)
      expect(answer.json().error.code).toBe('VALIDATION_FAILED')
    }
    expect((await api.app.inject({method: 'GET', url: '/api/monitoring/client'})).json().batches).toBe(before)
  })

  it('limits batches per address, answering 429 with retry-after', async () => {
    const batch = {events: [{type: 'interaction', name: 'login', ok: true}]}
    let last = await post(batch, '127.0.0.77')
    for (let sent = 1; sent <= 120 && last.statusCode === 204; sent++) last = await post(batch, '127.0.0.77')
    expect(last.statusCode).toBe(429)
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0)
    // Another address is not held back
    expect((await post(batch, '127.0.0.78')).statusCode).toBe(204)
  })

  it('keeps the summary for this machine only', async () => {
    const remote = await api.app.inject({method: 'GET', url: '/api/monitoring/client', remoteAddress: '203.0.113.9'})
    expect(remote.statusCode).toBe(404)
  })
})
