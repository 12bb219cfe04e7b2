// Background generation of a whole story's illustrations: one job row with progress and a
// heartbeat. Jobs of a server that died are failed by the sweeper instead of staying "running".
import type {Kysely} from 'kysely'
import type {Database} from '../../core/db/types.js'
import type {Traits} from '../catalog.js'
import {failStaleJobs, saveIllustration, updateJob} from '../repositories/media.js'
import {getCharacters} from '../repositories/characters.js'
import {listPages, updatePage} from '../repositories/stories.js'
import type {IllustrationProvider} from './types.js'

export const PAGE_ILLUSTRATION_SIZE = {width: 800, height: 600}
/** A running job whose heartbeat is older than this belongs to a dead server. */
export const STALE_AFTER_MS = 30_000

export interface JobRunnerOptions {
  db: Kysely<Database>
  provider: IllustrationProvider
  clock: () => Date
  log?: {error: (object: object, message: string) => void}
  /** Called whenever a job changes a story (a page got its picture, the job ended). */
  onStoryChanged?: (storyId: string) => void
}

/** Running jobs say they are alive this often, even while one picture takes long. */
export const HEARTBEAT_EVERY_MS = 10_000

export class JobRunner {
  private readonly running = new Map<string, AbortController>()
  private readonly done = new Set<Promise<void>>()
  private readonly starting = new Map<string, Promise<unknown>>()
  private heartbeat: NodeJS.Timeout | undefined

  constructor(private readonly options: JobRunnerOptions) {}

  /** Fails jobs left behind by a server that stopped (called at start-up and from time to time). */
  async sweep(): Promise<number> {
    const now = this.options.clock()
    const stories = await failStaleJobs(this.options.db, new Date(now.getTime() - STALE_AFTER_MS), now, [
      ...this.running.keys(),
    ])
    for (const storyId of stories) this.options.onStoryChanged?.(storyId)
    return stories.length
  }

  /**
   * Runs `create` for a story only when no other call for the same story is under way, so that two
   * simultaneous requests cannot start two jobs (the server is one process; the check and the
   * insert happen inside this critical section).
   */
  async exclusive<T>(storyId: string, create: () => Promise<T>): Promise<T> {
    while (this.starting.has(storyId)) await this.starting.get(storyId)?.catch(() => {})
    const work = create()
    this.starting.set(storyId, work)
    try {
      return await work
    } finally {
      this.starting.delete(storyId)
    }
  }

  /** Starts the job in the background; the returned promise is for tests. */
  start(job: {id: string; userId: string; storyId: string; characterIds: string[]}): Promise<void> {
    const controller = new AbortController()
    this.running.set(job.id, controller)
    this.heartbeat ??= setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS).unref()
    const work = this.run(job, controller.signal).finally(() => {
      this.running.delete(job.id)
      this.done.delete(work)
      this.options.onStoryChanged?.(job.storyId)
      if (this.running.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat)
        this.heartbeat = undefined
      }
    })
    this.done.add(work)
    return work
  }

  private async beat(): Promise<void> {
    const ids = [...this.running.keys()]
    if (ids.length === 0) return
    await this.options.db
      .updateTable('generation_jobs')
      .set({heartbeat_at: this.options.clock().toISOString()})
      .where('id', 'in', ids)
      .execute()
      .catch(() => {}) // a missed beat is retried in ten seconds; the sweeper allows three
  }

  private async run(
    job: {id: string; userId: string; storyId: string; characterIds: string[]},
    signal: AbortSignal,
  ): Promise<void> {
    const {db, provider, clock} = this.options
    const heartbeat = () => clock().toISOString()
    try {
      await updateJob(db, job.id, {status: 'running', started_at: heartbeat(), heartbeat_at: heartbeat()})
      const characters = (await getCharacters(db, job.userId, job.characterIds)).map((character) => ({
        name: character.name,
        traits: JSON.parse(character.traits) as Traits,
      }))
      const pages = await listPages(db, job.storyId)
      let done = 0
      for (const page of pages) {
        if (signal.aborted) throw new Error('The server is shutting down.')
        const image = await provider.generate(
          {
            kind: 'page',
            characters,
            text: page.text,
            seed: `${job.storyId}:${page.id}:${page.text}`,
            ...PAGE_ILLUSTRATION_SIZE,
          },
          signal,
        )
        const illustration = await saveIllustration(db, {userId: job.userId, storyId: job.storyId}, image, clock())
        await updatePage(db, job.storyId, page.id, {illustrationId: illustration.id}, clock())
        done++
        await updateJob(db, job.id, {progress_done: done, heartbeat_at: heartbeat()})
        this.options.onStoryChanged?.(job.storyId)
      }
      await updateJob(db, job.id, {
        status: 'succeeded',
        error: null,
        finished_at: heartbeat(),
        heartbeat_at: heartbeat(),
      })
      await db.updateTable('stories').set({status: 'ready'}).where('id', '=', job.storyId).execute()
    } catch (error) {
      this.options.log?.error({err: error, jobId: job.id}, 'generation job failed')
      // The sweeper marks a job left running as failed later; until then, say why it could not be.
      const unrecorded = (what: string) => (recordError: unknown) =>
        this.options.log?.error({err: recordError, jobId: job.id}, `could not mark ${what} after the job failed`)
      await updateJob(db, job.id, {status: 'failed', error: (error as Error).message, finished_at: heartbeat()}).catch(
        unrecorded('the job failed'),
      )
      await db
        .updateTable('stories')
        .set({status: 'draft'})
        .where('id', '=', job.storyId)
        .execute()
        .catch(unrecorded('the story as a draft'))
    }
  }

  /** Stops running jobs (they are marked failed) and waits for them to settle. */
  async close(): Promise<void> {
    for (const controller of this.running.values()) controller.abort()
    await Promise.allSettled([...this.done])
    if (this.heartbeat) clearInterval(this.heartbeat)
  }
}
