// The API's contract, as an OpenAPI contract fuzzer found it broken: each case is one finding of
// issue 11, through app.inject on a real SQLite database.
import {randomUUID} from 'node:crypto'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'
import {pino} from 'pino'
import {Ajv} from 'ajv'
import fc from 'fast-check'
import {TRAIT_CATALOG, traitProblems} from '../../src/server/catalog.js'
import {buildApp} from '../../src/server/app.js'
import {createTestApp, LUNA, type TestApp} from '../helpers/api.js'
import {createDatabase} from '../helpers/postgres.js'

let api: TestApp
beforeAll(async () => {
  api = await createTestApp()
})
afterAll(async () => {
  await api.close()
})

describe('text cut to a length', () => {
  it('exports a PDF whose title has an emoji across the 60th UTF-16 unit', async () => {
    // Given a story whose title's 60th UTF-16 unit is the first half of 😀
    const {headers} = await api.register('emoji')
    const title = 'Die Bären und ihre Freunde im großen Zauberwald – Teil 1 😀🐻'
    expect(title.charCodeAt(59)).toBeGreaterThanOrEqual(0xd800)
    const story = (await api.app.inject({method: 'POST', url: '/api/stories', headers, payload: {title}})).json()

    // When it is exported
    const response = await api.app.inject({method: 'GET', url: `/api/stories/${story.id}/export.pdf`, headers})

    // Then the PDF comes with a file name cut between characters, not inside one
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/pdf')
    const disposition = String(response.headers['content-disposition'])
    const unicode = decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? '')
    expect(unicode).toBe(`${[...title.replace(/\s+/g, '-')].slice(0, 60).join('')}.pdf`)
    expect(unicode).not.toMatch(/\p{Cs}/u) // no lone surrogate
  })
})

describe('paging parameters', () => {
  const LIST_ROUTES = ['/api/characters', '/api/stories']
  const BAD = ['limit=Infinity', 'limit=1e309', 'offset=Infinity', 'offset=-Infinity', 'limit=NaN', 'limit=1.5']

  it('refuses non-finite and fractional limits and offsets with the 400 envelope on every list route', async () => {
    const {headers} = await api.register('paging')
    for (const path of LIST_ROUTES) {
      for (const query of BAD) {
        const response = await api.app.inject({method: 'GET', url: `${path}?${query}`, headers})
        expect({path, query, status: response.statusCode}).toEqual({path, query, status: 400})
        expect(response.json().error.code).toBe('VALIDATION_FAILED')
      }
    }
    for (const query of ['limit=Infinity', 'limit=1e309']) {
      const response = await api.app.inject({method: 'GET', url: `/api/monitoring/logs?${query}`})
      expect({query, status: response.statusCode}).toEqual({query, status: 400})
    }
  })
})

describe('authentication before validation', () => {
  it('answers 401, not 400, to an anonymous request with a bad body, query or id', async () => {
    const requests = [
      {method: 'POST', url: '/api/stories', payload: {title: ''}},
      {method: 'POST', url: '/api/characters', payload: {name: 42}},
      {method: 'PATCH', url: '/api/stories/not-a-uuid', payload: {nope: true}},
      {method: 'GET', url: '/api/characters?limit=0'},
      {method: 'POST', url: '/api/auth/logout', payload: '{not json', headers: {'content-type': 'application/json'}},
    ] as const
    for (const request of requests) {
      const response = await api.app.inject(request)
      expect({url: request.url, status: response.statusCode}).toEqual({url: request.url, status: 401})
      expect(response.json().error.code).toBe('UNAUTHORIZED')
    }
  })
})

describe('session expiry', () => {
  it('refuses a session the moment it expires, even while its lookup is cached', async () => {
    // Given a session used a moment ago (so its lookup is in the cache)
    let now = new Date('2026-11-22T10:00:00Z')
    const timed = await createTestApp({clock: () => now})
    try {
      const {headers} = await timed.register('expiring')
      const {expiresAt} = await timed.database.db
        .selectFrom('sessions')
        .select('expires_at as expiresAt')
        .executeTakeFirstOrThrow()
      now = new Date(Date.parse(expiresAt) - 1)
      expect((await timed.app.inject({method: 'GET', url: '/api/auth/me', headers})).statusCode).toBe(200)

      // When the clock passes its expiry, well within the cache's few seconds
      now = new Date(Date.parse(expiresAt) + 1)
      const response = await timed.app.inject({method: 'GET', url: '/api/auth/me', headers})

      // Then it is refused
      expect(response.statusCode).toBe(401)
      expect(response.json().error.code).toBe('UNAUTHORIZED')
    } finally {
      await timed.close()
    }
  })
})

