// Alert rules: what is measured, the threshold it must pass, how long it must hold, and how severe it
// is. The defaults below are what a developer's machine needs; a project can change them in
// monitoring/alerts.json (read and validated by loadAlertRules).

/** What the collector knows at one moment: the input of every rule. */
export interface MonitoringSnapshot {
  time: number
  services: ServiceSample[]
  api?: {eventLoopDelayMs: number; errorRate: number; p95LatencyMs: number}
  disk?: {usedBytes: number; totalBytes: number}
  /** Age of the newest valid backup; null when there is none. */
  backupAgeMs?: number | null
}

export interface ServiceSample {
  name: string
  /** running, stopped, crashed, stale… as status reports it. */
  state: string
  /** Whether it answered its health URL at this sample. */
  healthy: boolean
  cpuPercent: number | null
  memoryBytes: number | null
  /** Restarts since it was started (the supervisor's counter). */
  restarts: number
}

export const SEVERITIES = ['critical', 'warning', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export const METRICS = [
  'service.down',
  'service.restarts',
  'service.cpu',
  'service.memory',
  'api.eventLoopDelay',
  'api.errorRate',
  'api.p95Latency',
  'disk.used',
  'backup.age',
] as const
export type MetricName = (typeof METRICS)[number]

export interface AlertRule {
  /** Unique, kebab-case: what silences and the history refer to. */
  name: string
  metric: MetricName
  /** Fires when the value is above this (service.down: 1 when down, so 0.5). */
  threshold: number
  /** How long the condition must hold before the alert fires (0: at once). */
  forMs: number
  /** service.restarts counts restarts within this window. */
  windowMs?: number
  severity: Severity
  /** Which services a service.* rule watches; all when absent. */
  services?: string[]
  /** One line for people; {instance}, {value} and {threshold} are filled in. */
  summary: string
}

const MINUTE = 60_000
const MB = 1024 * 1024

export const DEFAULT_RULES: readonly AlertRule[] = [
  {
    name: 'service-down',
    metric: 'service.down',
    threshold: 0.5,
    forMs: 0,
    severity: 'critical',
    summary: '{instance} is down',
  },
  {
    name: 'service-restarting',
    metric: 'service.restarts',
    threshold: 2,
    forMs: 0,
    windowMs: 10 * MINUTE,
    severity: 'warning',
    summary: '{instance} restarted {value} times in 10 minutes',
  },
  {
    name: 'service-cpu',
    metric: 'service.cpu',
    threshold: 90,
    forMs: 2 * MINUTE,
    severity: 'warning',
    summary: '{instance} uses {value}% CPU (above {threshold}% for 2 minutes)',
  },
  {
    name: 'service-memory',
    metric: 'service.memory',
    threshold: 1024 * MB,
    forMs: MINUTE,
    severity: 'warning',
    summary: '{instance} uses {value} of memory',
  },
  {
    name: 'api-event-loop-delay',
    metric: 'api.eventLoopDelay',
    threshold: 200,
    forMs: MINUTE,
    severity: 'warning',
    summary: "The API's event loop is {value} ms late",
  },
  {
    name: 'api-error-rate',
    metric: 'api.errorRate',
    threshold: 0.05,
    forMs: MINUTE,
    severity: 'critical',
    summary: 'The API answers {value} of requests with a 5xx',
  },
  {
    name: 'api-latency-p95',
    metric: 'api.p95Latency',
    threshold: 1000,
    forMs: 2 * MINUTE,
    severity: 'warning',
    summary: "The API's p95 latency is {value} ms",
  },
  {
    name: 'disk-full',
    metric: 'disk.used',
    threshold: 0.9,
    forMs: 0,
    severity: 'critical',
    summary: 'The disk of the state directory is {value} full',
  },
  {
    name: 'backup-old',
    metric: 'backup.age',
    threshold: 7 * 24 * 60 * MINUTE,
    forMs: 0,
    severity: 'info',
    summary: 'No backup in the last 7 days (newest: {value}; storybook db backup makes one)',
  },
]

export interface RuleProblem {
  rule: string
  field: string
  problem: string
}

/** Checks rules read from a file (a claim like any other input): every problem, not only the first. */
export function validateRules(input: unknown): {rules: AlertRule[]; problems: RuleProblem[]} {
  const problems: RuleProblem[] = []
  if (!Array.isArray(input)) return {rules: [], problems: [{rule: '(file)', field: 'rules', problem: 'must be a list'}]}
  const rules: AlertRule[] = []
  const seen = new Set<string>()
  input.forEach((raw: unknown, index) => {
    const rule = (raw ?? {}) as Partial<Record<keyof AlertRule, unknown>>
    const label = typeof rule.name === 'string' && rule.name !== '' ? rule.name : `#${index + 1}`
    const problem = (field: string, text: string) => problems.push({rule: label, field, problem: text})
    const before = problems.length
    if (typeof rule.name !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.name)) problem('name', 'kebab-case text')
    else if (seen.has(rule.name)) problem('name', 'used by another rule')
    if (!METRICS.includes(rule.metric as MetricName)) problem('metric', `one of ${METRICS.join(', ')}`)
    if (typeof rule.threshold !== 'number' || !Number.isFinite(rule.threshold)) problem('threshold', 'a number')
    if (typeof rule.forMs !== 'number' || !(rule.forMs >= 0)) problem('forMs', 'milliseconds, 0 or more')
    if (rule.windowMs !== undefined && (typeof rule.windowMs !== 'number' || !(rule.windowMs > 0)))
      problem('windowMs', 'milliseconds, more than 0')
    if (rule.metric === 'service.restarts' && rule.windowMs === undefined) problem('windowMs', 'required for restarts')
    if (!SEVERITIES.includes(rule.severity as Severity)) problem('severity', `one of ${SEVERITIES.join(', ')}`)
    if (
      rule.services !== undefined &&
      !(Array.isArray(rule.services) && rule.services.every((s) => typeof s === 'string'))
    )
      problem('services', 'a list of service names')
    if (typeof rule.summary !== 'string' || rule.summary === '') problem('summary', 'text')
    if (problems.length === before) {
      rules.push(rule as AlertRule)
      seen.add(rule.name as string)
    }
  })
  return {rules, problems}
}
