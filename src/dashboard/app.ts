// The dashboard's HTTP side: JSON for the page (overview, series, alerts, silences, events, logs, route
// health), server-sent events for live updates, and the page itself from the built web workspace. It
// binds 127.0.0.1; bound anywhere else, every request must carry DASHBOARD_TOKEN.
import {timingSafeEqual} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {extname, join, normalize} from 'node:path'
import Fastify, {type FastifyInstance, type FastifyReply} from 'fastify'
import {LOG_LEVELS, logLevelOf, parseLogLine, type LogLevelName} from '../core/output/log-line.js'
import type {MonitoringHistory} from '../monitoring/history.js'
import type {Monitor, MonitorUpdate} from '../monitoring/monitor.js'
import type {Delivery} from '../monitoring/alerts/delivery.js'
import type {RouteHealth} from './route-health.js'

export interface DashboardOptions {
  history: MonitoringHistory
  monitor: Monitor
  delivery: Delivery
  routeHealth: RouteHealth
  /** Lines of a service's log, newest last, across rotations. */
  logLines: (service: string, count: number) => Promise<string[]>
  services: string[]
  /** The built page (web/dist/dashboard), when there is one. */
  pageRoot?: string
  /** Required on every request when set (the dashboard is bound beyond this machine). */
  token?: string
  now: () => number
  /** Subscribes to the monitor's updates; returns the unsubscribe. */
  subscribe: (listener: (update: MonitorUpdate) => void) => () => void
}

const RANGES: Record<string, number> = {
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
}

const PAGE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
}

function envelope(code: string, message: string, next: string[] = []) {
  return {error: {code, message, details: {}, next}}
}

function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : undefined
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function buildDashboard(options: DashboardOptions): Promise<FastifyInstance> {
  const app = Fastify({logger: false})
  if (options.token) requireToken(app, options.token)
  app.get('/health', async () => ({status: 'ok'}))
  overviewRoutes(app, options)
  alertRoutes(app, options)
  logRoutes(app, options)
  app.get('/events', (request, reply) => streamUpdates(options, request.raw.on.bind(request.raw), reply))
  app.get('/*', async (request, reply) => servePage(options.pageRoot, request.url, reply))
  return app
}

/** Beyond this machine every request but /health must carry the token. */
function requireToken(app: FastifyInstance, token: string): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return
    // EventSource cannot send headers: the page passes the token as a cookie it set after asking for it.
    const cookie = /(?:^|;\s*)dashboard_token=([^;]+)/.exec(request.headers.cookie ?? '')?.[1]
    if (tokenMatches(token, request.headers.authorization) || (cookie && tokenMatches(token, `Bearer ${cookie}`)))
      return
    return reply
      .status(401)
      .send(envelope('UNAUTHORIZED', 'This dashboard needs its token.', ['storybook env show DASHBOARD_TOKEN']))
  })
}

/** The page's picture of now (services, open alerts, notifiers, routes) and the charts' series. */
function overviewRoutes(app: FastifyInstance, options: DashboardOptions): void {
  const {history, monitor} = options
  app.get('/api/overview', async () => ({
    time: options.now(),
    services: monitor.current?.statuses ?? [],
    alerts: history.alerts({openOnly: true}),
    notifiers: options.delivery.status(),
    routes: options.routeHealth.table(monitor.current?.routes ?? []),
  }))

  app.get<{Querystring: {metric?: string; instance?: string; range?: string}}>(
    '/api/series',
    async (request, reply) => {
      const {metric, instance, range = '15m'} = request.query
      const span = RANGES[range]
      if (!metric || !instance || span === undefined) {
        return reply
          .status(400)
          .send(
            envelope(
              'VALIDATION_FAILED',
              `metric and instance are required; range is one of ${Object.keys(RANGES).join(', ')}.`,
            ),
          )
      }
      const to = options.now()
      return {metric, instance, range, points: history.series({metric, instance, from: to - span, to})}
    },
  )
}

/** The alert history, acknowledgements, silences and the recorded events. */
function alertRoutes(app: FastifyInstance, options: DashboardOptions): void {
  const {history} = options
  app.get<{Querystring: {limit?: string}}>('/api/alerts', async (request) => ({
    alerts: history.alerts({limit: boundedLimit(request.query.limit, 100, 1000)}),
  }))

  app.post<{Params: {id: string}; Body: {by?: unknown} | undefined}>('/api/alerts/:id/ack', async (request, reply) => {
    const by =
      typeof request.body?.by === 'string' && request.body.by.trim() !== '' ? request.body.by.trim() : 'someone'
    if (!history.acknowledge(Number(request.params.id), by.slice(0, 80), options.now()))
      return reply.status(404).send(envelope('NOT_FOUND', 'No such alert, or it was acknowledged already.'))
    return {acknowledged: true}
  })

  app.get('/api/silences', async () => ({silences: history.silences(options.now())}))

  app.post<{Body: {rule?: unknown; instance?: unknown; minutes?: unknown; comment?: unknown} | undefined}>(
    '/api/silences',
    async (request, reply) => {
      const body = request.body ?? {}
      const minutes = Number(body.minutes)
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60)
        return reply.status(400).send(envelope('VALIDATION_FAILED', 'minutes must be a whole number from 1 to 10080.'))
      const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value.slice(0, 200) : undefined)
      const now = options.now()
      const rule = text(body.rule)
      const instance = text(body.instance)
      return history.addSilence(
        {
          ...(rule ? {rule} : {}),
          ...(instance ? {instance} : {}),
          startsAt: now,
          endsAt: now + minutes * 60_000,
          comment: text(body.comment) ?? '',
        },
        now,
      )
    },
  )

  app.delete<{Params: {id: string}}>('/api/silences/:id', async (request, reply) => {
    if (!history.expireSilence(request.params.id, options.now()))
      return reply.status(404).send(envelope('NOT_FOUND', 'No such silence, or it has ended.'))
    return {expired: true}
  })

  app.get<{Querystring: {limit?: string}}>('/api/events', async (request) => ({
    events: history.events({limit: boundedLimit(request.query.limit, 100, 1000)}),
  }))
}

