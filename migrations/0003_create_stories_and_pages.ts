// Stories, the characters in each story, and their ordered pages.
import type {Kysely} from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stories')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('theme', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('target_age', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull().defaultTo('draft'))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('stories_user_updated_idx').on('stories').columns(['user_id', 'updated_at']).execute()

  await db.schema
    .createTable('story_characters')
    .addColumn('story_id', 'text', (column) => column.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('character_id', 'text', (column) => column.notNull().references('characters.id').onDelete('cascade'))
    .addColumn('position', 'integer', (column) => column.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('story_characters_pk', ['story_id', 'character_id'])
    .execute()
  // "Which stories is this character in?" and cascades from characters.
  await db.schema.createIndex('story_characters_character_idx').on('story_characters').column('character_id').execute()

  await db.schema
    .createTable('pages')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('story_id', 'text', (column) => column.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('position', 'integer', (column) => column.notNull())
    .addColumn('text', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('illustration_id', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute()
  // Not unique: reordering rewrites positions one row at a time.
  await db.schema.createIndex('pages_story_position_idx').on('pages').columns(['story_id', 'position']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pages').execute()
  await db.schema.dropTable('story_characters').execute()
  await db.schema.dropTable('stories').execute()
}
