// One sample of everything the dashboard shows: every service as `status` sees it (the same code), the
// API's own figures (event loop, heap, requests per second, error rate and latency percentiles over
// the last interval, from the deltas of its Prometheus histogram), disk use of the state directory and
// the age of the newest backup. What cannot be read is left out of the sample, never guessed.
import type {MonitoringSnapshot, ServiceSample} from './alerts/rules.js'

/** The part of `status` the collector uses (services/status-services.ts ServiceStatus). */
export interface CollectedStatus {
  name: string
  state: string
  pid: number | null
  port: number
  cpu: number | null
  memoryBytes: number | null
  restarts: number
  uptimeMs: number | null
  health: {ok: boolean; latencyMs: number | null}
  reason?: string
}

export interface ApiReadings {
  /** The Prometheus text of /metrics. */
  metricsText: string
  system: {eventLoop: {meanMs: number; p99Ms: number}; memory: {heapUsedBytes: number; rssBytes: number}}
  routes: Array<{route: string; count: number; errorRate: number; p50: number; p95: number; p99: number}>
  /** What the studio's browsers reported (/api/monitoring/client), when the API has it. */
  client?: {
    errors: {count: number}
    rejectedRequests: {count: number}
    vitals: Record<string, {count: number; p75: number}>
    interactions: Record<string, {attempts: number; successRate: number}>
  }
}

export interface CollectorSources {
  statuses: () => Promise<CollectedStatus[]>
  /** undefined when the API does not answer. */
  api: () => Promise<ApiReadings | undefined>
  disk: () => Promise<{usedBytes: number; totalBytes: number} | undefined>
  backupAgeMs: () => Promise<number | null | undefined>
  now: () => number
}

export interface MetricSample {
  metric: string
  instance: string
  value: number
}

export interface Collected {
  snapshot: MonitoringSnapshot
  statuses: CollectedStatus[]
  routes: ApiReadings['routes']
  samples: MetricSample[]
}

/** Cumulative request counts per histogram bound (seconds), over all routes and statuses. */
interface HistogramTotals {
  time: number
  buckets: Map<number, number>
  count: number
  errors: number
}

export class Collector {
  private previous: HistogramTotals | undefined

  constructor(private readonly sources: CollectorSources) {}

  async collect(): Promise<Collected> {
    const [statuses, api, disk, backupAgeMs] = await Promise.all([
      this.sources.statuses(),
      this.sources.api().catch(() => undefined),
      this.sources.disk().catch(() => undefined),
      this.sources.backupAgeMs().catch(() => undefined),
    ])
    const time = this.sources.now()
    const samples: MetricSample[] = []
    const add = (metric: string, instance: string, value: number | null | undefined) => {
      if (value !== null && value !== undefined && Number.isFinite(value)) samples.push({metric, instance, value})
    }
    const services: ServiceSample[] = statuses.map((status) => {
      add('cpu', status.name, status.cpu)
      add('memory', status.name, status.memoryBytes)
      add('restarts', status.name, status.restarts)
      add('health.latency', status.name, status.health.latencyMs)
      add('up', status.name, status.state === 'running' && status.health.ok ? 1 : 0)
      return {
        name: status.name,
        state: status.state,
        healthy: status.health.ok,
        cpuPercent: status.cpu,
        memoryBytes: status.memoryBytes,
        restarts: status.restarts,
      }
    })
    const snapshot: MonitoringSnapshot = {time, services}
    if (api) {
      const traffic = this.traffic(time, parseHistogram(time, api.metricsText))
      snapshot.api = {
        eventLoopDelayMs: api.system.eventLoop.p99Ms,
        errorRate: traffic?.errorRate ?? 0,
        p95LatencyMs: traffic?.p95Ms ?? 0,
      }
      add('eventLoop.p99', 'api', api.system.eventLoop.p99Ms)
      add('heap', 'api', api.system.memory.heapUsedBytes)
      if (api.client) {
        add('client.errors', 'web', api.client.errors.count)
        add('client.rejected', 'web', api.client.rejectedRequests.count)
        for (const [name, vital] of Object.entries(api.client.vitals)) add(`client.vital.${name}`, 'web', vital.p75)
        for (const [name, interaction] of Object.entries(api.client.interactions))
          add(`client.success.${name}`, 'web', interaction.successRate)
      }
      if (traffic) {
        add('requests.rate', 'api', traffic.perSecond)
        add('errors.rate', 'api', traffic.errorRate)
        add('latency.p50', 'api', traffic.p50Ms)
        add('latency.p95', 'api', traffic.p95Ms)
        add('latency.p99', 'api', traffic.p99Ms)
      }
    }
    if (disk) {
      snapshot.disk = disk
      add('disk.used', 'state-dir', disk.totalBytes > 0 ? disk.usedBytes / disk.totalBytes : null)
    }
    if (backupAgeMs !== undefined) snapshot.backupAgeMs = backupAgeMs
    return {snapshot, statuses, routes: api?.routes ?? [], samples}
  }

