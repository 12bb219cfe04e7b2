// The characters service on its own, on a real migrated SQLite database: catalog traits, portraits
// from the injected offline drawer drawn once per version, and stories' cached reads dropped on edits.
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
import type {IllustrationProvider, IllustrationRequest} from '../../../src/server/generation/types.js'
import {ReadCache} from '../../../src/server/read-cache.js'
import {createUser} from '../../../src/server/repositories/accounts.js'
import {CharactersService} from '../../../src/server/services/characters.js'

const NOW = new Date('2026-03-01T10:00:00.000Z')
const LUNA = {
  name: 'Luna',
  description: 'A curious fox',
  traits: {ageGroup: 'child', species: 'fox', personality: ['curious'], favouriteThings: ['stars']},
}

let root: string
let database: DatabaseHandle
let userId: string
let cache: ReadCache
let portraits: IllustrationProvider & {requests: IllustrationRequest[]}
let service: CharactersService

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'storybook-characters-service-'))
  database = await openDatabase({dialect: 'sqlite', file: join(root, 'storybook.db'), url: ''}, {create: true})
  await runMigrations(database, MIGRATIONS)
  userId = (await createUser(database.db, {email: 'a@example.test', passwordHash: 'x', displayName: 'A'}, NOW)).id
  cache = new ReadCache()
  const builtin = new BuiltinIllustrationProvider()
  const requests: IllustrationRequest[] = []
  portraits = {name: 'recording', requests, generate: (request) => (requests.push(request), builtin.generate(request))}
  service = new CharactersService({db: database.db, illustrations: builtin, portraits, cache, clock: () => NOW})
})

afterEach(async () => {
  await database.close()
  await rm(root, {recursive: true, force: true})
})

describe('CharactersService', () => {
  it('refuses traits outside the catalog, naming each problem and where the catalog is', async () => {
    const refused = await service.create(userId, {...LUNA, traits: {species: 'dragon-king'}}).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(StorybookError)
    expect((refused as StorybookError).next).toEqual(['GET /api/catalog/traits'])
    expect((await service.list(userId, {limit: 10, offset: 0})).total).toBe(0)
  })

  it('draws a portrait with the injected offline drawer once per version of the character', async () => {
    const luna = await service.create(userId, LUNA)
    const first = await service.portrait(userId, luna.id)
    expect(await service.portrait(userId, luna.id)).toBe(first)
    expect(portraits.requests).toHaveLength(1)
    expect(portraits.requests[0]).toMatchObject({kind: 'character', seed: luna.id, text: 'A curious fox'})
  })

  it("drops every story's cached read, even one still loading, when a character changes", async () => {
    const luna = await service.create(userId, LUNA)
    cache.set('story:s1:u', 'cached story')
    let finish: (value: string) => void = () => {}
    const loading = cache.getOrLoad('story:s2:u', () => new Promise<string>((resolve) => (finish = resolve)))

    await service.update(userId, luna.id, {name: 'Luna the Brave'})
    finish('story read before the edit')
    await loading

    expect(cache.get('story:s1:u')).toBeUndefined()
    expect(cache.get('story:s2:u')).toBeUndefined()
  })
})
