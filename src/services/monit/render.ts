// Drawing `storybook monit`: the full-screen view for a terminal (one frame as lines; the command
// writes them), and the plain lines for a pipe or a log, one per service per round.
import type {ChalkInstance} from 'chalk'
import {formatBytes} from '../../core/output/bytes.js'
import type {ServiceStatus} from '../status-services.js'
import type {MonitRound} from './sampler.js'

const BARS = '▁▂▃▄▅▆▇█'

/** The last `width` values as bars, scaled from 0 to the largest value (or to `max` when given). */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const shown = values.slice(-width)
  const top = max ?? Math.max(0, ...shown)
  const bars = shown.map((value) => {
    if (!(top > 0) || !(value > 0)) return BARS[0]
    return BARS[Math.min(BARS.length - 1, Math.round((value / top) * (BARS.length - 1)))]
  })
  return bars.join('').padStart(width, ' ')
}

const cpu = (service: ServiceStatus) => (service.cpu === null ? '-' : `${service.cpu.toFixed(1)}%`)
const memory = (service: ServiceStatus) => (service.memoryBytes === null ? '-' : formatBytes(service.memoryBytes))
const health = (service: ServiceStatus) =>
  service.health.ok ? `${service.health.latencyMs ?? '?'} ms` : service.state === 'stopped' ? '-' : 'no answer'

/** One line per service, with no escape codes: for pipes, logs and tests. */
export function plainLines(round: MonitRound): string[] {
  const time = new Date(round.time).toISOString()
  const lines = round.services.map(
    (service) =>
      `${time} ${service.name} ${service.state} pid=${service.pid ?? '-'} cpu=${cpu(service)} ` +
      `memory=${memory(service).replace(' ', '')} restarts=${service.restarts} health=${health(service).replace(' ', '')}`,
  )
  for (const alert of round.alerts ?? [])
    lines.push(
      `${time} alert ${alert.rule} ${alert.instance} ${alert.severity} fired=${new Date(alert.firedAt).toISOString()}`,
    )
  return lines
}

export interface ScreenOptions {
  selected: number
  width: number
  height: number
  style: ChalkInstance
}

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text)

/** The full-screen frame: services with sparklines, the selected service's log, the open alerts. */
export function renderScreen(round: MonitRound, options: ScreenOptions): string[] {
  const {style, width, height} = options
  const colour: Record<ServiceStatus['state'], (text: string) => string> = {
    running: style.green,
    starting: style.yellow,
    stopped: style.dim,
    crashed: style.red,
    stale: style.yellow,
    external: style.magenta,
  }
  const spark = Math.max(8, Math.min(30, Math.floor((width - 80) / 2)))
  const head =
    `  ${'SERVICE'.padEnd(10)} ${'STATE'.padEnd(9)} ${'PID'.padStart(7)} ${'CPU'.padStart(7)} ${'MEMORY'.padStart(9)} ` +
    `${'RESTARTS'.padStart(8)} ${'HEALTH'.padStart(9)}  ${'CPU'.padEnd(spark)} MEMORY`
  const lines = [
    style.bold(
      cut(`storybook monit   ${new Date(round.time).toLocaleTimeString()}   ↑/↓ or j/k: service   q: quit`, width),
    ),
    '',
    style.bold(cut(head, width)),
  ]
  round.services.forEach((service, index) => {
    const trend = round.trends[service.name] ?? {cpu: [], memory: []}
    const marker = index === options.selected ? '▶ ' : '  '
    const row =
      `${service.name.padEnd(10)} ${colour[service.state](service.state.padEnd(9))} ${String(service.pid ?? '-').padStart(7)} ` +
      `${cpu(service).padStart(7)} ${memory(service).padStart(9)} ${String(service.restarts).padStart(8)} ` +
      `${health(service).padStart(9)}  ${style.cyan(sparkline(trend.cpu, spark, 100))} ${style.blue(sparkline(trend.memory, spark))}`
    lines.push(index === options.selected ? style.inverse(`${marker}${row}`) : `${marker}${row}`)
  })
  lines.push(
    '',
    style.dim(
      `history: ${round.trendSource === 'dashboard' ? "the dashboard's" : 'sampled by monit since it started'}`,
    ),
  )
  const alerts = round.alerts
  const alertLines =
    alerts === null
      ? [style.dim('no alert history (storybook start dashboard keeps it)')]
      : alerts.length === 0
        ? [style.green('none open')]
        : alerts.map((alert) => `${style.red(alert.severity)} ${alert.rule} ${alert.instance}: ${alert.summary}`)
  lines.push('', style.bold('Open alerts'), ...alertLines.slice(0, 5).map((line) => cut(line, width)))
  const logRoom = Math.max(1, height - lines.length - 2)
  lines.push('', style.bold(`Log: ${round.logs.service}`))
  const logs = round.logs.lines.length === 0 ? [style.dim('(no log yet)')] : round.logs.lines.slice(-logRoom)
  lines.push(...logs.map((line) => cut(line, width)))
  return lines.slice(0, height)
}
