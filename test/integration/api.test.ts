// The API through app.inject on a real SQLite database: every route, as a new user would use it.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {MIGRATIONS} from '../../migrations/index.js'
import {openDatabase} from '../../src/core/db/connection.js'
import {rollbackMigrations, runMigrations} from '../../src/core/db/migrator.js'
import {createServerContext} from '../../src/server/create-context.js'
import {createTestApp, LUNA, PIP, type TestApp} from '../helpers/api.js'

let api: TestApp
beforeAll(async () => {
  api = await createTestApp()
})
afterAll(async () => {
  await api.close()
})

const pdfPageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length

describe('accounts', () => {
  it('registers, logs in, says who I am, and logs out', async () => {
    const email = `ann-${Date.now()}@example.test`
    const registered = await api.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {email, password: 'correct horse battery', displayName: 'Ann'},
    })
    expect(registered.statusCode).toBe(201)
    expect(registered.json()).toMatchObject({
      user: {email, displayName: 'Ann'},
      token: expect.any(String),
      expiresAt: expect.any(String),
    })
    expect(registered.body).not.toContain('password')

    const duplicate = await api.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {email: email.toUpperCase(), password: 'another password', displayName: 'Ann'},
    })
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.json().error.code).toBe('CONFLICT')

    const wrong = await api.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: {email, password: 'wrong password'},
    })
    expect(wrong.statusCode).toBe(401)
    const unknown = await api.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: {email: 'nobody@example.test', password: 'wrong password'},
    })
    expect(unknown.json()).toEqual(wrong.json()) // no hint whether the account exists

    const login = await api.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: {email, password: 'correct horse battery'},
    })
    expect(login.statusCode).toBe(200)
    const headers = {authorization: `Bearer ${login.json().token}`}
    const me = await api.app.inject({method: 'GET', url: '/api/auth/me', headers})
    expect(me.json().user.email).toBe(email)
    expect((await api.app.inject({method: 'POST', url: '/api/auth/logout', headers})).statusCode).toBe(204)
    expect((await api.app.inject({method: 'GET', url: '/api/auth/me', headers})).statusCode).toBe(401)
  })

  it('stores only a hash of the session token and of the password', async () => {
    const {headers, userId} = await api.register('hash')
    const token = headers.authorization.slice('Bearer '.length)
    const sessions = await api.database.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', userId)
      .execute()
    expect(sessions.map((session) => session.token_hash)).not.toContain(token)
    const user = await api.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    expect(user.password_hash).toMatch(/^scrypt\$/)
  })

  it('refuses weak input with a validation error envelope', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {email: 'not-an-email', password: 'short', displayName: ''},
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({
      error: {code: 'VALIDATION_FAILED', message: expect.any(String), details: {problems: expect.any(Array)}},
    })
  })
})

