// The collector over the API's real metrics registry: rates and percentiles from the deltas of the
// request histogram between two samples, services as status reports them, and a source that fails
// left out of the sample rather than guessed.
import {describe, expect, it} from 'vitest'
import {Collector, parseHistogram, quantile, type CollectedStatus} from '../../../src/monitoring/collector.js'
import {Observability} from '../../../src/server/plugins/observability.js'

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0)
const running = (name: string, fields: Partial<CollectedStatus> = {}): CollectedStatus => ({
  name,
  state: 'running',
  pid: 4242,
  port: 8000,
  cpu: 12.5,
  memoryBytes: 80_000_000,
  restarts: 1,
  uptimeMs: 1000,
  health: {ok: true, latencyMs: 2.5},
  ...fields,
})

describe('Collector', () => {
  it('turns two samples of the API histogram into rate, error rate and percentiles of the interval', async () => {
    const observability = new Observability()
    let now = T0
    const collector = new Collector({
      statuses: async () => [running('api'), running('web', {state: 'crashed', health: {ok: false, latencyMs: null}})],
      api: async () => ({
        metricsText: await observability.metricsText(),
        system: {eventLoop: {meanMs: 1, p99Ms: 12}, memory: {heapUsedBytes: 5e7, rssBytes: 9e7}},
        routes: observability.routeSummary(),
        client: {
          errors: {count: 2},
          rejectedRequests: {count: 1},
          vitals: {LCP: {count: 3, p75: 1200}},
          interactions: {'pdf-export': {attempts: 4, successRate: 0.75}},
        },
      }),
      disk: async () => ({usedBytes: 30, totalBytes: 100}),
      backupAgeMs: async () => null,
      now: () => now,
    })
    // Traffic before the first sample is not part of any interval
    for (let index = 0; index < 50; index++) observability.record('GET', '/api/stories', 200, 1)
    const first = await collector.collect()
    expect(first.samples.find((sample) => sample.metric === 'requests.rate')).toBeUndefined()
    expect(first.snapshot.api).toEqual({eventLoopDelayMs: 12, errorRate: 0, p95LatencyMs: 0})

    // 10 s with 190 fast requests and 10 slow failures
    for (let index = 0; index < 190; index++) observability.record('GET', '/api/stories/:id', 200, 8)
    for (let index = 0; index < 10; index++) observability.record('POST', '/api/stories', 500, 2000)
    now += 10_000
    const second = await collector.collect()
    const value = (metric: string, instance = 'api') =>
      second.samples.find((sample) => sample.metric === metric && sample.instance === instance)?.value
    expect(value('requests.rate')).toBe(20)
    expect(value('errors.rate')).toBe(0.05)
    // 95% of 200 = 190: the last of the fast ones, in the 5–10 ms bucket
    expect(value('latency.p95')).toBe(10)
    expect(value('latency.p50')).toBeGreaterThan(5)
    expect(value('latency.p50')).toBeLessThanOrEqual(10)
    expect(value('latency.p99')).toBeGreaterThan(1000)
    expect(second.snapshot.api).toEqual({eventLoopDelayMs: 12, errorRate: 0.05, p95LatencyMs: 10})
    expect(value('up', 'api')).toBe(1)
    expect(value('up', 'web')).toBe(0)
    expect(value('cpu', 'api')).toBe(12.5)
    expect(value('disk.used', 'state-dir')).toBe(0.3)
    expect([value('client.errors', 'web'), value('client.vital.LCP', 'web')]).toEqual([2, 1200])
    expect(value('client.success.pdf-export', 'web')).toBe(0.75)
    expect(second.snapshot.services.map((service) => [service.name, service.healthy])).toEqual([
      ['api', true],
      ['web', false],
    ])
    expect(second.snapshot.backupAgeMs).toBeNull()
    observability.close()
  })

  it('leaves out what it cannot read: an API that is down, a disk it cannot stat', async () => {
    const collector = new Collector({
      statuses: async () => [running('api', {state: 'stopped', health: {ok: false, latencyMs: null}, cpu: null})],
      api: async () => {
        throw new Error('connect ECONNREFUSED')
      },
      disk: async () => {
        throw new Error('EACCES')
      },
      backupAgeMs: async () => undefined,
      now: () => T0,
    })
    const collected = await collector.collect()
    expect(collected.snapshot).toEqual({
      time: T0,
      services: [
        {name: 'api', state: 'stopped', healthy: false, cpuPercent: null, memoryBytes: 80_000_000, restarts: 1},
      ],
    })
    expect(collected.samples.map((sample) => sample.metric)).toEqual(['memory', 'restarts', 'up'])
  })

  it('does not compare counters across an API restart', async () => {
    const labels = 'method="GET",route="/",status="200"'
    const histogram = (count: number) =>
      `http_request_duration_seconds_bucket{${labels},le="+Inf"} ${count}\n` +
      `http_request_duration_seconds_count{${labels}} ${count}`
    const texts = [histogram(100), histogram(3)]
    let now = T0
    const collector = new Collector({
      statuses: async () => [],
      api: async () => ({
        metricsText: texts.shift() ?? '',
        system: {eventLoop: {meanMs: 1, p99Ms: 1}, memory: {heapUsedBytes: 1, rssBytes: 1}},
        routes: [],
      }),
      disk: async () => undefined,
      backupAgeMs: async () => undefined,
      now: () => now,
    })
    await collector.collect()
    now += 1000
    const after = await collector.collect()
    expect(after.samples.find((sample) => sample.metric === 'requests.rate')).toBeUndefined()
  })
})

describe('histogram helpers', () => {
  it('sums the histogram over labels and counts 5xx apart', () => {
    const totals = parseHistogram(
      T0,
      [
        'http_request_duration_seconds_bucket{method="GET",route="/a",status="200",le="0.01"} 3',
        'http_request_duration_seconds_bucket{method="GET",route="/a",status="200",le="+Inf"} 4',
        'http_request_duration_seconds_count{method="GET",route="/a",status="200"} 4',
        'http_request_duration_seconds_bucket{method="GET",route="/b",status="503",le="0.01"} 1',
        'http_request_duration_seconds_bucket{method="GET",route="/b",status="503",le="+Inf"} 2',
        'http_request_duration_seconds_count{method="GET",route="/b",status="503"} 2',
      ].join('\n'),
    )
    expect(totals).toEqual({
      time: T0,
      buckets: new Map([
        [0.01, 4],
        [Number.POSITIVE_INFINITY, 6],
      ]),
      count: 6,
      errors: 2,
    })
    expect(parseHistogram(T0, '# no requests yet')).toBeUndefined()
  })

  it('interpolates inside the bucket, and says "at least the last bound" beyond it', () => {
    const buckets = [
      {bound: 0.01, cumulative: 50},
      {bound: 0.1, cumulative: 100},
      {bound: Number.POSITIVE_INFINITY, cumulative: 110},
    ]
    // rank 55: 5 of the 50 between 10 and 100 ms
    expect(quantile(buckets, 110, 0.5)).toBeCloseTo(10 + 90 * (5 / 50), 6)
    expect(quantile(buckets, 110, 0.99)).toBe(100)
    expect(quantile(buckets, 0, 0.5)).toBe(0)
  })
})
