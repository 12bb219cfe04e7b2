// Generated illustrations: of a character, or of a story page (pages point at their illustration).
import type {Kysely} from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('illustrations')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('story_id', 'text', (column) => column.references('stories.id').onDelete('cascade'))
    .addColumn('character_id', 'text', (column) => column.references('characters.id').onDelete('cascade'))
    .addColumn('provider', 'text', (column) => column.notNull())
    .addColumn('prompt', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('mime_type', 'text', (column) => column.notNull())
    .addColumn('content', 'text', (column) => column.notNull())
    .addColumn('width', 'integer', (column) => column.notNull())
    .addColumn('height', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('illustrations_story_idx').on('illustrations').column('story_id').execute()
  await db.schema.createIndex('illustrations_character_idx').on('illustrations').column('character_id').execute()
  await db.schema.createIndex('illustrations_user_idx').on('illustrations').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('illustrations').execute()
}
