// Stories, their characters and their ordered pages, always scoped to the owner.
import type {Kysely, Transaction} from 'kysely'
import {newId} from '../../core/db/ids.js'
import type {Database, Page, Story, StoryStatus} from '../../core/db/types.js'
import {containsText, type ListOptions} from './characters.js'

export interface StoryInput {
  title: string
  theme: string
  targetAge: string
  characterIds: string[]
}

export interface StoryWithCharacters extends Story {
  characterIds: string[]
  pageCount: number
}

async function characterIdsOf(db: Kysely<Database>, storyIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(storyIds.map((id) => [id, []]))
  if (storyIds.length === 0) return map
  const rows = await db
    .selectFrom('story_characters')
    .select(['story_id', 'character_id'])
    .where('story_id', 'in', storyIds)
    .orderBy('position')
    .execute()
  for (const row of rows) map.get(row.story_id)?.push(row.character_id)
  return map
}

async function pageCountsOf(db: Kysely<Database>, storyIds: string[]): Promise<Map<string, number>> {
  if (storyIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('pages')
    .select((eb) => ['story_id', eb.fn.countAll<number>().as('count')])
    .where('story_id', 'in', storyIds)
    .groupBy('story_id')
    .execute()
  return new Map(rows.map((row) => [row.story_id, Number(row.count)]))
}

async function decorate(db: Kysely<Database>, stories: Story[]): Promise<StoryWithCharacters[]> {
  const ids = stories.map((story) => story.id)
  const [characters, counts] = await Promise.all([characterIdsOf(db, ids), pageCountsOf(db, ids)])
  return stories.map((story) => ({
    ...story,
    characterIds: characters.get(story.id) ?? [],
    pageCount: counts.get(story.id) ?? 0,
  }))
}

export async function listStories(
  db: Kysely<Database>,
  userId: string,
  options: ListOptions & {status?: StoryStatus | undefined},
): Promise<{items: StoryWithCharacters[]; total: number}> {
  let base = db.selectFrom('stories').where('user_id', '=', userId)
  if (options.query) base = base.where(containsText('title', options.query))
  if (options.status) base = base.where('status', '=', options.status)
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(options.limit).offset(options.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return {items: await decorate(db, items), total: Number(count.total)}
}

export async function getStory(
  db: Kysely<Database>,
  userId: string,
  id: string,
): Promise<StoryWithCharacters | undefined> {
  const story = await db
    .selectFrom('stories')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return story ? (await decorate(db, [story]))[0] : undefined
}

export async function listPages(db: Kysely<Database>, storyId: string): Promise<Page[]> {
  return db
    .selectFrom('pages')
    .selectAll()
    .where('story_id', '=', storyId)
    .orderBy('position')
    .orderBy('created_at')
    .execute()
}

async function setCharacters(trx: Transaction<Database>, storyId: string, characterIds: string[]): Promise<void> {
  await trx.deleteFrom('story_characters').where('story_id', '=', storyId).execute()
  if (characterIds.length > 0) {
    await trx
      .insertInto('story_characters')
      .values(characterIds.map((characterId, position) => ({story_id: storyId, character_id: characterId, position})))
      .execute()
  }
}

export async function createStory(
  db: Kysely<Database>,
  userId: string,
  input: StoryInput,
  pages: string[],
  now: Date,
): Promise<StoryWithCharacters> {
  const at = now.toISOString()
  const story: Story = {
    id: newId(),
    user_id: userId,
    title: input.title,
    theme: input.theme,
    target_age: input.targetAge,
    status: 'draft',
    created_at: at,
    updated_at: at,
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('stories').values(story).execute()
    await setCharacters(trx, story.id, input.characterIds)
    if (pages.length > 0) {
      await trx
        .insertInto('pages')
        .values(
          pages.map((text, position) => ({
            id: newId(),
            story_id: story.id,
            position,
            text,
            illustration_id: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute()
    }
  })
  return {...story, characterIds: input.characterIds, pageCount: pages.length}
}

export async function updateStory(
  db: Kysely<Database>,
  userId: string,
  id: string,
  changes: Partial<StoryInput> & {status?: StoryStatus},
  now: Date,
): Promise<StoryWithCharacters | undefined> {
  const found = await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('stories')
      .set({
        ...(changes.title === undefined ? {} : {title: changes.title}),
        ...(changes.theme === undefined ? {} : {theme: changes.theme}),
        ...(changes.targetAge === undefined ? {} : {target_age: changes.targetAge}),
        ...(changes.status === undefined ? {} : {status: changes.status}),
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) return false
    if (changes.characterIds) await setCharacters(trx, id, changes.characterIds)
    return true
  })
  return found ? getStory(db, userId, id) : undefined
}

export async function touchStory(
  db: Kysely<Database> | Transaction<Database>,
  storyId: string,
  now: Date,
): Promise<void> {
  await db.updateTable('stories').set({updated_at: now.toISOString()}).where('id', '=', storyId).execute()
}

export async function deleteStory(db: Kysely<Database>, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('stories').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function addPage(
  db: Kysely<Database>,
  storyId: string,
  text: string,
  position: number | undefined,
  now: Date,
): Promise<Page> {
  return db.transaction().execute(async (trx) => {
    const pages = await trx
      .selectFrom('pages')
      .select(['id', 'position'])
      .where('story_id', '=', storyId)
      .orderBy('position')
      .execute()
    const at = Math.min(Math.max(position ?? pages.length, 0), pages.length)
    // Make room: shift the pages at and after the new position by one.
    for (const page of pages.slice(at).reverse()) {
      await trx
        .updateTable('pages')
        .set({position: page.position + 1})
        .where('id', '=', page.id)
        .execute()
    }
    const page: Page = {
      id: newId(),
      story_id: storyId,
      position: at,
      text,
      illustration_id: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    }
    await trx.insertInto('pages').values(page).execute()
    await touchStory(trx, storyId, now)
    return page
  })
}

export async function getPage(db: Kysely<Database>, storyId: string, pageId: string): Promise<Page | undefined> {
  return db.selectFrom('pages').selectAll().where('id', '=', pageId).where('story_id', '=', storyId).executeTakeFirst()
}

export async function updatePage(
  db: Kysely<Database>,
  storyId: string,
  pageId: string,
  changes: {text?: string; illustrationId?: string | null},
  now: Date,
): Promise<Page | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('pages')
      .select('illustration_id')
      .where('id', '=', pageId)
      .where('story_id', '=', storyId)
      .executeTakeFirst()
    if (!before) return undefined
    await trx
      .updateTable('pages')
      .set({
        ...(changes.text === undefined ? {} : {text: changes.text}),
        ...(changes.illustrationId === undefined ? {} : {illustration_id: changes.illustrationId}),
        updated_at: now.toISOString(),
      })
      .where('id', '=', pageId)
      .where('story_id', '=', storyId)
      .execute()
    if (
      changes.illustrationId !== undefined &&
      before.illustration_id &&
      before.illustration_id !== changes.illustrationId
    ) {
      await dropUnusedIllustration(trx, before.illustration_id)
    }
    await touchStory(trx, storyId, now)
    return trx
      .selectFrom('pages')
      .selectAll()
      .where('id', '=', pageId)
      .where('story_id', '=', storyId)
      .executeTakeFirst()
  })
}

/**
 * A page's old picture, once no page shows it: regenerating a page many times must not keep
 * every picture it ever had. Portraits of characters (no story) are never touched here.
 */
async function dropUnusedIllustration(db: Kysely<Database>, illustrationId: string): Promise<void> {
  await db
    .deleteFrom('illustrations')
    .where('id', '=', illustrationId)
    .where('story_id', 'is not', null)
    .where(({not, exists, selectFrom}) =>
      not(exists(selectFrom('pages').select('id').where('illustration_id', '=', illustrationId))),
    )
    .execute()
}

export async function deletePage(db: Kysely<Database>, storyId: string, pageId: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const page = await trx
      .selectFrom('pages')
      .select('illustration_id')
      .where('id', '=', pageId)
      .where('story_id', '=', storyId)
      .executeTakeFirst()
    if (!page) return false
    await trx.deleteFrom('pages').where('id', '=', pageId).where('story_id', '=', storyId).execute()
    if (page.illustration_id) await dropUnusedIllustration(trx, page.illustration_id)
    const rest = await trx
      .selectFrom('pages')
      .select('id')
      .where('story_id', '=', storyId)
      .orderBy('position')
      .execute()
    for (const [position, page] of rest.entries())
      await trx.updateTable('pages').set({position}).where('id', '=', page.id).execute()
    await touchStory(trx, storyId, now)
    return true
  })
}

/** Puts the pages in the given order; `pageIds` must be exactly the story's pages. */
export async function reorderPages(
  db: Kysely<Database>,
  storyId: string,
  pageIds: string[],
  now: Date,
): Promise<Page[] | 'mismatch'> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('pages').select('id').where('story_id', '=', storyId).execute()
    const known = new Set(current.map((page) => page.id))
    if (
      pageIds.length !== known.size ||
      new Set(pageIds).size !== pageIds.length ||
      pageIds.some((id) => !known.has(id))
    )
      return 'mismatch'
    for (const [position, id] of pageIds.entries()) {
      await trx.updateTable('pages').set({position, updated_at: now.toISOString()}).where('id', '=', id).execute()
    }
    await touchStory(trx, storyId, now)
    return trx.selectFrom('pages').selectAll().where('story_id', '=', storyId).orderBy('position').execute()
  })
}
