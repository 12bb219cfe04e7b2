// Operations: liveness, readiness, Prometheus metrics, and the monitoring endpoints.
import {cpus, freemem, loadavg, totalmem} from 'node:os'
import {Type} from '@sinclair/typebox'
import type {FastifyPluginAsyncTypebox, TypeBoxTypeProvider} from '@fastify/type-provider-typebox'
import {sql} from 'kysely'
import type {ServerContext} from '../context.js'
import {routeNotFound} from '../plugins/errors.js'
import {isLocalRequest} from '../plugins/local-client.js'
import {errorResponses, fileResponse} from '../schemas/common.js'

const LEVELS: Record<string, number> = {trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60}

/** The event loop's histogram has no mean before its first sample: null, not NaN. */
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null)
const Milliseconds = Type.Union([Type.Number(), Type.Null()])

const SystemReport = Type.Object({
  uptimeMs: Type.Integer(),
  pid: Type.Integer(),
  node: Type.String(),
  cpu: Type.Object({
    cores: Type.Integer(),
    loadAverage: Type.Array(Type.Number()),
    process: Type.Object({user: Type.Integer(), system: Type.Integer()}),
  }),
  memory: Type.Object({
    rssBytes: Type.Integer(),
    heapUsedBytes: Type.Integer(),
    heapTotalBytes: Type.Integer(),
    systemFreeBytes: Type.Integer(),
    systemTotalBytes: Type.Integer(),
  }),
  eventLoop: Type.Object({meanMs: Milliseconds, p99Ms: Milliseconds, maxMs: Milliseconds}),
  cache: Type.Object({entries: Type.Integer()}),
})
const RouteSummary = Type.Object({
  routes: Type.Array(
    Type.Object({
      route: Type.String(),
      count: Type.Integer(),
      errorRate: Type.Number(),
      p50: Type.Number(),
      p95: Type.Number(),
      p99: Type.Number(),
    }),
  ),
})
/** Every statement's count and duration since the API started; the slowest statements by their worst time. */
const DatabaseTimings = Type.Object({
  queries: Type.Integer(),
  errors: Type.Integer(),
  totalMs: Type.Number(),
  slowest: Type.Array(
    Type.Object({
      sql: Type.String(),
      count: Type.Integer(),
      errors: Type.Integer(),
      meanMs: Type.Number(),
      maxMs: Type.Number(),
    }),
  ),
})
/** What the studio's browsers reported: errors, refused requests, web vitals (p75) and interaction success. */
const ClientSummarySchema = Type.Object({
  batches: Type.Integer(),
  errors: Type.Object({
    count: Type.Integer(),
    recent: Type.Array(Type.Object({message: Type.String(), page: Type.String(), time: Type.Number()})),
  }),
  rejectedRequests: Type.Object({count: Type.Integer(), byStatus: Type.Record(Type.String(), Type.Integer())}),
  vitals: Type.Record(Type.String(), Type.Object({count: Type.Integer(), p75: Type.Number()})),
  interactions: Type.Record(
    Type.String(),
    Type.Object({attempts: Type.Integer(), successes: Type.Integer(), successRate: Type.Number()}),
  ),
})
const LogQuery = Type.Object(
  {
    level: Type.Optional(Type.Union(Object.keys(LEVELS).map((level) => Type.Literal(level)))),
    q: Type.Optional(Type.String({maxLength: 200})),
    limit: Type.Optional(Type.Integer({minimum: 1, maximum: 1000, default: 100})),
  },
  {additionalProperties: false},
)
/** A pino line: its time, level and message, and whatever else was logged with it. */
const LogLines = Type.Object({
  lines: Type.Array(
    Type.Object(
      {time: Type.Number(), level: Type.Integer(), msg: Type.Optional(Type.String())},
      {additionalProperties: true},
    ),
  ),
})

/** The plugin's instance, or a scope of it, validating with TypeBox. */
type Routes = Parameters<FastifyPluginAsyncTypebox>[0]

/** Options of routes that probes and dashboards call all day: no rate limit, only warnings logged. */
function routeOptions() {
  const quiet = {config: {rateLimit: false as const}, logLevel: 'warn' as const}
  // localOnly: the 405 answers of plugins/errors.ts must not tell others that these paths exist.
  const operatorOnly = {...quiet, config: {...quiet.config, localOnly: true}}
  return {quiet, operatorOnly}
}

/** The route options, and when the API started (uptime counts from there). */
type OperationsOptions = ReturnType<typeof routeOptions> & {started: number}

