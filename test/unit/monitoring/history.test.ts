// The dashboard's history in a real SQLite file: points at two resolutions with retention, series
// bucketed to a point budget, the alert history with acknowledgement, silences and events, and all
// of it still there after the file is opened again (a restarted dashboard loses nothing).
import Database from 'better-sqlite3'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {MonitoringHistory} from '../../../src/monitoring/history.js'

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0)
const MINUTE = 60_000
let folder: string
let now = T0
const open = () =>
  new MonitoringHistory({
    file: join(folder, 'monitoring.db'),
    open: (file) => new Database(file),
    retention: {fineMs: 10 * MINUTE, coarseMs: 60 * MINUTE},
    now: () => now,
  })

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'storybook-history-'))
  now = T0
})
afterEach(async () => {
  await rm(folder, {recursive: true, force: true})
})

describe('MonitoringHistory', () => {
  it('keeps 1 s points and minute averages, each for its retention, across a reopen', () => {
    const history = open()
    // Two minutes of one point per second: cpu rising 0..119
    for (let second = 0; second < 120; second++)
      history.record(T0 + second * 1000, [{metric: 'cpu', instance: 'api', value: second}])
    history.close()

    const again = open()
    now = T0 + 2 * MINUTE
    const fine = again.series({metric: 'cpu', instance: 'api', from: T0, to: now, maxPoints: 1000})
    expect(fine).toHaveLength(120)
    expect(fine[5]).toEqual({time: T0 + 5000, value: 5})
    // Bucketed to 4 points of 30 s
    const four = again.series({metric: 'cpu', instance: 'api', from: T0, to: T0 + 2 * MINUTE - 1, maxPoints: 4})
    expect(four).toEqual([
      {time: T0, value: 14.5},
      {time: T0 + 30_000, value: 44.5},
      {time: T0 + 60_000, value: 74.5},
      {time: T0 + 90_000, value: 104.5},
    ])

    // Past the fine retention, a range starting that far back reads the minute averages
    now = T0 + 30 * MINUTE
    again.prune()
    expect(again.series({metric: 'cpu', instance: 'api', from: T0, to: T0 + MINUTE * 2, maxPoints: 1000})).toEqual([
      {time: T0, value: 29.5},
      {time: T0 + MINUTE, value: 89.5},
    ])
    // And past the coarse retention nothing is left
    now = T0 + 2 * 60 * MINUTE
    again.prune()
    expect(again.series({metric: 'cpu', instance: 'api', from: T0, to: now})).toEqual([])
    again.close()
  })

  it('skips values that are not finite numbers', () => {
    const history = open()
    history.record(T0, [
      {metric: 'memory', instance: 'api', value: Number.NaN},
      {metric: 'memory', instance: 'web', value: 5},
    ])
    expect(history.instances('memory')).toEqual(['web'])
    history.close()
  })

  it('records alerts fired, acknowledged and resolved, and closes those a previous run left open', () => {
    const history = open()
    const alert = {
      id: 'service-down/api',
      rule: 'service-down',
      instance: 'api',
      severity: 'critical' as const,
      summary: 'api is down',
      value: 1,
      startsAt: T0,
    }
    history.alertFired(alert)
    const [fired] = history.alerts({openOnly: true})
    expect(fired).toMatchObject({alertId: 'service-down/api', firedAt: T0, acknowledgedAt: null, resolvedAt: null})
    expect(history.acknowledge(fired?.id ?? 0, 'ada', T0 + 5000)).toBe(true)
    expect(history.acknowledge(fired?.id ?? 0, 'bob', T0 + 6000)).toBe(false)
    history.alertResolved({...alert, endsAt: T0 + 60_000})
    expect(history.alerts()[0]).toMatchObject({
      acknowledgedBy: 'ada',
      acknowledgedAt: T0 + 5000,
      resolvedAt: T0 + 60_000,
    })

    history.alertFired({...alert, startsAt: T0 + 120_000})
    history.close()
    const again = open()
    expect(again.closeOpenAlerts(T0 + 200_000)).toBe(1)
    expect(again.alerts({openOnly: true})).toEqual([])
    again.close()
  })

  it('keeps silences until they end, and ends one on request', () => {
    const history = open()
    const silence = history.addSilence(
      {rule: 'service-down', startsAt: T0, endsAt: T0 + 60 * MINUTE, comment: 'upgrading'},
      T0,
    )
    expect(history.silences(T0 + MINUTE)).toEqual([silence])
    expect(history.expireSilence(silence.id, T0 + 2 * MINUTE)).toBe(true)
    expect(history.silences(T0 + 3 * MINUTE)).toEqual([])
    expect(history.expireSilence('nope', T0)).toBe(false)
    history.close()
  })

  it('lists events newest first with their details', () => {
    const history = open()
    history.addEvent({time: T0, kind: 'recovery', subject: 'restarted api', detail: {reason: 'health'}})
    history.addEvent({time: T0 + 1, kind: 'notification', subject: 'sent to hook', detail: {attempt: 1}})
    expect(history.events().map((event) => [event.subject, event.detail])).toEqual([
      ['sent to hook', {attempt: 1}],
      ['restarted api', {reason: 'health'}],
    ])
    history.close()
  })
})
