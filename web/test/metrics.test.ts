// Client-side metrics at the network boundary: events are batched and sent with sendBeacon as the
// JSON the API validates; a refused request and an interaction are reported; the studio's own
// server saying the API is down reads as "API down".
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {api, call} from '../src/api/client'
import {API_DOWN_MESSAGE, ApiError} from '../src/api/errors'
import {flush, reportError, reportInteraction, reportRejectedRequest} from '../src/metrics'
import {envelope, fakeApi} from './fake-api'

let beacons: Array<{url: string; events: unknown[]}> = []
beforeEach(() => {
  beacons = []
  vi.stubGlobal('navigator', {
    ...navigator,
    sendBeacon: (url: string, body: Blob) => {
      void body.text().then((text) => beacons.push({url, events: (JSON.parse(text) as {events: unknown[]}).events}))
      return true
    },
  })
})
afterEach(() => vi.unstubAllGlobals())

const sent = async () => {
  flush()
  await vi.waitFor(() => expect(beacons.length).toBeGreaterThan(0))
  return beacons.flatMap((beacon) => beacon.events)
}

describe('client metrics', () => {
  it('sends errors, refused requests and interactions in one beacon to /api/client-metrics', async () => {
    reportError('TypeError: a\u0000b is undefined')
    reportRejectedRequest(503, 'http://127.0.0.1:3000/api/stories?limit=20')
    reportRejectedRequest(200, '/api/stories')
    reportInteraction('pdf-export', false)
    expect(await sent()).toEqual([
      {type: 'error', message: 'TypeError: ab is undefined', page: '/'},
      {type: 'rejected-request', status: 503, path: '/api/stories'},
      {type: 'interaction', name: 'pdf-export', ok: false},
    ])
    expect(beacons[0]?.url).toBe('/api/client-metrics')
  })

  it('reports a request the API refused through the client, and never its own endpoint', async () => {
    fakeApi({'POST /api/auth/login': () => envelope(401, 'UNAUTHORIZED', 'The email or the password is wrong.')})
    await call(() => api.POST('/api/auth/login', {body: {email: 'a@example.test', password: 'long enough'}})).catch(
      () => undefined,
    )
    reportRejectedRequest(429, '/api/client-metrics')
    expect(await sent()).toEqual([{type: 'rejected-request', status: 401, path: '/api/auth/login'}])
  })

  it('splits a long queue into batches the API accepts', async () => {
    for (let index = 0; index < 120; index++) reportInteraction('login', true)
    await sent()
    await vi.waitFor(() => expect(beacons.map((beacon) => beacon.events.length)).toEqual([50, 50, 20]))
  })

  it("reads the studio server's 502 EXTERNAL_FAILED as the API being down", async () => {
    fakeApi({'GET /api/catalog/traits': () => envelope(502, 'EXTERNAL_FAILED', 'The API is not answering.')})
    const error = await call(() => api.GET('/api/catalog/traits')).catch((thrown: unknown) => thrown as ApiError)
    expect([error instanceof ApiError && error.problem, (error as ApiError).message]).toEqual([
      'api-down',
      API_DOWN_MESSAGE,
    ])
  })
})
