// Metrics and recent logs: a Prometheus registry (request histogram by route and status, process
// and event-loop metrics), per-route counters with latency percentiles, and a ring of log lines.
import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks'
import type {FastifyInstance} from 'fastify'
import {Registry, collectDefaultMetrics} from 'prom-client'
import {ClientMetrics} from '../client-metrics.js'

const SAMPLES_PER_ROUTE = 1_000
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

/** One label set of the request histogram: counts per bucket (not yet cumulative), sum and count. */
interface DurationSeries {
  labels: string
  counts: Float64Array
  sum: number
  count: number
}

interface RouteStats {
  count: number
  errors: number
  /** The latest durations (ms), a ring buffer for percentiles. */
  samples: number[]
  next: number
}

interface StatementStats {
  count: number
  errors: number
  totalMs: number
  maxMs: number
}

/** Distinct statements kept for the slowest list; past it, new ones are counted in the totals only. */
const MAX_STATEMENTS = 500

export interface DatabaseSummary {
  queries: number
  errors: number
  totalMs: number
  /** The statements that took longest at worst, slowest first. */
  slowest: Array<{sql: string; count: number; errors: number; meanMs: number; maxMs: number}>
}

export interface LogLine {
  time: number
  level: number
  msg: string
  [key: string]: unknown
}

export class Observability {
  readonly registry = new Registry()
  /**
   * The request histogram, kept by hand: prom-client's observe() builds and hashes a label object
   * on every request, which cost a cached story read as much as its own work (npm run bench).
   */
  private readonly durations = new Map<string, DurationSeries>()
  private readonly routes = new Map<string, RouteStats>()
  private readonly logs: LogLine[] = []
  private readonly statements = new Map<string, StatementStats>()
  private readonly queryTotals = {queries: 0, errors: 0, totalMs: 0}
  readonly eventLoop: IntervalHistogram
  /** What the studio's browsers report (POST /api/client-metrics). */
  readonly client = new ClientMetrics()

  constructor(private readonly maxLogLines = 1_000) {
    collectDefaultMetrics({register: this.registry})
    this.eventLoop = monitorEventLoopDelay({resolution: 20})
    this.eventLoop.enable()
  }

  record(method: string, route: string, status: number, durationMs: number): void {
    const seconds = durationMs / 1000
    const seriesKey = `${method} ${status} ${route}`
    let series = this.durations.get(seriesKey)
    if (!series) {
      series = {
        labels: `method="${labelValue(method)}",route="${labelValue(route)}",status="${status}"`,
        counts: new Float64Array(DURATION_BUCKETS.length),
        sum: 0,
        count: 0,
      }
      this.durations.set(seriesKey, series)
    }
    const bucket = DURATION_BUCKETS.findIndex((bound) => seconds <= bound)
    if (bucket !== -1) (series.counts[bucket] as number)++
    series.sum += seconds
    series.count++
    const key = `${method} ${route}`
    let stats = this.routes.get(key)
    if (!stats) this.routes.set(key, (stats = {count: 0, errors: 0, samples: [], next: 0}))
    stats.count++
    if (status >= 500) stats.errors++
    if (stats.samples.length < SAMPLES_PER_ROUTE) stats.samples.push(durationMs)
    else stats.samples[stats.next] = durationMs
    stats.next = (stats.next + 1) % SAMPLES_PER_ROUTE
  }

  /** One database statement and how long it took (kysely's log hook). */
  recordQuery(query: {sql: string; durationMs: number; failed: boolean}): void {
    this.queryTotals.queries++
    this.queryTotals.totalMs += query.durationMs
    if (query.failed) this.queryTotals.errors++
    let stats = this.statements.get(query.sql)
    if (!stats) {
      if (this.statements.size >= MAX_STATEMENTS) return
      this.statements.set(query.sql, (stats = {count: 0, errors: 0, totalMs: 0, maxMs: 0}))
    }
    stats.count++
    stats.totalMs += query.durationMs
    if (query.durationMs > stats.maxMs) stats.maxMs = query.durationMs
    if (query.failed) stats.errors++
  }

  databaseSummary(limit = 10): DatabaseSummary {
    const round = (ms: number) => Math.round(ms * 1000) / 1000
    const slowest = [...this.statements.entries()]
      .sort(([, a], [, b]) => b.maxMs - a.maxMs)
      .slice(0, limit)
      .map(([sql, stats]) => ({
        sql,
        count: stats.count,
        errors: stats.errors,
        meanMs: round(stats.totalMs / stats.count),
        maxMs: round(stats.maxMs),
      }))
    return {...this.queryTotals, totalMs: round(this.queryTotals.totalMs), slowest}
  }

  /** Everything for /metrics, in the Prometheus text format. */
  async metricsText(): Promise<string> {
    const lines = [
      '# HELP http_request_duration_seconds HTTP request duration by route and status',
      '# TYPE http_request_duration_seconds histogram',
    ]
    for (const series of this.durations.values()) {
      let cumulative = 0
      DURATION_BUCKETS.forEach((bound, index) => {
        cumulative += series.counts[index] as number
        lines.push(`http_request_duration_seconds_bucket{${series.labels},le="${bound}"} ${cumulative}`)
      })
      lines.push(`http_request_duration_seconds_bucket{${series.labels},le="+Inf"} ${series.count}`)
      lines.push(`http_request_duration_seconds_sum{${series.labels}} ${series.sum}`)
      lines.push(`http_request_duration_seconds_count{${series.labels}} ${series.count}`)
    }
    return `${await this.registry.metrics()}\n${lines.join('\n')}\n`
  }

  routeSummary(): Array<{route: string; count: number; errorRate: number; p50: number; p95: number; p99: number}> {
    return [...this.routes.entries()]
      .map(([route, stats]) => {
        const sorted = [...stats.samples].sort((a, b) => a - b)
        const at = (q: number) =>
          Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(3))
        return {
          route,
          count: stats.count,
          errorRate: stats.count === 0 ? 0 : stats.errors / stats.count,
          p50: at(0.5),
          p95: at(0.95),
          p99: at(0.99),
        }
      })
      .sort((a, b) => b.count - a.count)
  }

  /** A pino destination that keeps the latest lines in memory (and passes them on). */
  logStream(next?: {write(line: string): void}): {write(line: string): void} {
    return {
      write: (line: string) => {
        try {
          this.logs.push(JSON.parse(line) as LogLine)
          if (this.logs.length > this.maxLogLines) this.logs.shift()
        } catch {
          // not JSON: nothing to keep
        }
        next?.write(line)
      },
    }
  }

  recentLogs(filter: {level?: number | undefined; text?: string | undefined; limit: number}): LogLine[] {
    const text = filter.text?.toLowerCase()
    return this.logs
      .filter(
        (line) =>
          (filter.level === undefined || line.level >= filter.level) &&
          (!text || JSON.stringify(line).toLowerCase().includes(text)),
      )
      .slice(-filter.limit)
  }

  close(): void {
    this.eventLoop.disable()
  }
}

/** A Prometheus label value: backslash, quote and newline escaped. */
const labelValue = (value: string) =>
  value.replace(/[\\"\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`))

/** Times every request under its route pattern (not its URL, so ids do not explode the labels). */
export function registerRequestMetrics(app: FastifyInstance, observability: Observability): void {
  // A callback hook: an async one costs every request a promise.
  app.addHook('onResponse', (request, reply, done) => {
    observability.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime)
    done()
  })
}
