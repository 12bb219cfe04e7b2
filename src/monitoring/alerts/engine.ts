// Rule evaluation, as Prometheus does it: each rule gives a value per instance (a service, or the API)
// at every snapshot; above the threshold the alert is pending, and it fires once the condition has
// held for the rule's duration. It resolves at the first snapshot where the condition is false.
import {formatBytes} from '../../core/output/bytes.js'
import type {AlertRule, MetricName, MonitoringSnapshot, Severity} from './rules.js'

export interface Alert {
  /** rule/instance: the same alert across snapshots. */
  id: string
  rule: string
  instance: string
  severity: Severity
  summary: string
  value: number
  startsAt: number
  endsAt?: number
}

export interface AlertTransition {
  kind: 'firing' | 'resolved'
  alert: Alert
}

interface Reading {
  instance: string
  value: number
}

export class AlertEngine {
  private readonly pendingSince = new Map<string, number>()
  private readonly firing = new Map<string, Alert>()
  /** Restart counters seen per service, for counts within a window. */
  private readonly restarts = new Map<string, Array<{time: number; restarts: number}>>()

  constructor(private readonly rules: readonly AlertRule[]) {}

  /** The alerts firing now. */
  active(): Alert[] {
    return [...this.firing.values()]
  }

  evaluate(snapshot: MonitoringSnapshot): AlertTransition[] {
    this.recordRestarts(snapshot)
    const transitions: AlertTransition[] = []
    for (const rule of this.rules) {
      const breaching = new Map<string, number>()
      for (const reading of this.read(rule, snapshot)) {
        if (reading.value > rule.threshold) breaching.set(`${rule.name}/${reading.instance}`, reading.value)
      }
      for (const [id, value] of breaching) {
        const since = this.pendingSince.get(id) ?? snapshot.time
        this.pendingSince.set(id, since)
        const current = this.firing.get(id)
        if (current) {
          current.value = value
          current.summary = summarize(rule, current.instance, value)
        } else if (snapshot.time - since >= rule.forMs) {
          const instance = id.slice(rule.name.length + 1)
          const alert: Alert = {
            id,
            rule: rule.name,
            instance,
            severity: rule.severity,
            summary: summarize(rule, instance, value),
            value,
            startsAt: snapshot.time,
          }
          this.firing.set(id, alert)
          transitions.push({kind: 'firing', alert: {...alert}})
        }
      }
      for (const id of [...this.pendingSince.keys()]) {
        if (!id.startsWith(`${rule.name}/`) || breaching.has(id)) continue
        this.pendingSince.delete(id)
        const alert = this.firing.get(id)
        if (!alert) continue
        this.firing.delete(id)
        transitions.push({kind: 'resolved', alert: {...alert, endsAt: snapshot.time}})
      }
    }
    return transitions
  }

  private recordRestarts(snapshot: MonitoringSnapshot): void {
    const longest = Math.max(0, ...this.rules.map((rule) => rule.windowMs ?? 0))
    for (const service of snapshot.services) {
      const seen = this.restarts.get(service.name) ?? []
      // A counter that went down belongs to a new start: what came before is not comparable.
      const last = seen.at(-1)
      const kept =
        last && service.restarts < last.restarts ? [] : seen.filter((entry) => snapshot.time - entry.time <= longest)
      kept.push({time: snapshot.time, restarts: service.restarts})
      this.restarts.set(service.name, kept)
    }
  }

  private read(rule: AlertRule, snapshot: MonitoringSnapshot): Reading[] {
    const services = snapshot.services.filter((service) => !rule.services || rule.services.includes(service.name))
    const perService = (value: (service: (typeof services)[number]) => number | null): Reading[] =>
      services.flatMap((service) => {
        const reading = value(service)
        return reading === null ? [] : [{instance: service.name, value: reading}]
      })
    switch (rule.metric) {
      case 'service.down':
        // A service someone stopped is not down, nor one on its first start; one meant to run that does
        // not answer is, also while its supervisor starts it again after a crash.
        return perService((service) => (isDown(service) ? 1 : 0))
      case 'service.restarts':
        return perService((service) => {
          const window = (this.restarts.get(service.name) ?? []).filter(
            (entry) => snapshot.time - entry.time <= (rule.windowMs ?? 0),
          )
          return service.restarts - Math.min(...window.map((entry) => entry.restarts), service.restarts)
        })
      case 'service.cpu':
        return perService((service) => service.cpuPercent)
      case 'service.memory':
        return perService((service) => service.memoryBytes)
      case 'api.eventLoopDelay':
        return snapshot.api ? [{instance: 'api', value: snapshot.api.eventLoopDelayMs}] : []
      case 'api.errorRate':
        return snapshot.api ? [{instance: 'api', value: snapshot.api.errorRate}] : []
      case 'api.p95Latency':
        return snapshot.api ? [{instance: 'api', value: snapshot.api.p95LatencyMs}] : []
      case 'disk.used':
        return snapshot.disk && snapshot.disk.totalBytes > 0
          ? [{instance: 'state-dir', value: snapshot.disk.usedBytes / snapshot.disk.totalBytes}]
          : []
      case 'backup.age':
        return snapshot.backupAgeMs === undefined
          ? []
          : [{instance: 'backups', value: snapshot.backupAgeMs ?? Number.POSITIVE_INFINITY}]
    }
  }
}

function isDown(service: MonitoringSnapshot['services'][number]): boolean {
  if (service.healthy || service.state === 'stopped') return false
  return !(service.state === 'starting' && service.restarts === 0)
}

/** The rule's summary with {instance}, {value} and {threshold} filled in, in the metric's unit. */
export function summarize(rule: AlertRule, instance: string, value: number): string {
  const format = (number: number) => formatValue(rule.metric, number)
  return rule.summary
    .replaceAll('{instance}', instance)
    .replaceAll('{value}', format(value))
    .replaceAll('{threshold}', format(rule.threshold))
}

function formatValue(metric: MetricName, value: number): string {
  if (!Number.isFinite(value)) return metric === 'backup.age' ? 'none' : String(value)
  switch (metric) {
    case 'service.memory':
      return formatBytes(value)
    case 'api.errorRate':
    case 'disk.used':
      return `${(value * 100).toFixed(1)}%`
    case 'backup.age':
      return value >= 86_400_000
        ? `${Math.floor(value / 86_400_000)} days old`
        : `${Math.round(value / 3_600_000)} hours old`
    case 'service.cpu':
      return value.toFixed(0)
    default:
      return String(Math.round(value))
  }
}