describe('characters', () => {
  it('serves the trait catalog, creates, lists, filters, updates and deletes characters', async () => {
    const {headers} = await api.register('chars')
    const catalog = await api.app.inject({method: 'GET', url: '/api/catalog/traits'})
    expect(catalog.json().categories.map((category: {id: string}) => category.id)).toEqual([
      'ageGroup',
      'species',
      'hair',
      'clothing',
      'personality',
      'favouriteThings',
    ])

    const created = await api.app.inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})
    expect(created.statusCode).toBe(201)
    const luna = created.json()
    expect(luna).toMatchObject({name: 'Luna', traits: LUNA.traits})
    expect(luna.portraitUrl).toMatch(new RegExp(`^/api/characters/${luna.id}/portrait.svg\\?v=`))
    await api.app.inject({method: 'POST', url: '/api/characters', headers, payload: PIP})

    const list = await api.app.inject({method: 'GET', url: '/api/characters?limit=1', headers})
    expect(list.json()).toMatchObject({total: 2})
    expect(list.json().items).toHaveLength(1)
    const filtered = await api.app.inject({method: 'GET', url: '/api/characters?q=lun', headers})
    expect(filtered.json().items.map((item: {name: string}) => item.name)).toEqual(['Luna'])

    const updated = await api.app.inject({
      method: 'PATCH',
      url: `/api/characters/${luna.id}`,
      headers,
      payload: {name: 'Luna Star'},
    })
    expect(updated.json().name).toBe('Luna Star')
    const portrait = await api.app.inject({method: 'GET', url: luna.portraitUrl, headers})
    expect(portrait.headers['content-type']).toContain('image/svg+xml')
    expect(portrait.body).toContain('data-species="fox"')
    expect(portrait.body).toContain('Luna Star')

    expect((await api.app.inject({method: 'DELETE', url: `/api/characters/${luna.id}`, headers})).statusCode).toBe(204)
    expect((await api.app.inject({method: 'GET', url: `/api/characters/${luna.id}`, headers})).statusCode).toBe(404)
  })

  it('checks traits against the catalog and names each problem', async () => {
    const {headers} = await api.register('traits')
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/characters',
      headers,
      payload: {name: 'X', traits: {species: 'unicorn', personality: ['brave', 'kind', 'funny', 'shy'], colour: 'red'}},
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.details.problems).toEqual(
      expect.arrayContaining([
        'colour: not a trait category',
        'ageGroup: required',
        'personality: at most 3 values',
        expect.stringContaining('species: "unicorn"'),
      ]),
    )
  })

  it('previews a portrait without saving anything', async () => {
    const {headers} = await api.register('preview')
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/characters/preview',
      headers,
      payload: {name: 'Pip', traits: PIP.traits},
    })
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('data-species="robot"')
    expect((await api.app.inject({method: 'GET', url: '/api/characters', headers})).json().total).toBe(0)
  })
})