describe('request logs', () => {
  it('redacts the values of secret query parameters in logged URLs and keeps the rest', async () => {
    // Given the app logging through pino, as the server does
    const lines: string[] = []
    const own = await createTestApp()
    const logged = await buildApp({
      context: own.context,
      logger: pino({level: 'info'}, {write: (line: string) => lines.push(line)}),
    })
    try {
      // When URLs carry secrets in their query strings
      const secrets = ['tok-SECRET-1', 'key-SECRET-2', 'pw-SECRET-3', 'sess-SECRET-4', 'at-SECRET-5']
      await logged.inject({method: 'GET', url: `/api/auth/me?token=${secrets[0]}&limit=5`})
      await logged.inject({method: 'GET', url: `/api/catalog/traits?api_key=${secrets[1]}&password=${secrets[2]}`})
      await logged.inject({
        method: 'GET',
        url: `/api/characters?q=fox&session=${secrets[3]}&access_token=${secrets[4]}`,
      })

      // Then no secret is in the log, and the URLs keep everything else
      const text = lines.join('')
      for (const secret of secrets) expect(text).not.toContain(secret)
      const urls = lines.map((line) => JSON.parse(line) as {req?: {url: string}}).flatMap((line) => line.req?.url ?? [])
      expect(urls).toEqual([
        '/api/auth/me?token=[redacted]&limit=5',
        '/api/catalog/traits?api_key=[redacted]&password=[redacted]',
        '/api/characters?q=fox&session=[redacted]&access_token=[redacted]',
      ])
    } finally {
      await logged.close()
      await own.close()
    }
  })
})

describe('unsupported methods', () => {
  it('answers 405 with an allow header and the envelope on a known path, 404 on an unknown one', async () => {
    const {headers} = await api.register('methods')
    const id = '00000000-0000-4000-8000-000000000000'
    const cases = [
      {method: 'PUT', url: '/api/stories', allow: 'GET, HEAD, OPTIONS, POST'},
      {method: 'DELETE', url: '/api/stories?limit=5', allow: 'GET, HEAD, OPTIONS, POST'},
      {method: 'POST', url: `/api/stories/${id}`, allow: 'DELETE, GET, HEAD, OPTIONS, PATCH'},
      {method: 'DELETE', url: `/api/stories/${id}/export.pdf`, allow: 'GET, HEAD, OPTIONS'},
      {method: 'GET', url: '/api/auth/login', allow: 'OPTIONS, POST'},
      {method: 'PATCH', url: '/health', allow: 'GET, HEAD, OPTIONS'},
    ] as const
    for (const {method, url, allow} of cases) {
      const response = await api.app.inject({method, url, headers})
      expect({method, url, status: response.statusCode, allow: response.headers.allow}).toEqual({
        method,
        url,
        status: 405,
        allow,
      })
      expect(response.json()).toMatchObject({error: {code: 'METHOD_NOT_ALLOWED', details: {allow: allow.split(', ')}}})
    }
    const unknown = await api.app.inject({method: 'PUT', url: '/api/nothing-here', headers})
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('NOT_FOUND')
  })
})

describe('the OpenAPI document', () => {
  interface Operation {
    parameters?: Array<{name: string; in: string; required?: boolean; schema: {default?: unknown}}>
    responses: Record<string, {content?: Record<string, unknown>}>
  }
  const operations = async () => {
    const document = (await api.app.inject({method: 'GET', url: '/openapi.json'})).json() as {
      paths: Record<string, Record<string, Operation>>
    }
    return Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({route: `${method.toUpperCase()} ${path}`, operation})),
    )
  }

  it('does not call a query parameter with a default required, and the server does not need it', async () => {
    const required = (await operations()).flatMap(({route, operation}) =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query' && parameter.required)
        .map((parameter) => `${route} ${parameter.name}`),
    )
    expect(required).toEqual([])
    const {headers} = await api.register('defaults')
    const list = await api.app.inject({method: 'GET', url: '/api/stories', headers})
    expect(list.statusCode).toBe(200)
    expect((await api.app.inject({method: 'GET', url: '/api/monitoring/logs'})).statusCode).toBe(200)
  })
})

