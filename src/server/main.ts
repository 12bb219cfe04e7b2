// The API server process: load the configuration, open the database, listen, and shut down
// gracefully on SIGTERM or SIGINT (stop accepting, finish in-flight requests, close the
// database, exit 0 within the grace period). The only process.exit of the server.
import {Server} from 'node:net'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadEnvironment, toAppConfig} from '../core/config/load.js'
import {openDatabase} from '../core/db/connection.js'
import {ERROR_CODES, PortInUseError, StorybookError, toStorybookError} from '../core/errors.js'
import {buildApp} from './app.js'
import {deleteExpiredSessions} from './repositories/accounts.js'
import {trackConnections} from './connection-drain.js'
import {createServerContext} from './create-context.js'

/** How long a stopping server still accepts connections that clients opened before the signal. */
const ACCEPT_GRACE_MS = 100

async function main(): Promise<void> {
  const config = toAppConfig(await loadEnvironment({env: process.env, cwd: process.cwd()}))
  const {default: pino} = await import('pino')
  // Every statement is timed for /api/monitoring/database; the context that keeps the figures comes next.
  let observe: ((query: {sql: string; durationMs: number; failed: boolean}) => void) | undefined
  const database = await openDatabase(config.database, {create: true, onQuery: (query) => observe?.(query)})
  // Placeholder stream first: the context owns the log ring that the logger writes through.
  let context: ReturnType<typeof createServerContext> | undefined
  const logger = pino(
    {
      name: 'api',
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
        censor: '[redacted]',
      },
    },
    {
      write: (line: string) =>
        context ? context.observability.logStream(process.stdout).write(line) : process.stdout.write(line),
    },
  )
  // Beside this file in dist/: the export draws PDFs there, off the event loop.
  const pdfWorkerFile = join(dirname(fileURLToPath(import.meta.url)), 'pdf-worker.cjs')
  context = createServerContext({config, database, log: logger, pdfWorkerFile})
  const {observability} = context
  observe = (query) => observability.recordQuery(query)
  // A database behind the code (rolled back, or an older backup restored) may lack the jobs table:
  // the API still starts, and /ready names the pending migrations.
  const swept = await context.jobs.sweep().catch((error: unknown) => {
    logger.warn({err: error}, 'sweeping stale generation jobs failed')
    return 0
  })
  if (swept > 0) logger.warn({swept}, 'failed generation jobs left running by a previous server')
  const sweeper = setInterval(() => {
    // Both run again in a minute; a failure is logged, not swallowed, so that a broken database shows.
    void context?.jobs
      .sweep()
      .catch((error: unknown) => logger.warn({err: error}, 'sweeping stale generation jobs failed'))
    void deleteExpiredSessions(database.db, new Date()).catch((error: unknown) =>
      logger.warn({err: error}, 'deleting expired sessions failed'),
    )
  }, 60_000)
  sweeper.unref()

  const app = await buildApp({context, logger})
  const connections = trackConnections(app.server)
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    logger.info({signal}, 'shutting down')
    const timer = setTimeout(() => {
      logger.error({graceMs: config.shutdownGraceMs}, 'grace period over; exiting with requests still open')
      process.exit(1)
    }, config.shutdownGraceMs)
    timer.unref()
    // Keep accepting until no connection has come for a moment (a closed listener resets those
    // still in the kernel's backlog), then stop listening, let every received request finish, close.
    // http.Server#close would also close "idle" connections, which include those whose request
    // is not parsed yet; net.Server#close only stops listening.
    connections
      .quiet(ACCEPT_GRACE_MS)
      .then(() => {
        Server.prototype.close.call(app.server)
        return connections.drain()
      })
      .then(() => app.close())
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({err: error}, 'shutdown failed')
          process.exit(1)
        },
      )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  try {
    await app.listen({host: config.api.host, port: config.api.port})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      throw new PortInUseError(config.api.port, undefined, {
        next: ['storybook status', 'API_PORT=8010 storybook start'],
      })
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new StorybookError(
        'CONFIG_INVALID',
        `API_HOST ${config.api.host} is not an address of this machine (${code}).`,
        {
          next: ['API_HOST=127.0.0.1 storybook start', 'storybook env show'],
        },
      )
    }
    throw error
  }
}

main().catch((thrown: unknown) => {
  const error = toStorybookError(thrown)
  process.stderr.write(`Error [${error.code}] ${error.message}\n${error.next.map((step) => `  ${step}`).join('\n')}\n`)
  if (error.code === 'INTERNAL' && thrown instanceof Error) process.stderr.write(`${thrown.stack}\n`)
  process.exit(ERROR_CODES[error.code].exitCode)
})
