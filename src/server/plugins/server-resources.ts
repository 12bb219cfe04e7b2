// The app's resources as fastify-plugin decorators: the services the routes call, and, in onClose,
// the end of everything the context holds (jobs and their heartbeat timer, the PDF worker, the
// event-loop monitor, the read cache, then the database handle, last because jobs write to it).
import type {FastifyBaseLogger, FastifyInstance} from 'fastify'
import fp from 'fastify-plugin'
import type {ServerContext} from '../context.js'
import {CharactersService} from '../services/characters.js'
import {StoriesService} from '../services/stories.js'

declare module 'fastify' {
  interface FastifyInstance {
    stories: StoriesService
    characters: CharactersService
  }
}

export interface ServerResourcesOptions {
  context: ServerContext
}

/** The parts of the context that hold something open, in the order they are closed. */
export type ClosableContext = Pick<ServerContext, 'jobs' | 'pdf' | 'observability' | 'cache' | 'database'>

/**
 * Closes every resource of the context, each even when one before it fails; the first failure is
 * thrown once all were tried (the others are logged), so app.close() never hides one.
 */
export async function closeServerContext(context: ClosableContext, log: FastifyBaseLogger): Promise<void> {
  const steps: Array<[string, () => unknown]> = [
    // Running jobs are stopped and marked failed, which needs the database: before it closes.
    ['generation jobs', () => context.jobs.close()],
    ['the PDF worker', () => context.pdf.close()],
    ['the event-loop monitor', () => context.observability.close()],
    ['the read cache', () => context.cache.clear()],
    ['the database', () => context.database.close()],
  ]
  const failures: unknown[] = []
  for (const [what, close] of steps) {
    try {
      await close()
    } catch (error) {
      log.error({err: error}, `closing ${what} failed`)
      failures.push(error)
    }
  }
  if (failures.length > 0) throw failures[0]
}

async function serverResources(app: FastifyInstance, {context}: ServerResourcesOptions): Promise<void> {
  app.decorate(
    'stories',
    new StoriesService({
      db: context.db,
      storyText: context.storyText,
      illustrations: context.illustrations,
      coverIllustrations: context.offlineIllustrations,
      jobs: context.jobs,
      pdf: context.pdf,
      cache: context.cache,
      clock: context.clock,
    }),
  )
  app.decorate(
    'characters',
    new CharactersService({
      db: context.db,
      illustrations: context.illustrations,
      portraits: context.offlineIllustrations,
      cache: context.cache,
      clock: context.clock,
    }),
  )
  app.addHook('onClose', async (instance) => closeServerContext(context, instance.log))
}

/** Registered once at the root: its decorators are seen by every route. */
export default fp(serverResources, {name: 'server-resources', fastify: '5.x'})
