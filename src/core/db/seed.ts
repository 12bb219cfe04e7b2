// Demo data: a user, two characters and a story with pages. Fixed ids make it idempotent:
// seeding twice inserts nothing the second time, and never touches other data.
import type {Kysely} from 'kysely'
import {hashPassword} from '../auth/password.js'
import type {Database} from './types.js'

export const DEMO_EMAIL = 'demo@storybook.local'
export const DEMO_PASSWORD = 'storybook-demo'

const IDS = {
  user: '00000000-0000-4000-8000-000000000001',
  luna: '00000000-0000-4000-8000-000000000101',
  pip: '00000000-0000-4000-8000-000000000102',
  story: '00000000-0000-4000-8000-000000000201',
}

const PAGES = [
  'Luna the little fox looked up at the sky. "The moon is missing!" she gasped.',
  'Pip the robot whirred his gears. "Then we shall find it," he said, and his lights blinked blue.',
  'They followed a trail of silver stardust over the hill and across the sleepy river.',
  'Behind the tallest pine, the moon was hiding, shy and round. "Come home," Luna whispered.',
  'The moon smiled and rose into the sky, and the whole forest glowed goodnight.',
]

export interface SeedResult {
  email: string
  /** Rows inserted by this run, per table; all zero when the demo data was already there. */
  inserted: Record<'users' | 'characters' | 'stories' | 'storyCharacters' | 'pages', number>
}

export async function seedDemoData(db: Kysely<Database>, now: () => Date = () => new Date()): Promise<SeedResult> {
  const at = now().toISOString()
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  return db.transaction().execute(async (trx) => {
    const count = (result: Array<{numInsertedOrUpdatedRows?: bigint}>) =>
      result.reduce((sum, row) => sum + Number(row.numInsertedOrUpdatedRows ?? 0n), 0)
    const users = await trx
      .insertInto('users')
      .values({
        id: IDS.user,
        email: DEMO_EMAIL,
        display_name: 'Demo Family',
        password_hash: passwordHash,
        created_at: at,
        updated_at: at,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    const characters = await trx
      .insertInto('characters')
      .values([
        {
          id: IDS.luna,
          user_id: IDS.user,
          name: 'Luna',
          description: 'A curious little fox who loves the night sky.',
          traits: JSON.stringify({
            ageGroup: 'child',
            species: 'fox',
            hair: 'orange',
            clothing: 'scarf',
            personality: ['curious', 'kind'],
            favouriteThings: ['stars'],
          }),
          created_at: at,
          updated_at: at,
        },
        {
          id: IDS.pip,
          user_id: IDS.user,
          name: 'Pip',
          description: 'A brave tin robot with blinking blue lights.',
          traits: JSON.stringify({
            ageGroup: 'child',
            species: 'robot',
            hair: 'none',
            clothing: 'cape',
            personality: ['brave', 'funny'],
            favouriteThings: ['gears'],
          }),
          created_at: at,
          updated_at: at,
        },
      ])
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    const stories = await trx
      .insertInto('stories')
      .values({
        id: IDS.story,
        user_id: IDS.user,
        title: 'Luna and Pip Find the Moon',
        theme: 'friendship',
        target_age: '3-5',
        status: 'draft',
        created_at: at,
        updated_at: at,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    const storyCharacters = await trx
      .insertInto('story_characters')
      .values([
        {story_id: IDS.story, character_id: IDS.luna, position: 0},
        {story_id: IDS.story, character_id: IDS.pip, position: 1},
      ])
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    const pages = await trx
      .insertInto('pages')
      .values(
        PAGES.map((text, position) => ({
          id: `00000000-0000-4000-8000-0000000003${String(position).padStart(2, '0')}`,
          story_id: IDS.story,
          position,
          text,
          illustration_id: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    return {
      email: DEMO_EMAIL,
      inserted: {
        users: count(users),
        characters: count(characters),
        stories: count(stories),
        storyCharacters: count(storyCharacters),
        pages: count(pages),
      },
    }
  })
}