  /** Requests per second, error rate and percentiles since the previous sample. */
  private traffic(time: number, totals: HistogramTotals | undefined) {
    const previous = this.previous
    this.previous = totals
    if (!totals || !previous) return undefined
    const count = totals.count - previous.count
    // A restarted API starts its counters again: this interval cannot be compared.
    if (count < 0) return undefined
    const seconds = Math.max(0.001, (time - previous.time) / 1000)
    const deltas = [...totals.buckets.entries()].map(([bound, cumulative]) => ({
      bound,
      cumulative: cumulative - (previous.buckets.get(bound) ?? 0),
    }))
    return {
      perSecond: count / seconds,
      errorRate: count === 0 ? 0 : (totals.errors - previous.errors) / count,
      p50Ms: quantile(deltas, count, 0.5),
      p95Ms: quantile(deltas, count, 0.95),
      p99Ms: quantile(deltas, count, 0.99),
    }
  }
}

const BUCKET_LINE = /^http_request_duration_seconds_bucket\{(.*)\} (\S+)$/
const COUNT_LINE = /^http_request_duration_seconds_count\{(.*)\} (\S+)$/

/** Sums the request histogram of /metrics over routes and methods; 5xx counted apart. */
export function parseHistogram(time: number, text: string): HistogramTotals | undefined {
  const buckets = new Map<number, number>()
  let count = 0
  let errors = 0
  let seen = false
  for (const line of text.split('\n')) {
    const bucket = BUCKET_LINE.exec(line)
    if (bucket) {
      const le = /le="([^"]+)"/.exec(bucket[1] ?? '')?.[1]
      if (le === undefined) continue
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)
      buckets.set(bound, (buckets.get(bound) ?? 0) + Number(bucket[2]))
      seen = true
      continue
    }
    const total = COUNT_LINE.exec(line)
    if (!total) continue
    const value = Number(total[2])
    count += value
    if (/status="5\d\d"/.test(total[1] ?? '')) errors += value
  }
  return seen ? {time, buckets, count, errors} : undefined
}

/** A quantile in milliseconds from cumulative bucket counts, interpolated inside its bucket, as Prometheus does. */
export function quantile(buckets: Array<{bound: number; cumulative: number}>, count: number, q: number): number {
  if (count <= 0) return 0
  const sorted = [...buckets].sort((a, b) => a.bound - b.bound)
  const rank = q * count
  let lowerBound = 0
  let lowerCount = 0
  for (const {bound, cumulative} of sorted) {
    if (cumulative >= rank) {
      // Above the last finite bound all we know is "more than it".
      if (!Number.isFinite(bound)) return lowerBound * 1000
      const inBucket = cumulative - lowerCount
      const fraction = inBucket === 0 ? 0 : (rank - lowerCount) / inBucket
      return (lowerBound + (bound - lowerBound) * fraction) * 1000
    }
    lowerBound = bound
    lowerCount = cumulative
  }
  return lowerBound * 1000
}