describe('JSON body types', () => {
  it('refuses values of the wrong JSON type instead of coercing them', async () => {
    const {headers} = await api.register('types')
    const bodies = [
      {targetAge: 0},
      {generatePages: null},
      {generatePages: '3'},
      {title: 42},
      {characterIds: 'x'},
      {generatePages: true},
    ]
    for (const extra of bodies) {
      const response = await api.app.inject({
        method: 'POST',
        url: '/api/stories',
        headers,
        payload: {title: 'Typed', ...extra},
      })
      expect({extra, status: response.statusCode}).toEqual({extra, status: 400})
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
    const traits = await api.app.inject({
      method: 'POST',
      url: '/api/characters/preview',
      headers,
      payload: {name: 'Luna', traits: {species: 7}},
    })
    expect(traits.statusCode).toBe(400)
    const fine = await api.app.inject({
      method: 'POST',
      url: '/api/stories',
      headers,
      payload: {title: 'Typed', targetAge: '4', generatePages: 1},
    })
    expect(fine.statusCode).toBe(201)
  })
})

describe('file responses in the OpenAPI document', () => {
  it('documents a 2xx for every operation, and the media types the PDF, SVG and preview routes send', async () => {
    // Given a story with an illustrated page, and a character
    const {headers} = await api.register('files')
    const luna = (await api.app.inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})).json()
    const story = (
      await api.app.inject({
        method: 'POST',
        url: '/api/stories',
        headers,
        payload: {title: 'Files', characterIds: [luna.id], generatePages: 1},
      })
    ).json()
    const page = (
      await api.app.inject({
        method: 'POST',
        url: `/api/stories/${story.id}/pages/${story.pages[0].id}/regenerate`,
        headers,
      })
    ).json()
    const document = (await api.app.inject({method: 'GET', url: '/openapi.json'})).json() as {
      paths: Record<string, Record<string, {responses: Record<string, {content?: Record<string, unknown>}>}>>
    }

    // Then every operation documents a success
    const undocumented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => !Object.keys(operation.responses).some((status) => status.startsWith('2')))
        .map(([method]) => `${method} ${path}`),
    )
    expect(undocumented).toEqual([])

    // And each file route sends a media type its 200 documents
    const files = [
      {route: '/api/stories/{id}/export.pdf', method: 'GET', url: `/api/stories/${story.id}/export.pdf`},
      {route: '/api/characters/{id}/portrait.svg', method: 'GET', url: `/api/characters/${luna.id}/portrait.svg`},
      {route: '/api/illustrations/{id}', method: 'GET', url: page.illustrationUrl},
      {
        route: '/api/characters/preview',
        method: 'POST',
        url: '/api/characters/preview',
        payload: {name: 'Luna', traits: LUNA.traits},
      },
    ] as const
    for (const file of files) {
      const documented = Object.keys(
        document.paths[file.route]?.[file.method.toLowerCase()]?.responses['200']?.content ?? {},
      )
      const {route, ...request} = file
      const response = await api.app.inject({...request, headers})
      expect(response.statusCode).toBe(200)
      const mediaType = String(response.headers['content-type']).split(';')[0]
      expect({route, documented: documented.includes(mediaType as string)}).toEqual({
        route,
        documented: true,
      })
    }
  })
})

describe('unsupported methods on operator-only paths', () => {
  it('answers 405 to this machine, and 404 to others, who must not learn the path exists', async () => {
    const local = await api.app.inject({method: 'POST', url: '/metrics', remoteAddress: '127.0.0.1'})
    expect(local.statusCode).toBe(405)
    expect(local.headers.allow).toBe('GET, HEAD, OPTIONS')
    for (const request of [
      {remoteAddress: '192.168.1.20'},
      {remoteAddress: '127.0.0.1', headers: {'x-forwarded-for': '203.0.113.9'}},
    ]) {
      const response = await api.app.inject({method: 'POST', url: '/api/monitoring/logs', ...request})
      expect(response.statusCode).toBe(404)
      expect(response.headers.allow).toBeUndefined()
      expect(response.json().error.code).toBe('NOT_FOUND')
    }
  })
})

