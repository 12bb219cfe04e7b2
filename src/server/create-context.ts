// Builds the ServerContext from configuration and an open database, with real defaults for
// everything a test may want to replace (providers, clock).
import type {AppConfig} from '../core/config/load.js'
import type {DatabaseHandle} from '../core/db/handle.js'
import {appliedMigrationsKey, getMigrationStatus} from '../core/db/migrator.js'
import {MIGRATIONS} from '../../migrations/index.js'
import type {ServerContext} from './context.js'
import {BuiltinIllustrationProvider} from './generation/builtin-illustrations.js'
import {BuiltinStoryTextProvider} from './generation/builtin-story-text.js'
import {HttpIllustrationProvider} from './generation/http-illustrations.js'
import {JobRunner} from './generation/jobs.js'
import {inProcessPdfRenderer, workerPdfRenderer} from './pdf-renderer.js'
import type {IllustrationProvider, StoryTextProvider} from './generation/types.js'
import {Observability} from './plugins/observability.js'
import {ReadCache} from './read-cache.js'
import {invalidateStory} from './services/stories.js'

export interface ContextOptions {
  config: AppConfig
  database: DatabaseHandle
  clock?: () => Date
  illustrations?: IllustrationProvider
  /** Covers and portraits: the built-in drawer unless a test replaces it. */
  offlineIllustrations?: IllustrationProvider
  storyText?: StoryTextProvider
  log?: {error: (object: object, message: string) => void}
  /** The built PDF worker (dist/pdf-worker.cjs); without it PDFs are drawn in this thread. */
  pdfWorkerFile?: string
}

export function illustrationProviderFor(config: AppConfig): IllustrationProvider {
  return config.image.provider === 'http' && config.image.apiUrl
    ? new HttpIllustrationProvider({url: config.image.apiUrl, apiKey: config.image.apiKey})
    : new BuiltinIllustrationProvider()
}

export function createServerContext(options: ContextOptions): ServerContext {
  const clock = options.clock ?? (() => new Date())
  const illustrations = options.illustrations ?? illustrationProviderFor(options.config)
  const db = options.database.db
  const cache = new ReadCache()
  /** The applied migrations (appliedMigrationsKey) when they were last found current. */
  let currentAt: string | undefined
  return {
    config: options.config,
    db,
    database: options.database,
    illustrations,
    offlineIllustrations: options.offlineIllustrations ?? new BuiltinIllustrationProvider(),
    storyText: options.storyText ?? new BuiltinStoryTextProvider(),
    clock,
    jobs: new JobRunner({
      db,
      provider: illustrations,
      clock,
      ...(options.log ? {log: options.log} : {}),
      // Readers see each new picture while the job runs, not only when it ends.
      onStoryChanged: (storyId) => invalidateStory(cache, storyId),
    }),
    cache,
    observability: new Observability(),
    pdf: options.pdfWorkerFile ? workerPdfRenderer(options.pdfWorkerFile) : inProcessPdfRenderer(),
    // The full status compiles every migration, so it is worked out again only when the applied
    // migrations change (a `db migrate` or `db rollback` while the API runs), not on every /ready.
    migrationProblem: async () => {
      const applied = await appliedMigrationsKey(options.database)
      if (applied === currentAt) return undefined
      const status = await getMigrationStatus(options.database, MIGRATIONS)
      if (status.drift.length > 0) {
        return `drift: ${status.drift.map((entry) => `${entry.name} ${entry.problem}`).join(', ')} since applied: run storybook db status`
      }
      if (status.pending > 0)
        return `${status.pending} pending migration${status.pending === 1 ? '' : 's'}: run storybook db migrate`
      // Remembered only if no migrate or rollback committed while the status was read.
      if ((await appliedMigrationsKey(options.database)) === applied) currentAt = applied
      return undefined
    },
  }
}