describe('stories, pages, generation and export', () => {
  it('takes a new user from characters to a downloaded PDF', async () => {
    const {headers} = await api.register('story')
    const luna = (await api.app.inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})).json()
    const pip = (await api.app.inject({method: 'POST', url: '/api/characters', headers, payload: PIP})).json()

    const created = await api.app.inject({
      method: 'POST',
      url: '/api/stories',
      headers,
      payload: {
        title: 'The Night the Moon Hid',
        theme: 'friendship',
        targetAge: '3-5',
        characterIds: [luna.id, pip.id],
        generatePages: 5,
      },
    })
    expect(created.statusCode).toBe(201)
    const story = created.json()
    expect(story).toMatchObject({status: 'draft', characterIds: [luna.id, pip.id], pageCount: 5})
    expect(story.pages).toHaveLength(5)
    expect(story.pages[0].text).toContain('Luna')

    // Generate every illustration in the background and watch the job finish
    const started = await api.app.inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers})
    expect(started.statusCode).toBe(202)
    const job = started.json()
    expect(job.progress).toEqual({done: 0, total: 5})
    let state = job
    for (let poll = 0; poll < 100 && state.status !== 'succeeded' && state.status !== 'failed'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      state = (await api.app.inject({method: 'GET', url: `/api/jobs/${job.id}`, headers})).json()
    }
    expect(state).toMatchObject({status: 'succeeded', progress: {done: 5, total: 5}})

    const ready = (await api.app.inject({method: 'GET', url: `/api/stories/${story.id}`, headers})).json()
    expect(ready.status).toBe('ready')
    const illustrations = ready.pages.map((page: {illustrationUrl: string | null}) => page.illustrationUrl)
    expect(illustrations.every((url: string | null) => url !== null)).toBe(true)
    const picture = await api.app.inject({method: 'GET', url: illustrations[0], headers})
    expect(picture.headers['content-type']).toContain('image/svg+xml')
    expect(picture.body).toContain('data-species="fox"')
    expect(picture.body).toContain('data-species="robot"')

    // Edit a page and see it at once (the cached read is invalidated)
    const firstPage = ready.pages[0]
    const edited = await api.app.inject({
      method: 'PATCH',
      url: `/api/stories/${story.id}/pages/${firstPage.id}`,
      headers,
      payload: {text: 'A brand new beginning.'},
    })
    expect(edited.json().text).toBe('A brand new beginning.')
    expect((await api.app.inject({method: 'GET', url: `/api/stories/${story.id}`, headers})).json().pages[0].text).toBe(
      'A brand new beginning.',
    )

    // Reorder: the last page first
    const ids = ready.pages.map((page: {id: string}) => page.id)
    const reordered = await api.app.inject({
      method: 'PUT',
      url: `/api/stories/${story.id}/pages/order`,
      headers,
      payload: {pageIds: [ids[4], ...ids.slice(0, 4)]},
    })
    expect(reordered.json().pages.map((page: {id: string}) => page.id)).toEqual([ids[4], ...ids.slice(0, 4)])
    expect((await api.app.inject({method: 'GET', url: `/api/stories/${story.id}`, headers})).json().pages[0].id).toBe(
      ids[4],
    )
    const badOrder = await api.app.inject({
      method: 'PUT',
      url: `/api/stories/${story.id}/pages/order`,
      headers,
      payload: {pageIds: ids.slice(1)},
    })
    expect(badOrder.statusCode).toBe(400)

    // Regenerate one page's illustration: a new picture
    const regenerated = await api.app.inject({
      method: 'POST',
      url: `/api/stories/${story.id}/pages/${ids[1]}/regenerate`,
      headers,
    })
    expect(regenerated.statusCode).toBe(200)
    expect(regenerated.json().illustrationId).not.toBe(ready.pages[1].illustrationId)
    // The picture it replaced is gone (regenerating many times must not keep every picture).
    expect(
      (await api.app.inject({method: 'GET', url: `/api/illustrations/${ready.pages[1].illustrationId}`, headers}))
        .statusCode,
    ).toBe(404)
    expect(
      (await api.app.inject({method: 'GET', url: `/api/illustrations/${regenerated.json().illustrationId}`, headers}))
        .statusCode,
    ).toBe(200)

    // Add and delete pages; positions stay dense
    const added = await api.app.inject({
      method: 'POST',
      url: `/api/stories/${story.id}/pages`,
      headers,
      payload: {text: 'The end.', position: 99},
    })
    expect(added.json().position).toBe(5)
    expect(
      (await api.app.inject({method: 'DELETE', url: `/api/stories/${story.id}/pages/${ids[0]}`, headers})).statusCode,
    ).toBe(204)
    const deletedPicture = ready.pages.find((page: {id: string}) => page.id === ids[0]).illustrationId
    expect(
      (await api.app.inject({method: 'GET', url: `/api/illustrations/${deletedPicture}`, headers})).statusCode,
    ).toBe(404)
    const positions = (await api.app.inject({method: 'GET', url: `/api/stories/${story.id}`, headers}))
      .json()
      .pages.map((page: {position: number}) => page.position)
    expect(positions).toEqual([0, 1, 2, 3, 4])

    // The PDF: a cover plus one page per story page, with the font embedded
    const pdf = await api.app.inject({method: 'GET', url: `/api/stories/${story.id}/export.pdf`, headers})
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF')
    expect(pdfPageCount(pdf.rawPayload)).toBe(1 + 5)
    expect(pdf.rawPayload.toString('latin1')).toContain('/FontFile2')
  })

  it('lists stories with paging and a status filter', async () => {
    const {headers} = await api.register('lists')
    for (const title of ['Alpha', 'Beta', 'Gamma'])
      await api.app.inject({method: 'POST', url: '/api/stories', headers, payload: {title}})
    const page = (await api.app.inject({method: 'GET', url: '/api/stories?limit=2&offset=1', headers})).json()
    expect(page.total).toBe(3)
    expect(page.items).toHaveLength(2)
    expect((await api.app.inject({method: 'GET', url: '/api/stories?q=gam', headers})).json().items[0].title).toBe(
      'Gamma',
    )
    expect((await api.app.inject({method: 'GET', url: '/api/stories?status=ready', headers})).json().total).toBe(0)
  })

  it("will not put another user's character into a story", async () => {
    const owner = await api.register('owner')
    const other = await api.register('other')
    const character = (
      await api.app.inject({method: 'POST', url: '/api/characters', headers: owner.headers, payload: LUNA})
    ).json()
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/stories',
      headers: other.headers,
      payload: {title: 'Stolen', characterIds: [character.id]},
    })
    expect(response.statusCode).toBe(404)
  })
})

