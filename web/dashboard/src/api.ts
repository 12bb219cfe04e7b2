// The dashboard's JSON (src/dashboard/app.ts), typed for the page. Same origin: the dashboard serves
// both, and when it needs its token the browser sends it as the dashboard_token cookie.

export type ServiceState = 'running' | 'starting' | 'stopped' | 'crashed' | 'stale' | 'external'

export interface ServiceStatus {
  name: string
  state: ServiceState
  pid: number | null
  port: number
  cpu: number | null
  memoryBytes: number | null
  restarts: number
  uptimeMs: number | null
  health: {ok: boolean; latencyMs: number | null}
  reason?: string
}

export interface AlertRecord {
  id: number
  alertId: string
  rule: string
  instance: string
  severity: string
  summary: string
  firedAt: number
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  resolvedAt: number | null
}

export interface Silence {
  id: string
  rule?: string
  instance?: string
  startsAt: number
  endsAt: number
  comment: string
}

export interface RouteRow {
  method: string
  path: string
  summary?: string
  calls: number
  errorRate: number
  p50: number
  p95: number
  p99: number
  probe?: {status: number | null; latencyMs: number | null; ok: boolean; at: number; error?: string}
}

export interface NotifierStatus {
  name: string
  breaker: string
  consecutiveFailures: number
  waiting: number
  lastError?: string
  lastSentAt?: number
}

export interface Overview {
  time: number
  services: ServiceStatus[]
  alerts: AlertRecord[]
  notifiers: NotifierStatus[]
  routes: RouteRow[]
}

export interface Point {
  time: number
  value: number
}

export interface MetricSample {
  metric: string
  instance: string
  value: number
}

export interface SampleEvent {
  time: number
  services: ServiceStatus[]
  samples: MetricSample[]
}

export interface LogLine {
  service: string
  time: number
  level: number
  msg: string
  raw: string
}

export const RANGES = ['5m', '15m', '1h', '6h', '24h', '7d'] as const
export type Range = (typeof RANGES)[number]

export const RANGE_MS: Record<Range, number> = {
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
}

/** An answer that is not 2xx: the envelope's message when there is one. */
export class RequestFailed extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: init?.body ? {'content-type': 'application/json'} : undefined,
  })
  const body = (await response.json().catch(() => undefined)) as {error?: {message?: string}} | undefined
  if (!response.ok)
    throw new RequestFailed(response.status, body?.error?.message ?? `${path} answered ${response.status}`)
  return body as T
}

const query = (values: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== '') search.set(key, String(value))
  return search.toString()
}

export const api = {
  overview: () => request<Overview>('/api/overview'),
  series: (metric: string, instance: string, range: Range, signal?: AbortSignal) =>
    request<{points: Point[]}>(`/api/series?${query({metric, instance, range})}`, {signal}),
  alerts: () => request<{alerts: AlertRecord[]}>('/api/alerts?limit=50'),
  acknowledge: (id: number, by: string) =>
    request<{acknowledged: boolean}>(`/api/alerts/${id}/ack`, {method: 'POST', body: JSON.stringify({by})}),
  silences: () => request<{silences: Silence[]}>('/api/silences'),
  addSilence: (silence: {rule?: string; instance?: string; minutes: number; comment: string}) =>
    request<Silence>('/api/silences', {method: 'POST', body: JSON.stringify(silence)}),
  expireSilence: (id: string) =>
    request<{expired: boolean}>(`/api/silences/${encodeURIComponent(id)}`, {method: 'DELETE'}),
  logs: (
    filter: {service?: string; level?: string; q?: string; since?: number; limit?: number},
    signal?: AbortSignal,
  ) => request<{lines: LogLine[]}>(`/api/logs?${query(filter)}`, {signal}),
}
