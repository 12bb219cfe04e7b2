// storybook monit's parts with time and sources passed in: sparklines, the sampler's choice between
// the dashboard's history (a real SQLite file) and its own samples, the plain lines and the frame.
import Database from 'better-sqlite3'
import {Chalk} from 'chalk'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {MonitoringHistory} from '../../../src/monitoring/history.js'
import {fit, plainLines, renderScreen, sparkline} from '../../../src/services/monit/render.js'
import {MonitSampler, type MonitSources} from '../../../src/services/monit/sampler.js'
import type {ServiceStatus} from '../../../src/services/status-services.js'
import {visibleWidth} from '../../../src/core/output/table.js'

const NOW = 1_800_000_000_000

const status = (name: string, fields: Partial<ServiceStatus> = {}): ServiceStatus => ({
  name,
  state: 'running',
  pid: 100,
  port: 8000,
  uptimeMs: 1000,
  cpu: 10,
  memoryBytes: 50 * 1024 * 1024,
  restarts: 0,
  health: {ok: true, latencyMs: 2.5},
  ready: null,
  mode: 'background',
  ...fields,
})

let folder: string
let history: MonitoringHistory | undefined
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'monit-'))
})
afterEach(async () => {
  history?.close()
  history = undefined
  await rm(folder, {recursive: true, force: true})
})

function sources(overrides: Partial<MonitSources> & {cpu?: number[]}): MonitSources {
  const cpu = [...(overrides.cpu ?? [10])]
  let time = NOW
  return {
    statuses: async () => [status('api', {cpu: cpu.shift() ?? 0}), status('web', {state: 'stopped', cpu: null})],
    history: () => undefined,
    logLines: async (service) => [`${service} line`],
    now: () => (time += 1000),
    ...overrides,
  }
}

describe('sparkline', () => {
  it('scales bars to the largest value or the given maximum, and pads to the width', () => {
    expect(sparkline([0, 50, 100], 3)).toBe('▁▅█')
    expect(sparkline([0, 50, 100], 5)).toBe('  ▁▅█')
    expect(sparkline([25, 25], 2, 100)).toBe('▃▃')
    expect(sparkline([1, 2, 3, 4], 2)).toBe('▆█')
    expect(sparkline([], 3)).toBe('   ')
  })
})

describe('MonitSampler', () => {
  it('builds the trends from its own samples while there is no dashboard history', async () => {
    const sampler = new MonitSampler(sources({cpu: [10, 20, 30]}), {points: 2})
    await sampler.round(undefined)
    await sampler.round(undefined)
    const round = await sampler.round('web')
    expect(round.trendSource).toBe('monit')
    expect(round.trends.api?.cpu).toEqual([20, 30])
    expect(round.trends.web?.cpu).toEqual([0, 0])
    expect(round.logs).toEqual({service: 'web', lines: ['web line']})
    expect(round.alerts).toBeNull()
  })

  it("uses the dashboard's points and open alerts when its history has them", async () => {
    history = new MonitoringHistory({
      file: join(folder, 'monitoring.db'),
      open: (file) => new Database(file),
      now: () => NOW,
    })
    for (let second = 10; second >= 1; second--)
      history.record(NOW - second * 1000, [
        {metric: 'cpu', instance: 'api', value: second},
        {metric: 'memory', instance: 'api', value: 1000 * second},
      ])
    history.alertFired({
      id: 'service-down/web',
      rule: 'service-down',
      instance: 'web',
      severity: 'critical',
      summary: 'web is down',
      value: 1,
      startsAt: NOW - 5000,
    })
    const stored = history
    const sampler = new MonitSampler(sources({history: () => stored, now: () => NOW}), {points: 60})
    const round = await sampler.round(undefined)
    expect(round.trendSource).toBe('dashboard')
    expect(round.trends.api?.cpu).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    expect(round.trends.web?.cpu).toEqual([])
    expect(round.alerts?.map((alert) => alert.summary)).toEqual(['web is down'])
    expect(round.logs.service).toBe('api')
  })
})

describe('rendering', () => {
  it('plain lines carry the figures and no escape codes', async () => {
    const round = await new MonitSampler(sources({})).round(undefined)
    const lines = plainLines(round)
    expect(lines).toEqual([
      `${new Date(NOW + 1000).toISOString()} api running pid=100 cpu=10.0% memory=50.0MB restarts=0 health=2.5ms`,
      `${new Date(NOW + 1000).toISOString()} web stopped pid=100 cpu=- memory=50.0MB restarts=0 health=2.5ms`,
    ])
    expect(lines.join('\n')).not.toMatch(/\u001B/)
  })

  it('the frame marks the selected service, fits the height and shows the log and alerts', async () => {
    const round = await new MonitSampler(sources({})).round('web')
    const frame = renderScreen(round, {selected: 1, width: 120, height: 14, style: new Chalk({level: 0})})
    expect(frame.length).toBeLessThanOrEqual(14)
    expect(frame.find((line) => line.startsWith('▶'))).toMatch(/^▶ web\s+stopped/)
    expect(frame).toContain('Log: web')
    expect(frame).toContain('web line')
    expect(frame.join('\n')).toContain('no alert history')
  })

  it('no line is wider than the terminal, colours or not; sparklines only where they fit', async () => {
    const round = await new MonitSampler(
      sources({logLines: async () => [JSON.stringify({level: 30, time: NOW, msg: 'x'.repeat(300)})]}),
    ).round('api')
    for (const level of [0, 1] as const)
      for (const width of [60, 95, 140]) {
        const frame = renderScreen(round, {selected: 0, width, height: 30, style: new Chalk({level})})
        for (const line of frame) expect(visibleWidth(line), line).toBeLessThanOrEqual(width)
        expect(frame.some((line) => line.includes('▁'))).toBe(width >= 96)
      }
    const frame = renderScreen(round, {selected: 0, width: 60, height: 30, style: new Chalk({level: 0})})
    expect(frame.at(-1)).toMatch(/INFO +x+…$/) // the pino line shown readable, cut
    expect(frame.join('\n')).not.toMatch(/\u001B/)
  })

  it('fit cuts by visible characters and keeps escape codes whole', () => {
    const red = new Chalk({level: 1}).red
    expect(fit('abcdef', 6)).toBe('abcdef')
    expect(fit('abcdef', 4)).toBe('abc…')
    expect(fit(red('abcdef'), 4)).toBe(`${red('abcdef').slice(0, 5)}abc…\u001B[0m`)
    expect(visibleWidth(fit(`${red('ab')}cdef`, 3))).toBe(3)
  })
})
