// The route health table: every operation of the API's OpenAPI document with its calls, error rate and
// latency (from the API's own counters), and a synthetic probe of each safe GET route without path
// parameters, at an interval. A probe answered below 500 is healthy: 401 means the route is there and
// guards itself, which is what an anonymous probe should see.
export interface ProbeResult {
  status: number | null
  latencyMs: number | null
  ok: boolean
  at: number
  error?: string
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
  probe?: ProbeResult
}

interface Operation {
  method: string
  path: string
  summary?: string
}

export interface RouteHealthOptions {
  /** The API's /openapi.json; rejects when the API does not answer. */
  document: () => Promise<unknown>
  /** GETs a path of the API; rejects on a network error. */
  get: (path: string) => Promise<{status: number}>
  now: () => number
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

export class RouteHealth {
  private operations: Operation[] = []
  private readonly probes = new Map<string, ProbeResult>()

  constructor(private readonly options: RouteHealthOptions) {}

  /** Whether the API's document has been read (until then, refresh is worth calling at every sample). */
  get known(): boolean {
    return this.operations.length > 0
  }

  /** Reads the document (until it has been read once) and probes the safe routes. */
  async refresh(): Promise<void> {
    if (this.operations.length === 0) this.operations = operationsOf(await this.options.document())
    const safe = this.operations.filter((operation) => operation.method === 'GET' && !operation.path.includes('{'))
    await Promise.all(safe.map((operation) => this.probe(operation.path)))
  }

  table(
    counters: ReadonlyArray<{route: string; count: number; errorRate: number; p50: number; p95: number; p99: number}>,
  ): RouteRow[] {
    const byRoute = new Map(counters.map((counter) => [counter.route, counter]))
    return this.operations.map((operation) => {
      const counter = byRoute.get(`${operation.method} ${operation.path.replace(/\{([^}]+)\}/g, ':$1')}`)
      const probe = operation.method === 'GET' ? this.probes.get(operation.path) : undefined
      return {
        ...operation,
        calls: counter?.count ?? 0,
        errorRate: counter?.errorRate ?? 0,
        p50: counter?.p50 ?? 0,
        p95: counter?.p95 ?? 0,
        p99: counter?.p99 ?? 0,
        ...(probe ? {probe} : {}),
      }
    })
  }

  private async probe(path: string): Promise<void> {
    const started = performance.now()
    try {
      const {status} = await this.options.get(path)
      const latencyMs = Math.round((performance.now() - started) * 10) / 10
      this.probes.set(path, {status, latencyMs, ok: status < 500, at: this.options.now()})
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.probes.set(path, {status: null, latencyMs: null, ok: false, at: this.options.now(), error: message})
    }
  }
}

export function operationsOf(document: unknown): Operation[] {
  const paths = (document as {paths?: Record<string, Record<string, {summary?: string}>>} | undefined)?.paths ?? {}
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const summary = item[method]?.summary
      return {method: method.toUpperCase(), path, ...(summary ? {summary} : {})}
    }),
  )
}
