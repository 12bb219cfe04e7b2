// Every route, from the OpenAPI document: who may call it (an authorization matrix of two users),
// and what malformed input does to it (a fuzz run that must never produce a 5xx).
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createTestApp, LUNA, type TestApp} from '../helpers/api.js'

let api: TestApp
let owner: Awaited<ReturnType<TestApp['register']>>
let stranger: Awaited<ReturnType<TestApp['register']>>
const ids: Record<string, string> = {}
let routes: Array<{method: string; path: string}>

const PUBLIC = new Set([
  '/health',
  '/ready',
  '/metrics',
  '/api/catalog/traits',
  '/api/auth/register',
  '/api/auth/login',
  '/api/monitoring/system',
  '/api/monitoring/routes',
  '/api/monitoring/logs',
  '/api/monitoring/database',
  '/api/monitoring/client',
  // The studio's metrics come by sendBeacon, which sends no session: open, validated and rate-limited.
  '/api/client-metrics',
])

beforeAll(async () => {
  api = await createTestApp()
  owner = await api.register('owner')
  stranger = await api.register('stranger')
  const character = (
    await api.app.inject({method: 'POST', url: '/api/characters', headers: owner.headers, payload: LUNA})
  ).json()
  const story = (
    await api.app.inject({
      method: 'POST',
      url: '/api/stories',
      headers: owner.headers,
      payload: {title: 'Mine', characterIds: [character.id], generatePages: 2},
    })
  ).json()
  const page = await api.app.inject({
    method: 'POST',
    url: `/api/stories/${story.id}/pages/${story.pages[0].id}/regenerate`,
    headers: owner.headers,
  })
  const job = (
    await api.app.inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers: owner.headers})
  ).json()
  Object.assign(ids, {
    character: character.id,
    story: story.id,
    page: story.pages[0].id,
    illustration: page.json().illustrationId,
    job: job.id,
  })
  const document = (await api.app.inject({method: 'GET', url: '/openapi.json'})).json() as {
    paths: Record<string, Record<string, unknown>>
  }
  routes = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({method: method.toUpperCase(), path})),
  )
})
afterAll(async () => {
  await api.close()
})

/** The owner's resource ids put into a route's path. */
function ownedUrl(path: string): string {
  const kind = path.startsWith('/api/characters')
    ? 'character'
    : path.startsWith('/api/jobs')
      ? 'job'
      : path.startsWith('/api/illustrations')
        ? 'illustration'
        : 'story'
  return path.replace('{id}', ids[kind] as string).replace('{pageId}', ids.page as string)
}

const VALID_BODIES: Record<string, unknown> = {
  'POST /api/characters': LUNA,
  'PATCH /api/characters/{id}': {name: 'Renamed'},
  'POST /api/characters/preview': {name: 'P', traits: LUNA.traits},
  'POST /api/stories': {title: 'T'},
  'PATCH /api/stories/{id}': {title: 'Renamed'},
  'POST /api/stories/{id}/pages': {text: 'More'},
  'PATCH /api/stories/{id}/pages/{pageId}': {text: 'Changed'},
  'PUT /api/stories/{id}/pages/order': {pageIds: []},
}

describe('authorization matrix', () => {
  it('covers the routes it should', () => {
    expect(routes.length).toBeGreaterThan(20)
  })

  it('answers 401 without a session on every private route', async () => {
    for (const route of routes.filter((candidate) => !PUBLIC.has(candidate.path))) {
      const response = await api.app.inject({
        method: route.method as never,
        url: ownedUrl(route.path),
        payload: VALID_BODIES[`${route.method} ${route.path}`] as never,
      })
      expect(response.statusCode, `${route.method} ${route.path}`).toBe(401)
      expect(response.json().error.code).toBe('UNAUTHORIZED')
    }
  })

  it("answers 404, never 403 or the data, to another user's ids on every route that takes one", async () => {
    for (const route of routes.filter((candidate) => candidate.path.includes('{id}'))) {
      const response = await api.app.inject({
        method: route.method as never,
        url: ownedUrl(route.path),
        headers: stranger.headers,
        payload: VALID_BODIES[`${route.method} ${route.path}`] as never,
      })
      expect(response.statusCode, `${route.method} ${route.path}`).toBe(404)
      expect(response.body).not.toContain('Luna')
      expect(response.body).not.toContain('Mine')
    }
    // And the owner still has everything
    const story = await api.app.inject({method: 'GET', url: `/api/stories/${ids.story}`, headers: owner.headers})
    expect(story.statusCode).toBe(200)
    expect(story.json().title).toBe('Mine')
  })
})

