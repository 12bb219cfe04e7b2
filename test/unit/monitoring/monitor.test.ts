// The monitor's round with real parts (SQLite history, rules, routing, a delivery to a real HTTP
// receiver) and a scripted collector: an outage fires, is notified, recovered and resolved, each step
// recorded; recovery is rate-limited; a failing collector does not stop it.
import Database from 'better-sqlite3'
import {mkdtemp, rm} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {Delivery} from '../../../src/monitoring/alerts/delivery.js'
import {Dispatcher} from '../../../src/monitoring/alerts/dispatcher.js'
import {AlertEngine} from '../../../src/monitoring/alerts/engine.js'
import {webhookNotifier} from '../../../src/monitoring/alerts/notifiers.js'
import {DEFAULT_RULES} from '../../../src/monitoring/alerts/rules.js'
import type {Collected, CollectedStatus} from '../../../src/monitoring/collector.js'
import {MonitoringHistory} from '../../../src/monitoring/history.js'
import {Monitor, type MonitorUpdate} from '../../../src/monitoring/monitor.js'

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0)
let folder: string
let receiver: Server
let hook: string
let received: Array<{status: string; alerts: Array<{labels: {instance: string}}>}> = []
let now = T0

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'storybook-monitor-'))
  now = T0
  received = []
  receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      received.push(JSON.parse(body) as (typeof received)[number])
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
})
afterEach(async () => {
  await new Promise((resolve) => receiver.close(resolve))
  await rm(folder, {recursive: true, force: true})
})

const status = (state: string, ok: boolean): CollectedStatus => ({
  name: 'api',
  state,
  pid: ok ? 4242 : null,
  port: 8123,
  cpu: 1,
  memoryBytes: 1,
  restarts: 0,
  uptimeMs: 1,
  health: {ok, latencyMs: ok ? 1 : null},
  ...(state === 'crashed' ? {reason: 'crashed 5 times within 60 s'} : {}),
})
const sample = (state: string, ok: boolean): Collected => {
  const api = status(state, ok)
  return {
    snapshot: {
      time: now,
      services: [{name: 'api', state, healthy: ok, cpuPercent: 1, memoryBytes: 1, restarts: 0}],
    },
    statuses: [api],
    routes: [],
    samples: [{metric: 'up', instance: 'api', value: ok ? 1 : 0}],
  }
}

function setUp(script: Array<() => Collected>) {
  const history = new MonitoringHistory({
    file: join(folder, 'monitoring.db'),
    open: (file) => new Database(file),
    now: () => now,
  })
  const restarted: Array<{service: string; port: number}> = []
  const updates: MonitorUpdate[] = []
  const errors: unknown[] = []
  let monitor: Monitor | undefined
  const delivery = new Delivery({
    notifiers: [webhookNotifier('hook', hook)],
    now: () => now,
    onAttempt: (attempt) => monitor?.recordAttempt(attempt),
  })
  monitor = new Monitor({
    collector: {
      collect: async () => {
        const next = script.shift()
        if (!next) throw new Error('the script ran out')
        return next()
      },
    },
    history,
    engine: new AlertEngine(DEFAULT_RULES.filter((rule) => rule.name === 'service-down')),
    dispatcher: new Dispatcher(
      {groupBy: ['rule'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 3_600_000},
      () => history.silences(now),
    ),
    delivery,
    recovery: {
      restartCrashed: async (service, port) => {
        restarted.push({service, port})
        return `started on port ${port}`
      },
      freeDisk: async () => 'nothing to remove',
    },
    limits: {restartsPerWindow: 2, windowMs: 60_000, freeDiskEveryMs: 60_000},
    now: () => now,
    onUpdate: (update) => updates.push(update),
    onError: (error) => errors.push(error),
  })
  return {monitor, history, restarted, updates, errors}
}

describe('Monitor', () => {
  it('fires, notifies, recovers and resolves an outage, recording each step', async () => {
    const {monitor, history, restarted, updates} = setUp([
      () => sample('running', true),
      () => sample('crashed', false),
      () => sample('running', true),
    ])
    await monitor.tick()
    now += 1000
    await monitor.tick()
    expect(history.alerts({openOnly: true}).map((alert) => alert.alertId)).toEqual(['service-down/api'])
    expect(received.map((payload) => payload.status)).toEqual(['firing'])
    expect(restarted).toEqual([{service: 'api', port: 8123}])
    now += 1000
    await monitor.tick()
    expect(history.alerts()[0]).toMatchObject({firedAt: T0 + 1000, resolvedAt: T0 + 2000})
    expect(received.map((payload) => payload.status)).toEqual(['firing', 'resolved'])
    expect(
      history
        .events()
        .map((event) => event.subject)
        .reverse(),
    ).toEqual(['firing notice sent to hook', 'restart api: started on port 8123', 'resolved notice sent to hook'])
    expect(updates.filter((update) => update.type === 'alert')).toHaveLength(2)
    expect(history.series({metric: 'up', instance: 'api', from: T0, to: now}).map((point) => point.value)).toEqual([
      1, 0, 1,
    ])
    history.close()
  })

  it('restarts a crashed service at most as often as its limit allows, and says nothing more', async () => {
    const {monitor, history, restarted} = setUp(Array.from({length: 5}, () => () => sample('crashed', false)))
    for (let round = 0; round < 5; round++) {
      await monitor.tick()
      now += 1000
    }
    expect(restarted).toHaveLength(2)
    history.close()
  })

  it("records the supervisor's own restarts of a service", async () => {
    const restarted = (restarts: number) => () => {
      const collected = sample('running', true)
      ;(collected.statuses[0] as CollectedStatus).restarts = restarts
      return collected
    }
    const {monitor, history} = setUp([restarted(0), restarted(1), restarted(1), restarted(3)])
    for (let round = 0; round < 4; round++) await monitor.tick()
    expect(
      history
        .events()
        .map((event) => event.subject)
        .reverse(),
    ).toEqual(['api was restarted by its supervisor (restart 1)', 'api was restarted by its supervisor (restart 3)'])
    history.close()
  })

  it('goes on after a round that failed, and reports it', async () => {
    const {monitor, history, errors} = setUp([
      () => {
        throw new Error('status failed')
      },
      () => sample('running', true),
    ])
    await monitor.tick()
    await monitor.tick()
    expect(errors.map((error) => (error as Error).message)).toEqual(['status failed'])
    expect(monitor.current?.statuses[0]?.state).toBe('running')
    history.close()
  })
})