describe('the interactive reference at /docs', () => {
  /** The directives of a Content-Security-Policy header, by name. */
  const directives = (header: unknown) =>
    new Map(
      String(header)
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0])
        .map(([name, ...values]) => [name as string, values]),
    )
  /** What the policy allows for a kind of resource: its own directive, else default-src. */
  const allowed = (policy: Map<string, string[]>, name: string) => policy.get(name) ?? policy.get('default-src') ?? []

  it('serves Swagger UI from the package, with scripts and styles its own CSP allows', async () => {
    // Given the page, with and without the trailing slash
    for (const url of ['/docs', '/docs/']) {
      const page = await api.app.inject({method: 'GET', url})
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toContain('text/html')
      const policy = directives(page.headers['content-security-policy'])

      // Then it loads no inline script and nothing from another origin
      expect(page.body).toContain('id="swagger-ui"')
      expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/)
      const scripts = [...page.body.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1] as string)
      const styles = [...page.body.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map(
        (match) => match[1] as string,
      )
      expect(scripts.length).toBeGreaterThanOrEqual(3)
      expect(styles.length).toBeGreaterThanOrEqual(1)
      expect([...scripts, ...styles].filter((href) => /^(https?:)?\/\//.test(href))).toEqual([])
      expect(allowed(policy, 'script-src')).toContain("'self'")
      expect(allowed(policy, 'style-src')).toContain("'self'")
      // The document it reads, and try-it's requests, go to this same origin.
      expect(allowed(policy, 'connect-src')).toContain("'self'")

      // And each asset answers 200 with a content type that nosniff lets the browser use
      const base = new URL(url, 'http://127.0.0.1')
      for (const [href, type] of [
        ...scripts.map((href) => [href, 'application/javascript'] as const),
        ...styles.map((href) => [href, 'text/css'] as const),
      ]) {
        const asset = await api.app.inject({method: 'GET', url: new URL(href, base).pathname})
        expect({href, status: asset.statusCode}).toEqual({href, status: 200})
        expect(String(asset.headers['content-type'])).toContain(type)
        expect(asset.headers['x-content-type-options']).toBe('nosniff')
      }
    }
  })

  it('points Swagger UI at the API document, with no validator badge calling another site', async () => {
    const initializer = await api.app.inject({method: 'GET', url: '/docs/static/swagger-initializer.js'})
    expect(initializer.body).toContain("resolveUrl('./json')")
    expect(initializer.body).toMatch(/validatorUrl: null/)
    const json = (await api.app.inject({method: 'GET', url: '/docs/json'})).json()
    const document = (await api.app.inject({method: 'GET', url: '/openapi.json'})).json()
    expect(json).toEqual(document)
    // The schemas Swagger UI shows and try-it sends with: bodies and the bearer scheme are in the document.
    expect(document.components.securitySchemes.bearer).toEqual({type: 'http', scheme: 'bearer'})
    expect(document.paths['/api/stories'].post.requestBody.content['application/json'].schema).toBeDefined()
  })
})