describe('operations', () => {
  it('answers health, readiness, metrics and monitoring', async () => {
    expect((await api.app.inject({method: 'GET', url: '/health'})).json().status).toBe('ok')
    expect((await api.app.inject({method: 'GET', url: '/ready'})).json()).toEqual({
      ready: true,
      checks: {database: 'ok', migrations: 'ok'},
    })
    const metrics = await api.app.inject({method: 'GET', url: '/metrics'})
    expect(metrics.body).toContain('http_request_duration_seconds_bucket')
    expect(metrics.body).toContain('process_resident_memory_bytes')
    expect(metrics.body).toContain('nodejs_eventloop_lag')
    // Prometheus text: every line a comment or `name{labels} value`; the histogram cumulative and complete.
    for (const line of metrics.body.split('\n').filter((text: string) => text !== '' && !text.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|nan|[+-]inf)$/i) // Go's ParseFloat takes NaN in any case
    }
    const health = (le: string) =>
      Number(
        new RegExp(
          `http_request_duration_seconds_bucket\\{method="GET",route="/health",status="200",le="${le.replace('+', '\\+')}"\\} (\\d+)`,
        ).exec(metrics.body)?.[1],
      )
    expect(health('+Inf')).toBeGreaterThanOrEqual(1)
    expect(health('0.001')).toBeLessThanOrEqual(health('2.5'))
    expect(metrics.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/,
    )
    const routes = (await api.app.inject({method: 'GET', url: '/api/monitoring/routes'})).json().routes
    expect(routes.find((route: {route: string}) => route.route === 'GET /health')).toMatchObject({
      count: expect.any(Number),
      errorRate: 0,
    })
    const system = (await api.app.inject({method: 'GET', url: '/api/monitoring/system'})).json()
    expect(system.memory.rssBytes).toBeGreaterThan(0)
    expect(system.eventLoop).toHaveProperty('p99Ms')
  })

  it('answers metrics, routes and logs to this machine only; health and readiness to anyone', async () => {
    for (const url of ['/metrics', '/api/monitoring/system', '/api/monitoring/routes', '/api/monitoring/logs']) {
      for (const remoteAddress of ['127.0.0.1', '127.8.0.3', '::1', '::ffff:127.0.0.1']) {
        expect(
          (await api.app.inject({method: 'GET', url, remoteAddress})).statusCode,
          `${url} from ${remoteAddress}`,
        ).toBe(200)
      }
      // A proxy on this machine forwards others' requests from a loopback address.
      expect(
        (
          await api.app.inject({
            method: 'GET',
            url,
            remoteAddress: '127.0.0.1',
            headers: {'x-forwarded-for': '203.0.113.9'},
          })
        ).statusCode,
      ).toBe(404)
      for (const remoteAddress of ['192.168.1.20', '10.0.0.1', '::ffff:192.168.1.20', 'fe80::1']) {
        const response = await api.app.inject({method: 'GET', url: `${url}?limit=5`, remoteAddress})
        expect(response.statusCode, `${url} from ${remoteAddress}`).toBe(404)
        expect(response.json().error).toEqual({code: 'NOT_FOUND', message: `No route for GET ${url}.`, details: {}})
      }
    }
    for (const url of ['/health', '/ready'])
      expect((await api.app.inject({method: 'GET', url, remoteAddress: '192.168.1.20'})).statusCode).toBe(200)
  })

  it('serves an OpenAPI document with every route and a docs page', async () => {
    const document = (await api.app.inject({method: 'GET', url: '/openapi.json'})).json()
    expect(document.openapi).toMatch(/^3\./)
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/characters', '/api/stories/{id}/export.pdf', '/api/jobs/{id}']),
    )
    const page = await api.app.inject({method: 'GET', url: '/docs'})
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin')
    // JSON gets the REST set: nothing may load or run from it, no sniffing, no framing.
    const json = await api.app.inject({method: 'GET', url: '/health'})
    expect(json.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    })
    expect(json.headers['cross-origin-opener-policy']).toBeUndefined()
  })

  it('answers unknown routes and bad JSON with the error envelope', async () => {
    const missing = await api.app.inject({method: 'GET', url: '/api/nope'})
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('NOT_FOUND')
    const badJson = await api.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: {'content-type': 'application/json'},
      payload: '{"email":',
    })
    expect(badJson.statusCode).toBe(400)
    expect(badJson.json().error.code).toBe('VALIDATION_FAILED')
    const huge = await api.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: {'content-type': 'application/json'},
      payload: JSON.stringify({email: 'a'.repeat(400_000)}),
    })
    expect(huge.statusCode).toBe(413)
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE')
  })
})

