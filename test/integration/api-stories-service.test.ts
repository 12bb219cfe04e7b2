// The stories service behind the routes, through app.inject on SQLite and PostgreSQL: the PDF
// export reads its pictures in one query and draws its cover with the injected provider,
// app.close() ends every resource the app holds, and the story read cache neither keeps a version
// a write replaced nor sends what the response schema would not.
import {randomUUID} from 'node:crypto'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {FastifyInstance} from 'fastify'
import {
  SelectQueryNode,
  TableNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'
import {afterEach, describe, expect, inject, it, vi} from 'vitest'
import {MIGRATIONS} from '../../migrations/index.js'
import {openDatabase} from '../../src/core/db/connection.js'
import type {DatabaseHandle} from '../../src/core/db/handle.js'
import type {AppConfig} from '../../src/core/config/load.js'
import {runMigrations} from '../../src/core/db/migrator.js'
import {buildApp} from '../../src/server/app.js'
import type {ServerContext} from '../../src/server/context.js'
import {createServerContext, type ContextOptions} from '../../src/server/create-context.js'
import {BuiltinIllustrationProvider} from '../../src/server/generation/builtin-illustrations.js'
import type {IllustrationProvider, IllustrationRequest} from '../../src/server/generation/types.js'
import {LUNA, testConfig} from '../helpers/api.js'
import {createDatabase} from '../helpers/postgres.js'

/** Counts the SELECTs that read each table, as the database sees them. */
class SelectCounter implements KyselyPlugin {
  readonly counts = new Map<string, number>()

  transformQuery({node}: PluginTransformQueryArgs): RootOperationNode {
    if (SelectQueryNode.is(node)) {
      for (const from of node.from?.froms ?? []) {
        if (TableNode.is(from)) {
          const table = from.table.identifier.name
          this.counts.set(table, (this.counts.get(table) ?? 0) + 1)
        }
      }
    }
    return node
  }

  async transformResult({result}: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result
  }

  reset(): void {
    this.counts.clear()
  }
}

/** Holds the answer of the next SELECT from `pages` until opened: a read caught between its query and its store. */
class PagesReadGate implements KyselyPlugin {
  private next: {reached: () => void; opened: Promise<void>} | undefined
  private readonly held = new Map<unknown, {reached: () => void; opened: Promise<void>}>()

  /** The next read of `pages` waits for `open()`; `reached` resolves once it waits. */
  arm(): {reached: Promise<void>; open: () => void} {
    let open: () => void = () => {}
    let reached: () => void = () => {}
    const opened = new Promise<void>((resolve) => (open = resolve))
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve))
    this.next = {reached, opened}
    return {reached: reachedPromise, open}
  }

  transformQuery({node, queryId}: PluginTransformQueryArgs): RootOperationNode {
    const readsPages =
      SelectQueryNode.is(node) &&
      (node.from?.froms ?? []).some((from) => TableNode.is(from) && from.table.identifier.name === 'pages')
    if (this.next && readsPages) {
      this.held.set(queryId, this.next)
      this.next = undefined
    }
    return node
  }

  async transformResult({result, queryId}: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const gate = this.held.get(queryId)
    if (gate) {
      this.held.delete(queryId)
      gate.reached()
      await gate.opened
    }
    return result
  }
}

/** Fails with `what` when `promise` has not settled by the deadline, instead of hanging the test. */
async function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

interface ServiceApp {
  app: FastifyInstance
  context: ServerContext
  database: DatabaseHandle
  config: AppConfig
  selects: SelectCounter
  pagesGate: PagesReadGate
  headers: {authorization: string}
  close(): Promise<void>
}

const DIALECTS = ['sqlite', 'postgres'] as const

