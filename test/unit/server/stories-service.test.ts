// The stories service on its own: a real migrated SQLite database, with the job runner, the PDF
// renderer and the clock passed in, so each rule is seen without HTTP.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {MIGRATIONS} from '../../../migrations/index.js'
import {openDatabase} from '../../../src/core/db/connection.js'
import type {DatabaseHandle} from '../../../src/core/db/handle.js'
import {runMigrations} from '../../../src/core/db/migrator.js'
import {StorybookError} from '../../../src/core/errors.js'
import {BuiltinIllustrationProvider} from '../../../src/server/generation/builtin-illustrations.js'
import {BuiltinStoryTextProvider} from '../../../src/server/generation/builtin-story-text.js'
import {JobRunner} from '../../../src/server/generation/jobs.js'
import type {PdfStory} from '../../../src/server/pdf.js'
import {ReadCache} from '../../../src/server/read-cache.js'
import {createUser} from '../../../src/server/repositories/accounts.js'
import {MAX_PAGES, StoriesService} from '../../../src/server/services/stories.js'

const NOW = new Date('2026-03-01T10:00:00.000Z')

let root: string
let database: DatabaseHandle
let userId: string
let started: string[]
let rendered: PdfStory[]
let service: StoriesService

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'storybook-stories-service-'))
  database = await openDatabase({dialect: 'sqlite', file: join(root, 'storybook.db'), url: ''}, {create: true})
  await runMigrations(database, MIGRATIONS)
  userId = (await createUser(database.db, {email: 'a@example.test', passwordHash: 'x', displayName: 'A'}, NOW)).id
  started = []
  rendered = []
  // The real runner's critical section; its start is recorded, so no picture is drawn in the background.
  const runner = new JobRunner({db: database.db, provider: new BuiltinIllustrationProvider(), clock: () => NOW})
  service = new StoriesService({
    db: database.db,
    storyText: new BuiltinStoryTextProvider(),
    illustrations: new BuiltinIllustrationProvider(),
    coverIllustrations: new BuiltinIllustrationProvider(),
    jobs: {
      exclusive: (storyId, create) => runner.exclusive(storyId, create),
      start: async (job) => void started.push(job.id),
    },
    pdf: {render: async (story) => (rendered.push(story), Buffer.from('%PDF-'))},
    cache: new ReadCache(),
    clock: () => NOW,
  })
})

afterEach(async () => {
  await database.close()
  await rm(root, {recursive: true, force: true})
})

const story = (overrides: Partial<Parameters<StoriesService['create']>[1]> = {}) =>
  service.create(userId, {title: 'Owls', theme: '', targetAge: '3-5', characterIds: [], generatePages: 0, ...overrides})

async function refusal(work: Promise<unknown>): Promise<StorybookError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(StorybookError)
  return error as StorybookError
}

describe('StoriesService', () => {
  it('refuses a target age that runs backwards, saying how to write it, on create and on update', async () => {
    const created = await refusal(story({targetAge: '7-3'}))
    expect({code: created.code, message: created.message}).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'targetAge 7-3 runs backwards; write it as 3-7.',
    })
    expect((await service.list(userId, {limit: 10, offset: 0})).total).toBe(0)

    const {story: kept} = await story()
    expect((await refusal(service.update(userId, kept.id, {targetAge: '9-4'}))).code).toBe('VALIDATION_FAILED')
    expect((await service.detail(userId, kept.id)).story.target_age).toBe('3-5')
  })

  it(`refuses page ${MAX_PAGES + 1} with CONFLICT`, async () => {
    const {story: full} = await story()
    for (let page = 0; page < MAX_PAGES; page++) await service.addPage(userId, full.id, {text: `page ${page}`})
    const refused = await refusal(service.addPage(userId, full.id, {text: 'one too many'}))
    expect({code: refused.code, message: refused.message}).toEqual({
      code: 'CONFLICT',
      message: `A story has at most ${MAX_PAGES} pages.`,
    })
    expect((await service.detail(userId, full.id)).pages).toHaveLength(MAX_PAGES)
  })

  it('starts one illustration job per story, however many ask at once', async () => {
    const {story: owls} = await story({generatePages: 3})
    const answers = await Promise.all([1, 2, 3].map(() => service.illustrateAll(userId, owls.id)))
    expect(new Set(answers.map((answer) => answer.job.id)).size).toBe(1)
    expect(answers.filter((answer) => answer.created)).toHaveLength(1)
    expect(started).toEqual([answers[0]?.job.id])
    expect((await service.detail(userId, owls.id)).story.status).toBe('generating')
  })

  it('refuses to illustrate a story without pages, naming the request that adds one', async () => {
    const {story: empty} = await story()
    const refused = await refusal(service.illustrateAll(userId, empty.id))
    expect({code: refused.code, next: refused.next}).toEqual({
      code: 'CONFLICT',
      next: [`POST /api/stories/${empty.id}/pages`],
    })
    expect(started).toEqual([])
  })

  it("exports the pages in order with their pictures, and another user's story as not found", async () => {
    const {story: owls, pages} = await story({generatePages: 2})
    const first = pages[0]
    if (!first) throw new Error('the story has no pages')
    await service.regeneratePage(userId, owls.id, first.id)
    const {fileNames} = await service.exportPdf(userId, owls.id)
    expect(fileNames).toEqual({ascii: 'Owls.pdf', unicode: 'Owls.pdf'})
    expect(rendered[0]?.pages.map((page) => page.illustration?.mimeType)).toEqual(['image/svg+xml', undefined])
    expect(rendered[0]?.cover?.mimeType).toBe('image/svg+xml')

    const other = await createUser(database.db, {email: 'b@example.test', passwordHash: 'x', displayName: 'B'}, NOW)
    expect((await refusal(service.exportPdf(other.id, owls.id))).code).toBe('NOT_FOUND')
  })
})