/** Every service's log lines, merged by time and filtered by service, level, text and time. */
function logRoutes(app: FastifyInstance, options: DashboardOptions): void {
  app.get<{Querystring: {service?: string; level?: string; q?: string; since?: string; limit?: string}}>(
    '/api/logs',
    async (request, reply) => {
      const {service, level, q} = request.query
      const services = service ? [service] : options.services
      if (service && !options.services.includes(service))
        return reply
          .status(400)
          .send(envelope('VALIDATION_FAILED', `service is one of ${options.services.join(', ')}.`))
      const minimum = level && Object.hasOwn(LOG_LEVELS, level) ? LOG_LEVELS[level as LogLevelName] : undefined
      if (level && minimum === undefined)
        return reply
          .status(400)
          .send(envelope('VALIDATION_FAILED', `level is one of ${Object.keys(LOG_LEVELS).join(', ')}.`))
      const since = request.query.since ? Number(request.query.since) : undefined
      const limit = boundedLimit(request.query.limit, 200, 2000)
      const needle = q?.toLowerCase()
      const perService = await Promise.all(
        services.map(async (name) => withTimes(name, await options.logLines(name, limit * 5))),
      )
      const lines = perService
        .flat()
        .filter(
          (line) =>
            (minimum === undefined || line.level >= minimum) &&
            (!needle || line.raw.toLowerCase().includes(needle)) &&
            (since === undefined || line.time >= since),
        )
        .sort((a, b) => a.time - b.time)
        .slice(-limit)
      return {lines}
    },
  )
}

/**
 * A service's lines with their time and level; a line without a time (the supervisor's, a stack
 * line) takes the time of the line before it, so that merged services keep each one's order.
 */
function withTimes(service: string, raw: string[]) {
  let time = 0
  return raw.map((line) => {
    const record = parseLogLine(line)
    if (typeof record?.time === 'number') time = record.time
    const msg = typeof record?.msg === 'string' ? record.msg : line
    return {service, time, level: logLevelOf(line), msg, raw: line}
  })
}

function boundedLimit(raw: string | undefined, fallback: number, maximum: number): number {
  const value = Number(raw)
  return Number.isInteger(value) && value >= 1 ? Math.min(value, maximum) : fallback
}

/** Server-sent events: the latest overview first, then every update; a comment line keeps proxies from closing it. */
function streamUpdates(
  options: DashboardOptions,
  onRequest: (event: 'close', listener: () => void) => unknown,
  reply: FastifyReply,
): void {
  reply.hijack()
  const response = reply.raw
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  })
  const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  const current = options.monitor.current
  if (current) send('sample', {time: current.snapshot.time, services: current.statuses, samples: current.samples})
  const unsubscribe = options.subscribe((update) => {
    if (update.type === 'sample')
      send('sample', {
        time: update.collected.snapshot.time,
        services: update.collected.statuses,
        samples: update.collected.samples,
      })
    else if (update.type === 'alert') send('alert', update.transition)
    else send('event', {subject: update.subject})
  })
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000)
  onRequest('close', () => {
    clearInterval(keepAlive)
    unsubscribe()
  })
}

async function servePage(root: string | undefined, url: string, reply: FastifyReply) {
  if (!root) {
    return reply
      .status(503)
      .type('text/plain; charset=utf-8')
      .send('The dashboard page is not built. Run: npm run build')
  }
  let relative: string
  try {
    relative = normalize(decodeURIComponent(new URL(url, 'http://dashboard.invalid').pathname)).replace(/^[/\\]+/, '')
  } catch {
    return reply.status(400).type('text/plain; charset=utf-8').send('Bad path')
  }
  const file = relative === '' || extname(relative) === '' || relative.includes('..') ? 'index.html' : relative
  const body = await readFile(join(root, file)).catch(() => undefined)
  if (!body) return reply.status(404).type('text/plain; charset=utf-8').send('Not found')
  return reply
    .header('cache-control', file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable')
    .type(PAGE_TYPES[extname(file)] ?? 'application/octet-stream')
    .send(body)
}