describe('readiness with pending migrations', () => {
  it('answers 503 until the schema is current', async () => {
    const partial = await createTestApp({migrateTo: '0004'})
    try {
      const response = await partial.app.inject({method: 'GET', url: '/ready'})
      expect(response.statusCode).toBe(503)
      expect(response.json().checks.migrations).toContain('storybook db migrate')
      await runMigrations(partial.database, MIGRATIONS)
      expect((await partial.app.inject({method: 'GET', url: '/ready'})).statusCode).toBe(200)
      // A rollback while the API runs makes it not ready again.
      await rollbackMigrations(partial.database, MIGRATIONS)
      expect((await partial.app.inject({method: 'GET', url: '/ready'})).statusCode).toBe(503)
      // An applied migration that is not the one in the code is drift, which migrate does not cure.
      await runMigrations(partial.database, MIGRATIONS)
      await partial.database.db
        .updateTable('storybook_migrations')
        .set({checksum: 'edited'})
        .where('name', '=', MIGRATIONS[0]!.name)
        .execute()
      const drifted = await partial.app.inject({method: 'GET', url: '/ready'})
      expect(drifted.statusCode).toBe(503)
      expect(drifted.json().checks.migrations).toBe(
        `drift: ${MIGRATIONS[0]!.name} changed since applied: run storybook db status`,
      )
    } finally {
      await partial.close()
    }
  })
})

/** A property of kysely's instance, methods bound to it (they use private fields). */
function bound(target: object, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key, target)
  return typeof value === 'function' ? value.bind(target) : value
}

describe('readiness while another process migrates', () => {
  it('does not remember "current" for migrations that changed while it looked', async () => {
    const api = await createTestApp({migrateTo: '0004'})
    const cli = await openDatabase(api.config.database, {create: false}) // a `storybook db migrate` elsewhere
    try {
      let migrateDuringCheck = false
      // The API's database, except that the other process's migrate commits in the middle of the status read.
      const introspection = api.database.db.introspection
      const db = new Proxy(api.database.db, {
        get: (target, key) =>
          key === 'introspection'
            ? {
                ...introspection,
                getTables: async (...args: Parameters<typeof introspection.getTables>) => {
                  if (migrateDuringCheck) {
                    migrateDuringCheck = false
                    await runMigrations(cli, MIGRATIONS)
                  }
                  return introspection.getTables(...args)
                },
              }
            : bound(target, key),
      })
      const context = createServerContext({config: api.config, database: {...api.database, db}})
      migrateDuringCheck = true
      expect(await context.migrationProblem()).toBeUndefined()
      await rollbackMigrations(cli, MIGRATIONS) // back where the check began
      expect(await context.migrationProblem()).toBe('1 pending migration: run storybook db migrate')
    } finally {
      await cli.close()
      await api.close()
    }
  })
})

describe('rate limits', () => {
  it('limits login attempts more strictly than other requests', async () => {
    const strict = await createTestApp({env: {RATE_LIMIT_AUTH_MAX: '3', RATE_LIMIT_MAX: '1000'}})
    try {
      const attempts = []
      for (let index = 0; index < 5; index++) {
        attempts.push(
          (
            await strict.app.inject({
              method: 'POST',
              url: '/api/auth/login',
              payload: {email: 'x@example.test', password: 'wrong password'},
            })
          ).statusCode,
        )
      }
      expect(attempts).toEqual([401, 401, 401, 429, 429])
      const limited = await strict.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: {email: 'x@example.test', password: 'x'},
      })
      expect(limited.json().error.code).toBe('RATE_LIMITED')
      expect(limited.headers).toMatchObject({
        'retry-after': expect.stringMatching(/^\d+$/),
        'x-ratelimit-limit': '3',
        'x-ratelimit-remaining': '0',
      })
      expect((await strict.app.inject({method: 'GET', url: '/api/catalog/traits'})).statusCode).toBe(200)
    } finally {
      await strict.close()
    }
  })
})

