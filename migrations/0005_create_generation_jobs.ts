// Background generation jobs (e.g. every illustration of a story) with progress and a heartbeat,
// so that jobs of a crashed server can be found and failed instead of staying "running".
import type {Kysely} from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('generation_jobs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('story_id', 'text', (column) => column.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull().defaultTo('queued'))
    .addColumn('progress_done', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('progress_total', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute()
  await db.schema.createIndex('generation_jobs_story_idx').on('generation_jobs').column('story_id').execute()
  // The sweeper looks for running jobs whose heartbeat stopped.
  await db.schema
    .createIndex('generation_jobs_status_heartbeat_idx')
    .on('generation_jobs')
    .columns(['status', 'heartbeat_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('generation_jobs').execute()
}
