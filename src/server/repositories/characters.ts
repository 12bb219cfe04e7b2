// Characters, always scoped to their owner: another user's id finds nothing.
import {sql, type Kysely} from 'kysely'
import {newId} from '../../core/db/ids.js'
import {rowInserter} from '../../core/db/row-inserter.js'
import type {Character, Database} from '../../core/db/types.js'
import type {Traits} from '../catalog.js'

export interface CharacterInput {
  name: string
  description: string
  traits: Traits
}

export interface ListOptions {
  limit: number
  offset: number
  query?: string | undefined
}

export async function listCharacters(
  db: Kysely<Database>,
  userId: string,
  options: ListOptions,
): Promise<{items: Character[]; total: number}> {
  let base = db.selectFrom('characters').where('user_id', '=', userId)
  if (options.query) base = base.where(containsText('name', options.query))
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(options.limit).offset(options.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return {items, total: Number(count.total)}
}

/** Case-insensitive "contains", the same on SQLite and PostgreSQL (LIKE differs in case and escaping). */
export function containsText(column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[%_\\]/g, (character) => `\\${character}`)}%`
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`
}

export async function getCharacter(db: Kysely<Database>, userId: string, id: string): Promise<Character | undefined> {
  return db.selectFrom('characters').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
}

/** The user's characters with these ids, in the order of `ids` (missing and foreign ones left out). */
export async function getCharacters(db: Kysely<Database>, userId: string, ids: string[]): Promise<Character[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('characters')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .execute()
  const byId = new Map(rows.map((row) => [row.id, row]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

export async function createCharacter(
  db: Kysely<Database>,
  userId: string,
  input: CharacterInput,
  now: Date,
): Promise<Character> {
  const character: Character = {
    id: newId(),
    user_id: userId,
    name: input.name,
    description: input.description,
    traits: JSON.stringify(input.traits),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }
  await insertCharacter(db, character)
  return character
}

const insertCharacter = rowInserter('characters', [
  'id',
  'user_id',
  'name',
  'description',
  'traits',
  'created_at',
  'updated_at',
])

export async function updateCharacter(
  db: Kysely<Database>,
  userId: string,
  id: string,
  changes: Partial<CharacterInput>,
  now: Date,
): Promise<Character | undefined> {
  const result = await db
    .updateTable('characters')
    .set({
      ...(changes.name === undefined ? {} : {name: changes.name}),
      ...(changes.description === undefined ? {} : {description: changes.description}),
      ...(changes.traits === undefined ? {} : {traits: JSON.stringify(changes.traits)}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 0 ? undefined : getCharacter(db, userId, id)
}

export async function deleteCharacter(db: Kysely<Database>, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('characters').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