/** The real app on a fresh database of the dialect, its queries counted, with one registered user. */
async function serviceApp(
  dialect: (typeof DIALECTS)[number],
  options: Partial<Omit<ContextOptions, 'config' | 'database'>> = {},
): Promise<ServiceApp> {
  const root = await mkdtemp(join(tmpdir(), 'storybook-service-'))
  const env: Record<string, string> =
    dialect === 'postgres'
      ? {DATABASE_URL: await createDatabase(inject('postgresUrl'), `svc_${randomUUID().replaceAll('-', '')}`)}
      : {}
  const config = testConfig(root, env)
  const database = await openDatabase(config.database, {create: true})
  await runMigrations(database, MIGRATIONS)
  const selects = new SelectCounter()
  const pagesGate = new PagesReadGate()
  const db = database.db.withPlugin(selects).withPlugin(pagesGate)
  const context = createServerContext({
    config,
    database: {...database, db},
    ...options,
  })
  const app = await buildApp({context})
  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: {email: `service-${randomUUID()}@example.test`, password: 'correct horse battery', displayName: 'S'},
  })
  expect(registered.statusCode, registered.body).toBe(201)
  return {
    app,
    context,
    database,
    config,
    selects,
    pagesGate,
    headers: {authorization: `Bearer ${registered.json<{token: string}>().token}`},
    async close() {
      await app.close()
      await database.close()
      await rm(root, {recursive: true, force: true})
    },
  }
}

/** A story of `pages` pages with Luna in it, every page illustrated by the background job. */
async function illustratedStory(api: ServiceApp, pages: number): Promise<{id: string; title: string}> {
  const {app, headers} = api
  const character = await app.inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})
  expect(character.statusCode, character.body).toBe(201)
  const created = await app.inject({
    method: 'POST',
    url: '/api/stories',
    headers,
    payload: {title: 'Luna and the lantern', characterIds: [character.json().id], generatePages: pages},
  })
  expect(created.statusCode, created.body).toBe(201)
  const story = created.json<{id: string; title: string}>()
  const started = await app.inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers})
  expect(started.statusCode, started.body).toBe(202)
  await waitForJob(api, started.json<{id: string}>().id)
  return story
}

