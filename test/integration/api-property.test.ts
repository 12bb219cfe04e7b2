// The API's contract as a property: requests generated from /openapi.json (valid ones from the
// schemas, and invalid ones: wrong types, missing required fields, extra properties) go through
// app.inject, and every answer must be a status the document lists for the operation, never a 5xx,
// with a body its schema for that status accepts. On SQLite and on PostgreSQL.
//
// A failure prints fast-check's seed and path; replay it with API_PROPERTY_SEED=<seed>.
import {randomUUID} from 'node:crypto'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'
import fc from 'fast-check'
import {Ajv, type ValidateFunction} from 'ajv'
import addFormatsModule from 'ajv-formats'
import type {FastifyInstance} from 'fastify'
import {pino} from 'pino'
import {buildApp} from '../../src/server/app.js'
import {createTestApp, LUNA, type TestApp} from '../helpers/api.js'
import {createDatabase} from '../helpers/postgres.js'

// ajv-formats is CommonJS: its function is the module, or the module's default, by interop.
type AddFormats = (ajv: Ajv) => Ajv
const addFormats = ((addFormatsModule as unknown as {default?: AddFormats}).default ??
  addFormatsModule) as unknown as AddFormats

interface Schema {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  items?: Schema
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  minProperties?: number
  maxProperties?: number
}

interface Parameter {
  name: string
  in: 'query' | 'path'
  required?: boolean
  schema: Schema
}

interface Operation {
  method: string
  path: string
  parameters: Parameter[]
  body?: Schema
  secured: boolean
  responses: Record<string, {content?: Record<string, {schema?: Schema}>}>
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path' | 'body' | 'secured'> & OperationExtras>>
  components: {schemas: Record<string, Schema>}
}
interface OperationExtras {
  parameters?: Parameter[]
  security?: unknown[]
  requestBody?: {content: {'application/json': {schema: Schema}}}
}

/** One generated request, with what the generator knows about it. */
interface GeneratedRequest {
  url: string
  payload: unknown
  contentType: string
  /** False when the generator broke a rule of the schemas on purpose. */
  valid: boolean
  anonymous: boolean
  remoteAddress: string
}

// Bounded so the file stays well under a minute on a loaded 2-core machine.
// API_PROPERTY_RUNS=200 searches longer, by hand.
const RUNS = Number(process.env.API_PROPERTY_RUNS ?? 10)
const HEAVY_RUNS = Math.max(3, Math.round(RUNS / 3))
/** Operations that draw pictures, PDFs or hash passwords: fewer runs each. */
const HEAVY = /export\.pdf|regenerate|illustrations$|preview|register|login|portrait/
const SEED = process.env.API_PROPERTY_SEED === undefined ? undefined : Number(process.env.API_PROPERTY_SEED)

// ---------------------------------------------------------------------------------------------
// JSON Schema to fast-check

class SchemaArbitraries {
  constructor(private readonly components: Record<string, Schema>) {}

  resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema
    const name = schema.$ref.replace('#/components/schemas/', '')
    const target = this.components[name]
    if (!target) throw new Error(`unresolved $ref ${schema.$ref}`)
    return this.resolve(target)
  }

  /** Values the schema accepts. */
  valid(raw: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw)
    if ('const' in schema) return fc.constant(schema.const)
    if (schema.enum) return fc.constantFrom(...schema.enum)
    const branches = schema.anyOf ?? schema.oneOf
    if (branches) return fc.oneof(...branches.map((branch) => this.valid(branch)))
    if (schema.allOf) return this.valid(this.mergeAll(schema.allOf))
    const types = schema.type === undefined ? [] : [schema.type].flat()
    if (types.length > 1) return fc.oneof(...types.map((type) => this.valid({...schema, type})))
    switch (types[0]) {
      case 'string':
        return this.string(schema)
      case 'integer':
        return fc.integer({min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000})
      case 'number':
        return fc.double({min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true})
      case 'boolean':
        return fc.boolean()
      case 'null':
        return fc.constant(null)
      case 'array':
        return this.array(schema)
      case 'object':
        return this.object(schema)
      default:
        return schema.properties ? this.object(schema) : fc.jsonValue({maxDepth: 2})
    }
  }

  /** Values of another JSON type than the schema's. */
  wrongType(raw: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw)
    const candidates: unknown[] = ['text', 7, 2.5, true, null, [], {}]
    const refused = candidates.filter((value) => !this.acceptsType(schema, value))
    return refused.length > 0 ? fc.constantFrom(...refused) : fc.constant(Symbol('no wrong type'))
  }

  /** A body the schema refuses: a required property missing, an extra one, one of a wrong type, or no object. */
  invalidBody(raw: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw)
    const properties = Object.keys(schema.properties ?? {})
    const ways: Array<fc.Arbitrary<unknown>> = [this.wrongType(schema)]
    const required = schema.required ?? []
    if (required.length > 0)
      ways.push(
        fc
          .tuple(this.valid(schema), fc.constantFrom(...required))
          .map(([body, name]) => omit(body as Record<string, unknown>, name)),
      )
    if (schema.additionalProperties === false)
      ways.push(
        fc
          .tuple(this.valid(schema), fc.constantFrom('extra', '__proto__x', 'id'), fc.jsonValue({maxDepth: 1}))
          .filter(([, name]) => !properties.includes(name))
          .map(([body, name, value]) => ({...(body as object), [name]: value})),
      )
    const typed = properties.filter((name) => this.wrongTypeExists(schema.properties?.[name] as Schema))
    if (typed.length > 0)
      ways.push(
        fc.tuple(this.valid(schema), fc.constantFrom(...typed)).chain(([body, name]) =>
          this.wrongType(schema.properties?.[name] as Schema).map((value) => ({
            ...(body as object),
            [name]: value,
          })),
        ),
      )
    return fc.oneof(...ways)
  }

  private wrongTypeExists(schema: Schema): boolean {
    const resolved = this.resolve(schema)
    return ['text', 7, true, null, [], {}].some((value) => !this.acceptsType(resolved, value))
  }

  /** Whether the value's JSON type is one the schema allows (values and lengths aside). */
  private acceptsType(schema: Schema, value: unknown): boolean {
    const resolved = this.resolve(schema)
    const branches = resolved.anyOf ?? resolved.oneOf
    if (branches) return branches.some((branch) => this.acceptsType(branch, value))
    if (resolved.enum) return resolved.enum.some((allowed) => typeof allowed === typeof value && allowed !== null)
    if (resolved.type === undefined) return true
    return [resolved.type].flat().some((type) => jsonTypeOf(value, type))
  }

  private mergeAll(parts: Schema[]): Schema {
    const resolved = parts.map((part) => this.resolve(part))
    return {
      type: 'object',
      properties: Object.assign({}, ...resolved.map((part) => part.properties ?? {})),
      required: resolved.flatMap((part) => part.required ?? []),
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const min = schema.minLength ?? 0
    const max = Math.min(schema.maxLength ?? 80, 300)
    const fits = (text: string) => [...text].length >= min && [...text].length <= (schema.maxLength ?? Infinity)
    if (schema.format === 'uuid') return fc.uuid()
    if (schema.format === 'date-time')
      return fc
        .date({min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true})
        .map((date) => date.toISOString())
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern, 'u')
      return fc.oneof(
        fc.stringMatching(pattern).filter(fits),
        fc.string({minLength: min, maxLength: max}).filter((text) => pattern.test(text) && fits(text)),
      )
    }
    if (schema.format === 'email')
      return fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{1,10}$/))
        .map(([local, domain]) => `${local}@${domain}.test`)
    // Printable ASCII mostly, and now and then any code point (lengths count code points, as Ajv does).
    return fc.oneof(
      {weight: 3, arbitrary: fc.string({minLength: min, maxLength: max})},
      {weight: 1, arbitrary: fc.string({unit: 'binary', minLength: min, maxLength: max})},
    )
  }

  private array(schema: Schema): fc.Arbitrary<unknown[]> {
    const item = this.valid(schema.items ?? {})
    const constraints = {minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 8)}
    return schema.uniqueItems
      ? fc.uniqueArray(item, {...constraints, selector: (value) => JSON.stringify(value)})
      : fc.array(item, constraints)
  }

  private object(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    if (!schema.properties || Object.keys(schema.properties).length === 0) {
      const values = typeof schema.additionalProperties === 'object' ? this.valid(schema.additionalProperties) : null
      if (!values || schema.additionalProperties === false) return fc.constant({})
      return fc.dictionary(fc.string({minLength: 1, maxLength: 12}), values, {maxKeys: schema.maxProperties ?? 3})
    }
    const model = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [name, this.valid(property)]),
    )
    return fc
      .record(model, {requiredKeys: (schema.required ?? []).filter((name) => name in model)})
      .filter((value) => Object.keys(value).length >= (schema.minProperties ?? 0)) as fc.Arbitrary<
      Record<string, unknown>
    >
  }
}

