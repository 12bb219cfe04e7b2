// What the app is built from: configuration, database, generation providers, the clock and the
// job runner. Passed to buildApp, which owns it from then on: app.close() closes what it holds.
import type {Kysely} from 'kysely'
import type {AppConfig} from '../core/config/load.js'
import type {DatabaseHandle} from '../core/db/handle.js'
import type {Database} from '../core/db/types.js'
import type {JobRunner} from './generation/jobs.js'
import type {IllustrationProvider, StoryTextProvider} from './generation/types.js'
import type {PdfRenderer} from './pdf-renderer.js'
import type {Observability} from './plugins/observability.js'
import type {ReadCache} from './read-cache.js'

export interface ServerContext {
  config: AppConfig
  db: Kysely<Database>
  /** The handle `db` comes from: the app closes it last, when it closes. */
  database: DatabaseHandle
  illustrations: IllustrationProvider
  /** The offline drawer, for pictures that must cost no remote call: PDF covers and character portraits. */
  offlineIllustrations: IllustrationProvider
  storyText: StoryTextProvider
  clock: () => Date
  jobs: JobRunner
  cache: ReadCache
  observability: Observability
  /** Story PDFs: in a worker thread in the server, in this thread in tests of the app. */
  pdf: PdfRenderer
  /**
   * Why the schema is not what this code expects (pending migrations, drift), or undefined when it is:
   * /ready answers 503 while there is a reason.
   */
  migrationProblem: () => Promise<string | undefined>
}