describe('trait rules and e-mail addresses in the OpenAPI document', () => {
  type Schema = Record<string, unknown> & {properties?: Record<string, Schema>; required?: string[]}
  const documentOf = async () =>
    (await api.app.inject({method: 'GET', url: '/openapi.json'})).json() as {
      paths: Record<string, Record<string, {requestBody: {content: {'application/json': {schema: Schema}}}}>>
    }
  const bodySchema = async (path: string, method: string) =>
    (await documentOf()).paths[path]?.[method]?.requestBody.content['application/json'].schema as Schema

  it('lists every category of the catalog with its values, the required ones, and no others', async () => {
    const traits = (await bodySchema('/api/characters', 'post')).properties?.traits as Schema
    expect(traits.additionalProperties).toBe(false)
    expect(traits.required).toEqual(TRAIT_CATALOG.filter((category) => category.required).map(({id}) => id))
    for (const category of TRAIT_CATALOG) {
      const values = category.options.map((option) => option.id)
      const schema = traits.properties?.[category.id] as Schema & {anyOf?: Schema[]}
      if (category.kind === 'one') expect(schema).toMatchObject({type: 'string', enum: values})
      else
        expect(schema.anyOf).toEqual([
          {type: 'string', enum: values},
          {type: 'array', items: {type: 'string', enum: values}, uniqueItems: true, maxItems: category.max},
        ])
    }
  })

  it('accepts exactly the traits the catalog accepts, in the schema and on the server', async () => {
    // Given the document's traits schema, checked by Ajv as a client would
    const traitsSchema = (await bodySchema('/api/characters/preview', 'post')).properties?.traits as Schema
    const validate = new Ajv({strict: false}).compile(traitsSchema)
    const {headers} = await api.register('trait-rules')
    const value = fc.oneof(
      fc.constantFrom(...TRAIT_CATALOG.flatMap((category) => category.options.map((option) => option.id))),
      fc.constantFrom('unicorn', ''),
    )
    const traits = fc.dictionary(
      fc.oneof(fc.constantFrom(...TRAIT_CATALOG.map(({id}) => id)), fc.constantFrom('colour', 'ageGroup')),
      fc.oneof(value, fc.array(value, {maxLength: 4})),
      {maxKeys: 7},
    )
    let server = 0
    await fc.assert(
      fc.asyncProperty(traits, async (candidate) => {
        // Then the schema and the catalog's own check agree on every traits object
        const catalogSays = traitProblems(candidate).length === 0
        expect({candidate, schema: validate(candidate)}).toEqual({candidate, schema: catalogSays})
        // And the server answers as the schema says (a sample: each preview draws a portrait)
        if (server++ % 10 !== 0) return
        const response = await api.app.inject({
          method: 'POST',
          url: '/api/characters/preview',
          headers,
          payload: {name: 'T', traits: candidate},
        })
        expect({candidate, status: response.statusCode}).toEqual({candidate, status: catalogSays ? 200 : 400})
      }),
      {numRuns: 300},
    )
  })

  it("gives the e-mail rule the server applies as the field's pattern, and the server keeps to it", async () => {
    const email = (await bodySchema('/api/auth/register', 'post')).properties?.email as Schema
    expect(email).toMatchObject({type: 'string', format: 'email', maxLength: 254, pattern: expect.any(String)})
    // A client that knows the pattern only (no format) predicts each answer.
    const matches = new Ajv({strict: false}).compile({...email, format: undefined})
    const candidates = [
      'luna@example.org',
      'A.B+c@Example.ORG',
      "o'brien@x.co",
      'a@localhost',
      '"a b"@example.org',
      'a@[127.0.0.1]',
      'a..b@example.org',
      '.a@example.org',
      'a@-x.org',
      'a@x-.org',
      'ü@example.org',
      'a@example.org.',
      'a b@example.org',
    ]
    let index = 0
    for (const candidate of candidates) {
      const address = matches(candidate) ? candidate.replace('@', `${++index}@`) : candidate
      const response = await api.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: {email: address, password: 'correct horse battery', displayName: 'E'},
      })
      expect({address, status: response.statusCode}).toEqual({address, status: matches(address) ? 201 : 400})
    }
  })
})