function jsonTypeOf(value: unknown, type: string): boolean {
  if (type === 'null') return value === null
  if (type === 'array') return Array.isArray(value)
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value)
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value)
  return typeof value === type
}

function omit(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = {...body}
  delete copy[name]
  return copy
}

// ---------------------------------------------------------------------------------------------
// The document, its operations and their response validators

function operationsOf(document: OpenApiDocument): Operation[] {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json'].schema,
      secured: (operation.security ?? []).length > 0,
      responses: operation.responses,
    })),
  )
  // What deletes rows, or the session, runs last: the rows stay for the other operations.
  const order = (operation: Operation) =>
    operation.path === '/api/auth/logout' ? 2 : operation.method === 'DELETE' ? 1 : 0
  return operations.sort((a, b) => order(a) - order(b))
}

function responseValidators(document: OpenApiDocument): (schema: Schema) => ValidateFunction {
  const ajv = new Ajv({strict: false, allErrors: true})
  addFormats(ajv)
  const rewrite = (schema: unknown) =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi#/definitions/')) as Schema
  ajv.addSchema({$id: 'openapi', definitions: rewrite(document.components.schemas)})
  const compiled = new Map<string, ValidateFunction>()
  return (schema) => {
    const key = JSON.stringify(schema)
    let validate = compiled.get(key)
    if (!validate) compiled.set(key, (validate = ajv.compile(rewrite(schema))))
    return validate
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

interface Fixtures {
  characterId: string
  storyId: string
  pageId: string
  jobId: string
  illustrationId: string
}

/** Real ids for a path parameter, by the resource its path names. */
function realIds(path: string, name: string, fixtures: Fixtures): string[] {
  if (name === 'pageId') return [fixtures.pageId]
  if (path.startsWith('/api/characters')) return [fixtures.characterId]
  if (path.startsWith('/api/stories')) return [fixtures.storyId]
  if (path.startsWith('/api/jobs')) return [fixtures.jobId]
  if (path.startsWith('/api/illustrations')) return [fixtures.illustrationId]
  return []
}

function requestArbitrary(
  operation: Operation,
  schemas: SchemaArbitraries,
  fixtures: Fixtures,
): fc.Arbitrary<GeneratedRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path')
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query')

  const pathValues = fc.tuple(
    ...pathParameters.map((parameter) => {
      const real = realIds(operation.path, parameter.name, fixtures)
      return fc.oneof(
        ...(real.length > 0 ? [{weight: 6, arbitrary: fc.constantFrom(...real).map((id) => ({id, valid: true}))}] : []),
        {weight: 2, arbitrary: schemas.valid(parameter.schema).map((id) => ({id: String(id), valid: true}))},
        {weight: 1, arbitrary: fc.string({minLength: 1, maxLength: 40}).map((id) => ({id, valid: false}))},
      )
    }),
  )

  const queryValues = fc.tuple(
    ...queryParameters.map((parameter) =>
      fc.oneof(
        {weight: 3, arbitrary: fc.constant(undefined)},
        {weight: 4, arbitrary: schemas.valid(parameter.schema).map((value) => ({value: String(value), valid: true}))},
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('abc', '-1', '0', '1e309', 'Infinity', '1.5', '')
            .map((value) => ({value, valid: queryValueValid(schemas, parameter.schema, value)})),
        },
      ),
    ),
  )
  // Parameters the operation does not list are ignored, as the document says.
  const unknownQuery = fc.option(fc.tuple(fc.constantFrom('_', 'utm_source', 'expand'), fc.string({maxLength: 8})), {
    freq: 4,
  })

  const body: fc.Arbitrary<{payload: unknown; valid: boolean; contentType?: string}> = operation.body
    ? fc.oneof(
        {weight: 6, arbitrary: schemas.valid(operation.body).map((payload) => ({payload, valid: true}))},
        {weight: 4, arbitrary: schemas.invalidBody(operation.body).map((payload) => ({payload, valid: false}))},
        // A valid body under another media type: the document says JSON only (415).
        {
          weight: 1,
          arbitrary: schemas
            .valid(operation.body)
            .map((payload) => ({payload, valid: false, contentType: 'application/xml'})),
        },
      )
    : fc.constant({payload: undefined, valid: true})

  const who = fc.oneof(
    {weight: 6, arbitrary: fc.constant({anonymous: false, remoteAddress: '127.0.0.1'})},
    {weight: 2, arbitrary: fc.constant({anonymous: true, remoteAddress: '127.0.0.1'})},
    {weight: 1, arbitrary: fc.constant({anonymous: false, remoteAddress: '192.168.1.20'})},
  )

  return fc.record({pathValues, queryValues, unknownQuery, body, who}).map((parts) => {
    let url = operation.path
    pathParameters.forEach((parameter, index) => {
      url = url.replace(`{${parameter.name}}`, encodeURIComponent(parts.pathValues[index]?.id ?? ''))
    })
    const query = new URLSearchParams()
    queryParameters.forEach((parameter, index) => {
      const entry = parts.queryValues[index]
      if (entry) query.append(parameter.name, entry.value)
    })
    if (parts.unknownQuery) query.append(...parts.unknownQuery)
    const search = query.toString()
    return {
      url: search ? `${url}?${search}` : url,
      payload: parts.body.payload,
      contentType: parts.body.contentType ?? 'application/json',
      valid:
        parts.body.valid &&
        parts.pathValues.every((value) => value.valid) &&
        parts.queryValues.every((entry) => entry === undefined || entry.valid),
      ...parts.who,
    }
  })
}

