// What `storybook monit` shows each round: every service's live figures (the same code as `status`),
// a short CPU and memory history per service, the last log lines of the selected one, and the open
// alerts. The history comes from the dashboard's database when it has been collecting; otherwise
// from what monit sampled itself since it started.
import type {AlertRecord, MonitoringHistory} from '../../monitoring/history.js'
import type {ServiceStatus} from '../status-services.js'

export interface MonitSources {
  statuses: () => Promise<ServiceStatus[]>
  /** The dashboard's history, read-only; undefined while it has never run (asked again each round). */
  history: () => Pick<MonitoringHistory, 'series' | 'alerts'> | undefined
  logLines: (service: string, count: number) => Promise<string[]>
  now: () => number
}

export interface ServiceTrend {
  cpu: number[]
  memory: number[]
}

export interface MonitRound {
  time: number
  services: ServiceStatus[]
  trends: Record<string, ServiceTrend>
  /** Where the trends come from: the dashboard's history, or monit's own samples. */
  trendSource: 'dashboard' | 'monit'
  logs: {service: string; lines: string[]}
  /** null when there is no history database (the dashboard never ran). */
  alerts: AlertRecord[] | null
}

export interface MonitOptions {
  /** Points per sparkline (one per second). */
  points?: number
  logLines?: number
}

export class MonitSampler {
  private readonly own = new Map<string, ServiceTrend>()
  private readonly points: number
  private readonly logCount: number

  constructor(
    private readonly sources: MonitSources,
    options: MonitOptions = {},
  ) {
    this.points = options.points ?? 60
    this.logCount = options.logLines ?? 10
  }

  async round(selected: string | undefined): Promise<MonitRound> {
    const services = await this.sources.statuses()
    const time = this.sources.now()
    for (const service of services) this.remember(service)
    const history = this.sources.history()
    const stored = history ? this.storedTrends(history, services, time) : undefined
    const service = selected ?? services[0]?.name ?? ''
    return {
      time,
      services,
      trends: stored ?? Object.fromEntries(services.map((entry) => [entry.name, this.ownTrend(entry.name)])),
      trendSource: stored ? 'dashboard' : 'monit',
      logs: {service, lines: service ? await this.sources.logLines(service, this.logCount) : []},
      alerts: history ? history.alerts({openOnly: true, limit: 20}) : null,
    }
  }

  private remember(service: ServiceStatus): void {
    const trend = this.ownTrend(service.name)
    trend.cpu.push(service.cpu ?? 0)
    trend.memory.push(service.memoryBytes ?? 0)
    if (trend.cpu.length > this.points) trend.cpu.shift()
    if (trend.memory.length > this.points) trend.memory.shift()
  }

  private ownTrend(name: string): ServiceTrend {
    let trend = this.own.get(name)
    if (!trend) this.own.set(name, (trend = {cpu: [], memory: []}))
    return trend
  }

  /** The dashboard's last minute, when it holds points for at least one service; else undefined. */
  private storedTrends(
    history: Pick<MonitoringHistory, 'series'>,
    services: ServiceStatus[],
    now: number,
  ): Record<string, ServiceTrend> | undefined {
    const range = {from: now - this.points * 1_000, to: now, maxPoints: this.points}
    const trends = Object.fromEntries(
      services.map((service) => {
        const values = (metric: string) =>
          history.series({metric, instance: service.name, ...range}).map((point) => point.value)
        return [service.name, {cpu: values('cpu'), memory: values('memory')}]
      }),
    )
    return Object.values(trends).some((trend) => trend.cpu.length > 1) ? trends : undefined
  }
}
