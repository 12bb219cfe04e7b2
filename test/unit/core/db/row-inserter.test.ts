import {existsSync} from 'node:fs'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {MIGRATIONS} from '../../../../migrations/index.js'
import type {DatabaseHandle} from '../../../../src/core/db/handle.js'
import {runMigrations} from '../../../../src/core/db/migrator.js'
import {rowInserter} from '../../../../src/core/db/row-inserter.js'
import {openSqlite} from '../../../../src/core/db/sqlite.js'

let handle: DatabaseHandle
const insertCharacter = rowInserter('characters', [
  'id',
  'user_id',
  'name',
  'description',
  'traits',
  'created_at',
  'updated_at',
])
const at = '2026-11-22T08:00:00.000Z'
const character = (id: string, name: string) => ({
  id,
  user_id: 'u1',
  name,
  description: `about ${name}`,
  traits: '{}',
  created_at: at,
  updated_at: at,
})

beforeEach(async () => {
  handle = openSqlite(':memory:', {create: true})
  await runMigrations(handle, MIGRATIONS)
  await handle.db
    .insertInto('users')
    .values({
      id: 'u1',
      email: 'ann@example.test',
      display_name: 'Ann',
      password_hash: 'x',
      created_at: at,
      updated_at: at,
    })
    .execute()
})

afterEach(async () => {
  await handle.close()
})

describe('an in-memory database', () => {
  it('migrates without a lock file in the working folder (nothing else can open it)', () => {
    expect(existsSync(':memory:.migrate-lock')).toBe(false)
  })
})

describe('rowInserter', () => {
  it('inserts rows with the values in their columns, compiled once and run again', async () => {
    await Promise.all([
      insertCharacter(handle.db, character('c1', 'Luna')),
      insertCharacter(handle.db, character('c2', 'Pip')),
    ])
    await handle.db.transaction().execute((trx) => insertCharacter(trx, character('c3', 'Moss')))
    const rows = await handle.db.selectFrom('characters').select(['id', 'name', 'description']).orderBy('id').execute()
    expect(rows).toEqual([
      {id: 'c1', name: 'Luna', description: 'about Luna'},
      {id: 'c2', name: 'Pip', description: 'about Pip'},
      {id: 'c3', name: 'Moss', description: 'about Moss'},
    ])
  })

  it('leaves a column that is undefined to its default, as kysely does, instead of binding NULL', async () => {
    await insertCharacter(handle.db, {...character('c4', 'Fern'), description: undefined} as never)
    expect(
      await handle.db.selectFrom('characters').select('description').where('id', '=', 'c4').executeTakeFirst(),
    ).toEqual({description: ''})
  })
})