export function operationsRoutes(context: ServerContext): FastifyPluginAsyncTypebox {
  const started = Date.now()
  return async (app) => {
    const options: OperationsOptions = {...routeOptions(), started}
    probeRoutes(app, context, options)

    // What the service logs and how it is used is for its operators: these answer only this machine
    // (the API binds 127.0.0.1 by default; with API_HOST=0.0.0.0 other hosts get a 404 here). The
    // socket's own address, not request.ip, and nothing forwarded: a proxy on this machine would
    // make every client look local.
    app.register(async (plain) => {
      const scope = plain.withTypeProvider<TypeBoxTypeProvider>()
      scope.addHook('onRequest', (request, _reply, done) =>
        done(isLocalRequest(request) ? undefined : routeNotFound(request)),
      )
      operatorRoutes(scope, context, options)
    })
  }
}

/** /health (the process answers) and /ready (it can serve: database reachable, migrations current). */
function probeRoutes(app: Routes, context: ServerContext, {started, quiet}: OperationsOptions): void {
  app.get(
    '/health',
    {
      ...quiet,
      schema: {
        tags: ['operations'],
        response: {200: Type.Object({status: Type.Literal('ok'), uptimeMs: Type.Integer()})},
      },
    },
    async () => ({
      status: 'ok' as const,
      uptimeMs: Date.now() - started,
    }),
  )

  app.get(
    '/ready',
    {
      ...quiet,
      schema: {
        tags: ['operations'],
        response: {
          200: Type.Object({ready: Type.Boolean(), checks: Type.Record(Type.String(), Type.String())}),
          503: Type.Object({ready: Type.Boolean(), checks: Type.Record(Type.String(), Type.String())}),
        },
      },
    },
    async (_request, reply) => {
      const {ready, checks} = await readiness(context)
      return reply.status(ready ? 200 : 503).send({ready, checks})
    },
  )
}

/** Whether the database answers and its schema is the one this code expects, check by check. */
async function readiness(context: ServerContext): Promise<{ready: boolean; checks: Record<string, string>}> {
  const checks: Record<string, string> = {}
  try {
    await sql`select 1`.execute(context.db)
    checks.database = 'ok'
    checks.migrations = (await context.migrationProblem()) ?? 'ok'
  } catch (error) {
    checks.database = `unreachable: ${(error as Error).message}`
  }
  const ready = Object.values(checks).every((value) => value === 'ok') && 'migrations' in checks
  return {ready, checks}
}

/** Metrics, the process and its routes, database timings, client reports and recent logs, for operators. */
function operatorRoutes(scope: Routes, context: ServerContext, {started, operatorOnly}: OperationsOptions): void {
  scope.get(
    '/metrics',
    {
      ...operatorOnly,
      schema: {
        tags: ['operations'],
        response: {200: fileResponse('Prometheus metrics', ['text/plain']), ...errorResponses},
      },
    },
    async (_request, reply) =>
      reply.type(context.observability.registry.contentType).send(await context.observability.metricsText()),
  )

  scope.get(
    '/api/monitoring/system',
    {...operatorOnly, schema: {tags: ['operations'], response: {200: SystemReport, ...errorResponses}}},
    async () => systemReport(context, started),
  )

  scope.get(
    '/api/monitoring/routes',
    {...operatorOnly, schema: {tags: ['operations'], response: {200: RouteSummary, ...errorResponses}}},
    async () => ({
      routes: context.observability.routeSummary(),
    }),
  )

  scope.get(
    '/api/monitoring/database',
    {...operatorOnly, schema: {tags: ['operations'], response: {200: DatabaseTimings, ...errorResponses}}},
    async () => context.observability.databaseSummary(),
  )

  scope.get(
    '/api/monitoring/client',
    {...operatorOnly, schema: {tags: ['operations'], response: {200: ClientSummarySchema, ...errorResponses}}},
    async () => context.observability.client.summary(),
  )

  scope.get(
    '/api/monitoring/logs',
    {
      ...operatorOnly,
      schema: {
        tags: ['operations'],
        querystring: LogQuery,
        response: {200: LogLines, ...errorResponses},
      },
    },
    async (request) => ({
      lines: context.observability.recentLogs({
        level: request.query.level ? LEVELS[request.query.level] : undefined,
        text: request.query.q,
        limit: request.query.limit ?? 100,
      }),
    }),
  )
}

/** The process as its operators see it: uptime, CPU, memory, event loop delay and the read cache. */
function systemReport(context: ServerContext, started: number) {
  const memory = process.memoryUsage()
  const loop = context.observability.eventLoop
  return {
    uptimeMs: Date.now() - started,
    pid: process.pid,
    node: process.version,
    cpu: {cores: cpus().length, loadAverage: loadavg(), process: process.cpuUsage()},
    memory: {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      systemFreeBytes: freemem(),
      systemTotalBytes: totalmem(),
    },
    eventLoop: {
      meanMs: finiteOrNull(loop.mean / 1e6),
      p99Ms: finiteOrNull(loop.percentile(99) / 1e6),
      maxMs: finiteOrNull(loop.max / 1e6),
    },
    cache: {entries: context.cache.size},
  }
}