/** Polls the job until it has `status` (by default, until it succeeded); fails with its last state at the deadline. */
async function waitForJob(api: ServiceApp, jobId: string, status = 'succeeded'): Promise<void> {
  const deadline = Date.now() + 15_000
  let last = ''
  while (Date.now() < deadline) {
    const job = await api.app.inject({method: 'GET', url: `/api/jobs/${jobId}`, headers: api.headers})
    last = job.body
    const seen = job.json<{status: string}>().status
    if (seen === status) return
    if (seen === 'failed') throw new Error(`the illustration job failed: ${last}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`the illustration job was not ${status} within 15 s; last seen: ${last}`)
}

/** The built-in drawer, remembering what it was asked to draw. */
function recordingProvider(): IllustrationProvider & {requests: IllustrationRequest[]} {
  const builtin = new BuiltinIllustrationProvider()
  const requests: IllustrationRequest[] = []
  return {
    name: 'recording',
    requests,
    generate: (request) => {
      requests.push(request)
      return builtin.generate(request)
    },
  }
}

describe.each(DIALECTS)('the PDF export (%s)', (dialect) => {
  it("reads every page's picture in one query, not one per page", async () => {
    // Given a story of five pages, each with its picture
    const api = await serviceApp(dialect)
    try {
      const story = await illustratedStory(api, 5)

      // When it is exported
      api.selects.reset()
      const pdf = await api.app.inject({
        method: 'GET',
        url: `/api/stories/${story.id}/export.pdf`,
        headers: api.headers,
      })

      // Then the PDF comes, and the illustrations table was read once
      expect(pdf.statusCode, pdf.body).toBe(200)
      expect(pdf.headers['content-type']).toBe('application/pdf')
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
      expect(api.selects.counts.get('illustrations')).toBe(1)
    } finally {
      await api.close()
    }
  })

  it('draws the cover with the injected offline provider, not one of its own', async () => {
    // Given an app whose offline drawer records what it draws
    const offline = recordingProvider()
    const api = await serviceApp(dialect, {offlineIllustrations: offline})
    try {
      const story = await illustratedStory(api, 2)
      offline.requests.length = 0

      // When the story is exported
      const pdf = await api.app.inject({
        method: 'GET',
        url: `/api/stories/${story.id}/export.pdf`,
        headers: api.headers,
      })

      // Then the cover was asked of that drawer, with the title and the story's character
      expect(pdf.statusCode, pdf.body).toBe(200)
      expect(offline.requests).toEqual([
        expect.objectContaining({kind: 'page', text: story.title, seed: story.id, characters: [expect.anything()]}),
      ])
    } finally {
      await api.close()
    }
  })
})

/** A provider that draws nothing until the job is stopped: the job stays running. */
const neverDone: IllustrationProvider = {
  name: 'never-done',
  generate: (_request, signal) =>
    new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('stopped')))),
}

describe.each(DIALECTS)('closing the app (%s)', (dialect) => {
  afterEach(() => void vi.useRealTimers())

  it('stops a running job (recorded failed), clears its heartbeat timer, then destroys the database handle', async () => {
    // Given an app with a job under way (intervals counted: the heartbeat is one)
    vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']})
    const api = await serviceApp(dialect, {illustrations: neverDone})
    const check = await openDatabase(api.config.database, {create: false})
    try {
      const {headers, app} = api
      const story = (
        await app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Open', generatePages: 2}})
      ).json<{id: string}>()
      const job = (await app.inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers})).json<{
        id: string
      }>()
      await waitForJob(api, job.id, 'running')
      expect(vi.getTimerCount()).toBe(1)

      // When the app closes
      await app.close()

      // Then its database handle is destroyed, and the job was stopped and recorded before the handle closed
      await expect(api.database.db.selectFrom('users').select('id').execute()).rejects.toThrow(/destroyed/)
      expect(vi.getTimerCount()).toBe(0)
      const row = await check.db
        .selectFrom('generation_jobs')
        .select(['status', 'error'])
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow()
      // (stopped while it drew a picture, or between two)
      expect(row).toEqual({status: 'failed', error: expect.stringMatching(/^(stopped|The server is shutting down\.)$/)})
    } finally {
      await check.close()
      await api.close()
    }
  })
})

describe.each(DIALECTS)('the story read cache (%s)', (dialect) => {
  it('keeps no old version when a PATCH lands between the read and its store', async () => {
    const api = await serviceApp(dialect)
    try {
      const {app, headers} = api
      const story = (
        await app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Before', generatePages: 1}})
      ).json<{id: string}>()
      api.context.cache.invalidate('story') // nothing cached: the next GET reads the database
      const url = `/api/stories/${story.id}`

      // Given a GET that has read the story and not yet stored it
      const gate = api.pagesGate.arm()
      const reading = app.inject({method: 'GET', url, headers})
      await within(gate.reached, 'the GET reading the pages')

      // When a PATCH lands then, and only afterwards the GET stores what it read
      const patched = await app.inject({method: 'PATCH', url, headers, payload: {title: 'After'}})
      expect(patched.json()).toMatchObject({title: 'After'})
      gate.open()
      expect((await reading).json()).toMatchObject({title: 'Before'}) // it began before the PATCH

      // Then the next reader sees the PATCH, not the version it replaced
      expect((await app.inject({method: 'GET', url, headers})).json()).toMatchObject({title: 'After'})
    } finally {
      await api.close()
    }
  })

  it('answers from the cache with the same document the response schema gives a fresh answer', async () => {
    const api = await serviceApp(dialect)
    try {
      const {app, headers} = api
      const story = (
        await app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Same', generatePages: 2}})
      ).json<{id: string}>()
      const url = `/api/stories/${story.id}`
      // A fresh answer: the PATCH's, serialized by the route's schema (and cached on its way)
      const fresh = await app.inject({method: 'PATCH', url, headers, payload: {theme: 'owls'}})
      const cached = await app.inject({method: 'GET', url, headers})
      const again = await app.inject({method: 'GET', url, headers})

      expect(fresh.statusCode).toBe(200)
      expect(cached.body).toBe(fresh.body)
      expect(again.body).toBe(fresh.body)
      expect(cached.headers['content-type']).toBe(fresh.headers['content-type'])
      expect(Object.keys(cached.json<Record<string, unknown>>()).sort()).toEqual(
        [
          'characterIds',
          'createdAt',
          'id',
          'pageCount',
          'pages',
          'status',
          'targetAge',
          'theme',
          'title',
          'updatedAt',
        ].sort(),
      )
    } finally {
      await api.close()
    }
  })
})