/** Whether a hand-picked query value happens to be valid (`0` is a valid offset, not a valid limit). */
function queryValueValid(schemas: SchemaArbitraries, raw: Schema, value: string): boolean {
  const schema = schemas.resolve(raw)
  const types = [schema.type].flat()
  if (types.includes('integer') || types.includes('number')) {
    if (value.trim() === '') return false
    const number = Number(value)
    if (!Number.isFinite(number) || (types.includes('integer') && !Number.isInteger(number))) return false
    return number >= (schema.minimum ?? -Infinity) && number <= (schema.maximum ?? Infinity)
  }
  if (schema.enum || schema.anyOf) return false
  return [...value].length >= (schema.minLength ?? 0) && [...value].length <= (schema.maxLength ?? Infinity)
}

// ---------------------------------------------------------------------------------------------
// The property

async function fixturesFor(api: TestApp, headers: {authorization: string}): Promise<Fixtures> {
  const post = async (url: string, payload?: object) => {
    const response = await api.app.inject({method: 'POST', url, headers, ...(payload ? {payload} : {})})
    if (response.statusCode >= 300) throw new Error(`setup ${url}: ${response.statusCode} ${response.body}`)
    return response.json()
  }
  const character = await post('/api/characters', LUNA)
  const story = await post('/api/stories', {title: 'Property', characterIds: [character.id], generatePages: 3})
  const pageId = story.pages[0].id as string
  const page = await post(`/api/stories/${story.id}/pages/${pageId}/regenerate`)
  const job = await post(`/api/stories/${story.id}/illustrations`)
  return {characterId: character.id, storyId: story.id, pageId, jobId: job.id, illustrationId: page.illustrationId}
}

