// Drawing `storybook monit`: the full-screen view for a terminal (one frame as lines; the command
// writes them), and the plain lines for a pipe or a log, one per service per round.
import type {ChalkInstance} from 'chalk'
import {formatBytes} from '../../core/output/bytes.js'
import {formatLogLine} from '../../core/output/log-line.js'
import {visibleWidth} from '../../core/output/table.js'
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
export function plainLines(round: Pick<MonitRound, 'time' | 'services' | 'alerts'>): string[] {
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

// eslint-disable-next-line no-control-regex -- the escape character is what a colour code starts with
const ESCAPE_OR_CHARACTER = /\u001B\[[0-9;]*m|[\s\S]/gu

/** The line cut to `width` visible characters (escape codes kept, an ellipsis where it was cut). */
export function fit(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text
  let visible = 0
  let cutAt = 0
  for (const match of text.matchAll(ESCAPE_OR_CHARACTER)) {
    if (!match[0].startsWith('\u001B')) visible += 1
    if (visible === width) break
    cutAt = match.index + match[0].length
  }
  // A reset only where colours were on: a colourless frame stays free of escape codes.
  return `${text.slice(0, cutAt)}…${text.includes('\u001B') ? '\u001B[0m' : ''}`
}

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
  // Sparklines need room: below 96 columns the table alone fits.
  const spark = width >= 96 ? Math.min(30, Math.floor((width - 80) / 2)) : 0
  const columns = (cells: string[]) => cells.join(' ')
  const head = columns([
    '  SERVICE   ',
    'STATE    ',
    'PID'.padStart(7),
    'CPU'.padStart(7),
    'MEMORY'.padStart(9),
    'RESTARTS',
    'HEALTH'.padStart(9),
    ...(spark > 0 ? [` ${'CPU'.padEnd(spark)}`, 'MEMORY'] : []),
  ])
  const title = `storybook monit   ${new Date(round.time).toLocaleTimeString()}   ↑/↓ or j/k: service   q: quit`
  const lines = [style.bold(title), '', style.bold(head)]
  round.services.forEach((service, index) => {
    const trend = round.trends[service.name] ?? {cpu: [], memory: []}
    const row = columns([
      `${index === options.selected ? '▶' : ' '} ${service.name.padEnd(10)}`,
      colour[service.state](service.state.padEnd(9)),
      String(service.pid ?? '-').padStart(7),
      cpu(service).padStart(7),
      memory(service).padStart(9),
      String(service.restarts).padStart(8),
      health(service).padStart(9),
      ...(spark > 0
        ? [` ${style.cyan(sparkline(trend.cpu, spark, 100))}`, style.blue(sparkline(trend.memory, spark))]
        : []),
    ])
    lines.push(index === options.selected ? style.inverse(row) : row)
  })
  const source = round.trendSource === 'dashboard' ? "the dashboard's" : 'sampled by monit since it started'
  lines.push('', style.dim(`history: ${source}`), '', style.bold('Open alerts'), ...alertLines(round, style), '')
  lines.push(style.bold(`Log: ${round.logs.service}`))
  const logRoom = Math.max(1, height - lines.length)
  const logs = round.logs.lines.slice(-logRoom).map((line) => formatLogLine(line, {style, now: round.time}))
  lines.push(...(logs.length === 0 ? [style.dim('(no log yet)')] : logs))
  return lines.slice(0, height).map((line) => fit(line, width))
}

function alertLines(round: MonitRound, style: ChalkInstance): string[] {
  if (round.alerts === null) return [style.dim('no alert history (storybook start dashboard keeps it)')]
  if (round.alerts.length === 0) return [style.green('none open')]
  const shown = round.alerts
    .slice(0, 5)
    .map((alert) => `${style.red(alert.severity)} ${alert.rule} ${alert.instance}: ${alert.summary}`)
  return round.alerts.length > 5 ? [...shown, style.dim(`and ${round.alerts.length - 5} more`)] : shown
}