describe('sessions', () => {
  it('records when a session was last used (at most every few seconds: the lookup is cached)', async () => {
    let now = new Date('2026-11-22T10:00:00Z')
    const timed = await createTestApp({clock: () => now})
    try {
      const {headers} = await timed.register('clock')
      now = new Date('2026-11-22T11:30:00Z')
      expect((await timed.app.inject({method: 'GET', url: '/api/auth/me', headers})).statusCode).toBe(200)
      const session = await timed.database.db
        .selectFrom('sessions')
        .select(['created_at', 'last_used_at'])
        .executeTakeFirstOrThrow()
      expect(session).toEqual({created_at: '2026-11-22T10:00:00.000Z', last_used_at: '2026-11-22T11:30:00.000Z'})
    } finally {
      await timed.close()
    }
  })
})

describe('review regressions', () => {
  it('changes only the fields a PATCH sends', async () => {
    const {headers} = await api.register('patch')
    const luna = (await api.app.inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})).json()
    const story = (
      await api.app.inject({
        method: 'POST',
        url: '/api/stories',
        headers,
        payload: {title: 'Forest', theme: 'courage', targetAge: '6-8', characterIds: [luna.id]},
      })
    ).json()
    const patched = (
      await api.app.inject({method: 'PATCH', url: `/api/stories/${story.id}`, headers, payload: {title: 'Forest 2'}})
    ).json()
    expect(patched).toMatchObject({title: 'Forest 2', theme: 'courage', targetAge: '6-8', characterIds: [luna.id]})
    const renamed = (
      await api.app.inject({method: 'PATCH', url: `/api/characters/${luna.id}`, headers, payload: {name: 'Foxy'}})
    ).json()
    expect(renamed.description).toBe(LUNA.description)
    const backwards = await api.app.inject({
      method: 'PATCH',
      url: `/api/stories/${story.id}`,
      headers,
      payload: {targetAge: '9-3'},
    })
    expect(backwards.statusCode).toBe(400)
  })

  it('starts one job when the same story is asked to generate twice at once', async () => {
    const {headers} = await api.register('race')
    const story = (
      await api.app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Race', generatePages: 3}})
    ).json()
    const responses = await Promise.all(
      Array.from({length: 6}, () =>
        api.app.inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers}),
      ),
    )
    expect(new Set(responses.map((response) => response.json().id)).size).toBe(1)
  })

  it('logs out with an empty JSON body, and lets the web app PATCH across origins', async () => {
    const {headers} = await api.register('empty')
    const logout = await api.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: {...headers, 'content-type': 'application/json'},
    })
    expect(logout.statusCode).toBe(204)
    const preflight = await api.app.inject({
      method: 'OPTIONS',
      url: '/api/stories/00000000-0000-4000-8000-000000000000',
      headers: {origin: `http://127.0.0.1:${api.config.web.port}`, 'access-control-request-method': 'PATCH'},
    })
    expect(preflight.headers['access-control-allow-methods']).toContain('PATCH')
    const foreign = await api.app.inject({
      method: 'OPTIONS',
      url: '/api/stories',
      headers: {origin: 'http://evil.test', 'access-control-request-method': 'GET'},
    })
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('puts a text too long for its page on a page of its own instead of cutting it', async () => {
    const {headers} = await api.register('long')
    const story = (
      await api.app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Long', generatePages: 1}})
    ).json()
    await api.app.inject({
      method: 'PATCH',
      url: `/api/stories/${story.id}/pages/${story.pages[0].id}`,
      headers,
      payload: {text: 'word '.repeat(399)},
    })
    await api.app.inject({
      method: 'POST',
      url: `/api/stories/${story.id}/pages/${story.pages[0].id}/regenerate`,
      headers,
    })
    const pdf = await api.app.inject({method: 'GET', url: `/api/stories/${story.id}/export.pdf`, headers})
    // cover, the picture, then the text over as many pages as it needs (two here), never cut off
    expect(pdfPageCount(pdf.rawPayload)).toBe(4)
    expect(pdf.headers['content-disposition']).toContain("filename*=UTF-8''Long.pdf")
  })
})