describe('unknown query parameters', () => {
  interface QueryOperation {
    parameters?: Array<{name: string; in: string}>
    responses: Record<string, {content?: Record<string, {schema: {$ref?: string}}>}>
  }
  const document = async () =>
    (await api.app.inject({method: 'GET', url: '/openapi.json'})).json() as {
      info: {description: string}
      paths: Record<string, Record<string, QueryOperation>>
      components: {schemas: Record<string, object>}
    }
  /** The GET operations with query parameters, which are the lists and the log reader. */
  const withQuery = async () =>
    Object.entries((await document()).paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => (operation.parameters ?? []).some((parameter) => parameter.in === 'query'))
        .map(([method, operation]) => ({method: method.toUpperCase(), path, operation})),
    )

  it('ignores the parameters an operation does not list, as the document says', async () => {
    // Given the document's rule, and a user with a draft story
    expect((await document()).info.description).toContain(
      'Query parameters that an operation does not list are ignored.',
    )
    const {headers} = await api.register('unknown-query')
    await api.app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Draft'}})
    const operations = await withQuery()
    expect(operations.map(({method, path}) => `${method} ${path}`).sort()).toEqual([
      'GET /api/characters',
      'GET /api/monitoring/logs',
      'GET /api/stories',
    ])

    // When each is asked with unknown parameters beside its own
    for (const {path} of operations) {
      const plain = await api.app.inject({method: 'GET', url: `${path}?limit=5`, headers})
      const extra = await api.app.inject({method: 'GET', url: `${path}?_=1712&utm_source=mail&limit=5`, headers})
      // Then it answers as without them
      expect({path, status: extra.statusCode}).toEqual({path, status: 200})
      if (path !== '/api/monitoring/logs') expect(extra.json()).toEqual(plain.json())
    }
    // And the listed parameters still apply
    const drafts = await api.app.inject({method: 'GET', url: '/api/stories?status=ready&tracking=x', headers})
    expect(drafts.json()).toEqual({items: [], total: 0})
  })

  it('refuses a bad value of a listed parameter with the envelope its 400 documents', async () => {
    const {headers} = await api.register('bad-query')
    const {components} = await document()
    const ajv = new Ajv({strict: false})
    for (const [name, schema] of Object.entries(components.schemas))
      ajv.addSchema(schema, `#/components/schemas/${name}`)
    for (const {path, operation} of await withQuery()) {
      const documented = operation.responses['400']?.content?.['application/json']?.schema
      expect({path, documented}).toEqual({path, documented: {$ref: '#/components/schemas/ErrorEnvelope'}})
      const response = await api.app.inject({method: 'GET', url: `${path}?limit=0&unknown=1`, headers})
      expect({path, status: response.statusCode}).toEqual({path, status: 400})
      const body = response.json()
      expect(ajv.validate({$ref: '#/components/schemas/ErrorEnvelope'}, body)).toBe(true)
      expect(body.error).toMatchObject({code: 'VALIDATION_FAILED', message: expect.stringContaining('limit')})
    }
  })
})

describe('fields with defaults in request bodies', () => {
  it('are not called required in the document, and the server fills them in', async () => {
    const document = (await api.app.inject({method: 'GET', url: '/openapi.json'})).json()
    const required = (path: string) =>
      document.paths[path].post.requestBody.content['application/json'].schema.required as string[]
    expect(required('/api/stories')).toEqual(['title'])
    expect(required('/api/characters')).toEqual(['name', 'traits'])
    expect(required('/api/characters/preview')).toEqual(['traits'])

    const {headers} = await api.register('defaults-body')
    const story = await api.app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Only a title'}})
    expect(story.statusCode).toBe(201)
    expect(story.json()).toMatchObject({theme: '', targetAge: '3-5', characterIds: [], pages: []})
  })
})

describe.each(['sqlite', 'postgres'] as const)('text with U+0000 (%s)', (dialect) => {
  let own: TestApp
  beforeAll(async () => {
    own = await createTestApp(
      dialect === 'postgres'
        ? {env: {DATABASE_URL: await createDatabase(inject('postgresUrl'), `nul_${randomUUID().replaceAll('-', '')}`)}}
        : {},
    )
  })
  afterAll(async () => {
    await own?.close()
  })

  it('is refused with the 400 envelope its schema documents, never a 500 from PostgreSQL', async () => {
    const {headers} = await own.register('nul')
    const document = (await own.app.inject({method: 'GET', url: '/openapi.json'})).json()
    const bodySchema = document.paths['/api/characters'].post.requestBody.content['application/json'].schema
    expect(new RegExp(bodySchema.properties.description.pattern, 'u').test('a\u0000b')).toBe(false)
    expect(new RegExp(bodySchema.properties.name.pattern, 'u').test('\u0000')).toBe(false)
    const requests = [
      {method: 'POST', url: '/api/characters', payload: {...LUNA, description: 'a\u0000b'}},
      {method: 'POST', url: '/api/characters', payload: {...LUNA, name: '\u0000'}},
      {method: 'POST', url: '/api/stories', payload: {title: 'T', theme: '\u0000'}},
      {method: 'GET', url: '/api/stories?q=%00'},
      {method: 'GET', url: '/api/characters?q=a%00'},
      {
        method: 'POST',
        url: '/api/auth/register',
        payload: {email: 'nul@example.org', password: 'correct horse battery', displayName: 'N\u0000'},
      },
    ] as const
    for (const request of requests) {
      const response = await own.app.inject({...request, headers})
      expect({url: request.url, status: response.statusCode}).toEqual({url: request.url, status: 400})
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
    const fine = await own.app.inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})
    expect(fine.statusCode).toBe(201)
  })
})
