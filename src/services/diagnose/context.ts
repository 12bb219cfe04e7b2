// What every check of the doctor reads: the configuration (even when part of it is invalid), the
// project and toolkit folders, and shared probes that several checks use, each run at most once.
import {
  loadEnvironment,
  toLenientConfig,
  type AppConfig,
  type Environment,
  type EnvironmentReport,
} from '../../core/config/load.js'
import type {DatabaseHandle} from '../../core/db/handle.js'
import type {MigrationStatus} from '../../core/db/migrator.js'
import {gitFacts, type GitFacts} from '../../core/project/gitignore.js'
import {createServicesContext, type LiveState, type ServicesContext} from '../service-runtime.js'

/**
 * How long a database statement may wait on a lock. SQLite waits synchronously, stopping every
 * other check meanwhile, so briefly; PostgreSQL waits asynchronously, within the checks' budgets.
 */
const DATABASE_TIMEOUT_MS = {sqlite: 250, postgres: 3_000} as const

export interface DiagnoseContext {
  /** Where the toolkit itself lives: its package.json, node_modules, sources and build output. */
  codeRoot: string
  /** Where the person typed the command: fix commands are written to be pasted there. */
  cwd: string
  report: EnvironmentReport
  /** The configuration, with defaults standing in for invalid values (see `invalid`). */
  config: AppConfig
  /** Variables whose values are invalid or missing. */
  invalid: ReadonlySet<string>
  nodeVersion: string
  env: Environment
  git(): Promise<GitFacts>
  /** The database, opened once and read-only; rejects with the reason it cannot be opened. */
  database(): Promise<DatabaseHandle>
  migrationStatus(): Promise<MigrationStatus & {unbuilt: string[]}>
  /** What start, stop and status work with: the platform and the one signal gate. */
  services: ServicesContext
  liveState(service: string): Promise<LiveState>
  /** Runs npm in the toolkit folder (a fix: rebuild a native module). */
  runNpm(args: string[]): Promise<void>
  close(): Promise<void>
}

export interface DiagnoseContextOptions {
  codeRoot: string
  env: Environment
  cwd: string
  envFile?: string | undefined
  nodeVersion?: string
  runNpm?: (args: string[]) => Promise<void>
}

export async function createDiagnoseContext(options: DiagnoseContextOptions): Promise<DiagnoseContext> {
  // A missing .env is one of the things to report, not a reason to stop.
  const report = await loadEnvironment({
    env: options.env,
    cwd: options.cwd,
    envFile: options.envFile,
    allowMissingEnvFile: true,
    tolerateUnreadableEnvFile: true,
  })
  const {config, invalid} = toLenientConfig(report)
  const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined
    return () => (value ??= make())
  }
  let opened: Promise<DatabaseHandle> | undefined
  const database = () =>
    (opened ??= import('../../core/db/connection.js').then(({openDatabase}) =>
      openDatabase(config.database, {
        create: false,
        readonly: true,
        timeoutMs: DATABASE_TIMEOUT_MS[config.database.dialect],
      }),
    ))
  const services = createServicesContext({config, toolkitRoot: options.codeRoot, env: {...options.env}})
  const liveStates = new Map<string, Promise<LiveState>>()
  // Ends git questions still running when the report is done, so a slow git cannot hold the exit.
  const finished = new AbortController()
  return {
    codeRoot: options.codeRoot,
    cwd: options.cwd,
    report,
    config,
    invalid: new Set(invalid),
    nodeVersion: options.nodeVersion ?? process.versions.node,
    env: options.env,
    git: once(() => gitFacts(report.root, finished.signal)),
    database,
    services,
    migrationStatus: once(async () => {
      const [{getMigrationStatus}, {MIGRATIONS}, {findUnbuiltMigrations}] = await Promise.all([
        import('../../core/db/migrator.js'),
        import('../../../migrations/index.js'),
        import('../db.js'),
      ])
      const [status, unbuilt] = await Promise.all([
        getMigrationStatus(await database(), MIGRATIONS),
        findUnbuiltMigrations(report.root),
      ])
      return {...status, unbuilt}
    }),
    liveState: (service) => {
      let state = liveStates.get(service)
      if (!state) {
        state = import('../service-runtime.js').then(({liveState}) => liveState(services, service))
        liveStates.set(service, state)
      }
      return state
    },
    runNpm: options.runNpm ?? (async (args) => (await import('../setup-project.js')).runNpm(options.codeRoot, args)),
    close: once(async () => {
      finished.abort()
      const handle = await opened?.catch(() => undefined)
      await handle?.close()
    }),
  }
}
