// Illustrations and generation jobs.
import type {Kysely} from 'kysely'
import {newId} from '../../core/db/ids.js'
import type {Database, GenerationJob, Illustration, JobStatus} from '../../core/db/types.js'
import type {GeneratedImage} from '../generation/types.js'

export async function saveIllustration(
  db: Kysely<Database>,
  owner: {userId: string; storyId?: string | null; characterId?: string | null},
  image: GeneratedImage,
  now: Date,
): Promise<Illustration> {
  const illustration: Illustration = {
    id: newId(),
    user_id: owner.userId,
    story_id: owner.storyId ?? null,
    character_id: owner.characterId ?? null,
    provider: image.provider,
    prompt: image.prompt,
    mime_type: image.mimeType,
    content: image.content,
    width: image.width,
    height: image.height,
    created_at: now.toISOString(),
  }
  await db.insertInto('illustrations').values(illustration).execute()
  return illustration
}

export async function getIllustration(
  db: Kysely<Database>,
  userId: string,
  id: string,
): Promise<Illustration | undefined> {
  return db
    .selectFrom('illustrations')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

/** The user's illustrations with these ids, by id, in one query (missing and foreign ones left out). */
export async function getIllustrations(
  db: Kysely<Database>,
  userId: string,
  ids: string[],
): Promise<Map<string, Illustration>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('illustrations')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .where('user_id', '=', userId)
    .execute()
  return new Map(rows.map((row) => [row.id, row]))
}

export async function createJob(
  db: Kysely<Database>,
  input: {userId: string; storyId: string; kind: string; total: number},
  now: Date,
): Promise<GenerationJob> {
  const job: GenerationJob = {
    id: newId(),
    user_id: input.userId,
    story_id: input.storyId,
    kind: input.kind,
    status: 'queued',
    progress_done: 0,
    progress_total: input.total,
    error: null,
    heartbeat_at: now.toISOString(),
    created_at: now.toISOString(),
    started_at: null,
    finished_at: null,
  }
  await db.insertInto('generation_jobs').values(job).execute()
  return job
}

export async function getJob(db: Kysely<Database>, userId: string, id: string): Promise<GenerationJob | undefined> {
  return db
    .selectFrom('generation_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

export async function activeJobForStory(db: Kysely<Database>, storyId: string): Promise<GenerationJob | undefined> {
  return db
    .selectFrom('generation_jobs')
    .selectAll()
    .where('story_id', '=', storyId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst()
}

export async function updateJob(
  db: Kysely<Database>,
  id: string,
  changes: Partial<
    Pick<GenerationJob, 'status' | 'progress_done' | 'error' | 'heartbeat_at' | 'started_at' | 'finished_at'>
  >,
): Promise<void> {
  await db.updateTable('generation_jobs').set(changes).where('id', '=', id).execute()
}

/**
 * Jobs left queued or running by a server that stopped (their heartbeat is older than
 * `staleBefore`, and this process does not run them): failed, and their stories back to draft.
 */
export async function failStaleJobs(
  db: Kysely<Database>,
  staleBefore: Date,
  now: Date,
  runningHere: string[],
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    let stale = trx
      .selectFrom('generation_jobs')
      .select(['id', 'story_id'])
      .where('status', 'in', ['queued', 'running'])
      .where((eb) => eb.or([eb('heartbeat_at', '<', staleBefore.toISOString()), eb('heartbeat_at', 'is', null)]))
    if (runningHere.length > 0) stale = stale.where('id', 'not in', runningHere)
    const jobs = await stale.execute()
    if (jobs.length === 0) return []
    await trx
      .updateTable('generation_jobs')
      .set({
        status: 'failed' satisfies JobStatus,
        error: 'The server stopped while this job ran; start it again.',
        finished_at: now.toISOString(),
      })
      .where(
        'id',
        'in',
        jobs.map((job) => job.id),
      )
      .execute()
    await trx
      .updateTable('stories')
      .set({status: 'draft'})
      .where(
        'id',
        'in',
        jobs.map((job) => job.story_id),
      )
      .where('status', '=', 'generating')
      .execute()
    return jobs.map((job) => job.story_id)
  })
}