describe('fuzzing every route with malformed input', () => {
  const MALFORMED_BODIES: unknown[] = [
    null,
    42,
    'text',
    [],
    [1, 2, 3],
    {},
    {__proto__: {admin: true}, constructor: {prototype: {x: 1}}},
    {name: null, title: 12, text: ['a'], traits: 'fox', characterIds: 'x', pageIds: [1, {}], email: {}, password: []},
    {
      name: 'x'.repeat(5000),
      title: '\u0000\uFFFF\uD800',
      text: '<script>alert(1)</script>',
      position: -1,
      generatePages: 1e9,
    },
    {
      traits: {species: ['fox', 'cat'], ageGroup: {nested: true}},
      characterIds: ['00000000-0000-4000-8000-000000000000'],
    },
    {limit: 'NaN', offset: -5},
  ]
  const ODD_IDS = [
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    'x'.repeat(300),
    "1' or '1'='1",
  ]
  const ODD_QUERIES = [
    '?limit=-1',
    '?limit=abc',
    '?offset=1e99',
    '?q=%25%25%25',
    '?status=deleted',
    '?level=loud',
    `?q=${'a'.repeat(500)}`,
  ]
  const ODD_HEADERS = [
    {'content-type': 'text/plain'},
    {'content-type': 'application/json; charset=utf-16'},
    {authorization: 'Bearer'},
    {authorization: `Bearer ${'a'.repeat(5000)}`},
    {authorization: 'Basic dXNlcjpwYXNz'},
  ]

  it('never answers 5xx, and always with the error envelope on 4xx', async () => {
    const failures: string[] = []
    const check = async (
      label: string,
      options: {method: string; url: string; headers: Record<string, string>; payload?: string},
    ) => {
      const response = await api.app.inject(options as never)
      if (response.statusCode >= 500) failures.push(`${label} -> ${response.statusCode} ${response.body.slice(0, 200)}`)
      if (
        response.statusCode >= 400 &&
        response.headers['content-type']?.toString().includes('json') &&
        !response.json().error?.code
      ) {
        failures.push(`${label} -> ${response.statusCode} without an error envelope`)
      }
    }
    let requests = 0
    for (const route of routes) {
      for (const headers of [owner.headers, ...ODD_HEADERS.map((odd) => ({...owner.headers, ...odd}))]) {
        for (const body of MALFORMED_BODIES) {
          const raw = typeof body === 'string' ? body : (JSON.stringify(body) as string)
          await check(`${route.method} ${route.path} ${raw.slice(0, 40)}`, {
            method: route.method,
            url: ownedUrl(route.path),
            headers: {'content-type': 'application/json', ...headers},
            payload: raw,
          })
          requests++
        }
      }
      for (const id of ODD_IDS) {
        await check(`${route.method} ${route.path} id=${id.slice(0, 20)}`, {
          method: route.method,
          url: route.path.replace('{id}', id).replace('{pageId}', id),
          headers: owner.headers,
        })
        requests++
      }
      for (const query of ODD_QUERIES) {
        await check(`${route.method} ${route.path}${query.slice(0, 30)}`, {
          method: route.method,
          url: `${ownedUrl(route.path)}${query}`,
          headers: owner.headers,
        })
        requests++
      }
    }
    expect(failures).toEqual([])
    expect(requests).toBeGreaterThan(1000)
  }, 120_000)
})