async function checkOperation(
  app: FastifyInstance,
  operation: Operation,
  context: {
    /** The server's error log lines, for the report of a 5xx. */
    errors: string[]
    schemas: SchemaArbitraries
    fixtures: Fixtures
    headers: {authorization: string}
    validatorFor: (schema: Schema) => ValidateFunction
  },
): Promise<void> {
  const name = `${operation.method} ${operation.path}`
  const property = fc.asyncProperty(requestArbitrary(operation, context.schemas, context.fixtures), async (request) => {
    const json = request.payload !== undefined
    const response = await app.inject({
      method: operation.method as 'GET',
      url: request.url,
      remoteAddress: request.remoteAddress,
      headers: {...(request.anonymous ? {} : context.headers), ...(json ? {'content-type': request.contentType} : {})},
      ...(json ? {payload: JSON.stringify(request.payload)} : {}),
    })
    const status = String(response.statusCode)
    const seen = {
      status: response.statusCode,
      body: response.body.slice(0, 300),
      ...(response.statusCode >= 500 ? {log: context.errors.at(-1)?.slice(0, 1500)} : {}),
    }
    expect(response.statusCode, `never a 5xx: ${JSON.stringify(seen)}`).toBeLessThan(500)
    const documented = operation.responses[status] ?? operation.responses.default
    expect(documented, `status ${status} is documented: ${JSON.stringify(seen)}`).toBeDefined()
    if (request.anonymous && operation.secured) expect(response.statusCode, 'anonymous: 401').toBe(401)
    const local = request.remoteAddress === '127.0.0.1'
    if (!request.valid && !(request.anonymous && operation.secured) && local)
      expect(response.statusCode, `an invalid request is refused: ${JSON.stringify(seen)}`).toBe(
        request.contentType === 'application/json' ? 400 : 415,
      )
    if (request.valid && response.statusCode === 400)
      expect(response.json().error.message, 'a valid request passes the schemas').not.toMatch(
        /^Invalid request: (body|querystring|params)/,
      )
    checkResponseBody(response, documented?.content, context.validatorFor, seen)
  })
  const heavy = HEAVY.test(operation.path)
  const result = await fc.check(property, {
    numRuns: heavy ? HEAVY_RUNS : RUNS,
    includeErrorInReport: true,
    ...(SEED === undefined ? {} : {seed: SEED}),
  })
  if (result.failed) throw new Error(`${name}:\n${fc.defaultReportMessage(result)}`)
}

function checkResponseBody(
  response: {statusCode: number; headers: Record<string, unknown>; body: string; rawPayload: Buffer},
  content: Record<string, {schema?: Schema}> | undefined,
  validatorFor: (schema: Schema) => ValidateFunction,
  seen: object,
): void {
  if (!content) {
    expect(response.rawPayload.length, `no body where the document has none: ${JSON.stringify(seen)}`).toBe(0)
    return
  }
  const mediaType = String(response.headers['content-type']).split(';')[0]?.trim() ?? ''
  expect(Object.keys(content), `media type ${mediaType} is documented`).toContain(mediaType)
  const schema = content[mediaType]?.schema
  if (mediaType !== 'application/json' || !schema) return
  const validate = validatorFor(schema)
  const body = JSON.parse(response.body) as unknown
  expect(validate(body) ? [] : validate.errors, `the body matches its schema: ${JSON.stringify(seen)}`).toEqual([])
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`requests generated from /openapi.json (${dialect})`, () => {
    let api: TestApp
    /** The same app, logging its errors here: a 5xx is reported with its cause. */
    let logged: FastifyInstance
    const errors: string[] = []
    beforeAll(async () => {
      api = await createTestApp(
        dialect === 'postgres'
          ? {
              env: {
                DATABASE_URL: await createDatabase(inject('postgresUrl'), `prop_${randomUUID().replaceAll('-', '')}`),
              },
            }
          : {},
      )
      logged = await buildApp({
        context: api.context,
        logger: pino({level: 'error'}, {write: (line: string) => errors.push(line)}),
      })
    })
    afterAll(async () => {
      await logged?.close()
      await api?.close()
    })

    it(
      'get documented statuses, never a 5xx, and bodies their schemas accept',
      {timeout: Math.max(120_000, RUNS * 3_000)},
      async () => {
        const document = (await api.app.inject({method: 'GET', url: '/openapi.json'})).json() as OpenApiDocument
        const {headers} = await api.register('property')
        const context = {
          errors,
          schemas: new SchemaArbitraries(document.components.schemas),
          fixtures: await fixturesFor(api, headers),
          headers,
          validatorFor: responseValidators(document),
        }
        const operations = operationsOf(document)
        expect(operations.length).toBeGreaterThan(20)
        const failures: string[] = []
        for (const operation of operations) {
          await checkOperation(logged, operation, context).catch((error: Error) => failures.push(error.message))
        }
        expect(failures, failures.join('\n\n')).toEqual([])
      },
    )
  })
}
