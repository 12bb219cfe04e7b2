// The dashboard's HTTP side through app.inject, on a real SQLite history: the token beyond this
// machine, validation of the chart and log queries, acknowledgements and silences, and merged logs.
import Database from 'better-sqlite3'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {FastifyInstance} from 'fastify'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {buildDashboard} from '../../../src/dashboard/app.js'
import {RouteHealth} from '../../../src/dashboard/route-health.js'
import {Delivery} from '../../../src/monitoring/alerts/delivery.js'
import {Dispatcher, DEFAULT_ROUTING} from '../../../src/monitoring/alerts/dispatcher.js'
import {AlertEngine} from '../../../src/monitoring/alerts/engine.js'
import {MonitoringHistory} from '../../../src/monitoring/history.js'
import {Monitor} from '../../../src/monitoring/monitor.js'

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0)
const TOKEN = 'a-token-that-is-long-enough-for-the-rule-0123456789'
let folder: string
let history: MonitoringHistory
let app: FastifyInstance

const LOGS: Record<string, string[]> = {
  api: [
    JSON.stringify({level: 30, time: T0 + 1000, msg: 'Server listening'}),
    JSON.stringify({level: 50, time: T0 + 3000, msg: 'export failed'}),
    '    at render (pdf.js:1:1)',
  ],
  web: [JSON.stringify({level: 30, time: T0 + 2000, msg: 'VITE ready'})],
}

async function build(token?: string): Promise<FastifyInstance> {
  const now = () => T0 + 10_000
  const delivery = new Delivery({notifiers: [], now})
  const monitor = new Monitor({
    collector: {collect: async () => ({snapshot: {time: now(), services: []}, statuses: [], routes: [], samples: []})},
    history,
    engine: new AlertEngine([]),
    dispatcher: new Dispatcher(DEFAULT_ROUTING, () => []),
    delivery,
    now,
  })
  return buildDashboard({
    history,
    monitor,
    delivery,
    routeHealth: new RouteHealth({document: async () => ({paths: {}}), get: async () => ({status: 200}), now}),
    logLines: async (service) => LOGS[service] ?? [],
    services: ['api', 'web'],
    ...(token ? {token} : {}),
    now,
    subscribe: () => () => {},
  })
}

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'storybook-dashboard-app-'))
  history = new MonitoringHistory({
    file: join(folder, 'monitoring.db'),
    open: (file) => new Database(file),
    now: () => T0,
  })
  app = await build()
})
afterEach(async () => {
  await app.close()
  history.close()
  await rm(folder, {recursive: true, force: true})
})

describe('the dashboard app', () => {
  it('asks for its token on every request but /health when it has one (header or cookie)', async () => {
    const guarded = await build(TOKEN)
    try {
      expect((await guarded.inject({url: '/health'})).statusCode).toBe(200)
      const refused = await guarded.inject({url: '/api/overview'})
      expect(refused.statusCode).toBe(401)
      expect(refused.json().error.code).toBe('UNAUTHORIZED')
      expect((await guarded.inject({url: '/api/overview', headers: {authorization: 'Bearer wrong'}})).statusCode).toBe(
        401,
      )
      expect(
        (await guarded.inject({url: '/api/overview', headers: {authorization: `Bearer ${TOKEN}`}})).statusCode,
      ).toBe(200)
      expect(
        (await guarded.inject({url: '/api/alerts', headers: {cookie: `dashboard_token=${TOKEN}`}})).statusCode,
      ).toBe(200)
    } finally {
      await guarded.close()
    }
  })

  it('refuses a chart query without metric and instance, or with an unknown range', async () => {
    expect((await app.inject({url: '/api/series?metric=cpu'})).statusCode).toBe(400)
    expect((await app.inject({url: '/api/series?metric=cpu&instance=api&range=2y'})).statusCode).toBe(400)
    history.record(T0 + 5000, [{metric: 'cpu', instance: 'api', value: 12}])
    const series = await app.inject({url: '/api/series?metric=cpu&instance=api&range=5m'})
    expect(series.json().points).toEqual([{time: T0 + 5000, value: 12}])
  })

  it('merges logs by time, keeps a stack line with its record, and filters by level and text', async () => {
    const all = (await app.inject({url: '/api/logs'}))
      .json()
      .lines.map((line: {service: string; msg: string}) => line.msg)
    expect(all).toEqual(['Server listening', 'VITE ready', 'export failed', '    at render (pdf.js:1:1)'])
    const errors = (await app.inject({url: '/api/logs?level=error&service=api'})).json().lines
    expect(errors.map((line: {msg: string}) => line.msg)).toEqual(['export failed'])
    const text = (await app.inject({url: '/api/logs?q=VITE'})).json().lines
    expect(text.map((line: {service: string}) => line.service)).toEqual(['web'])
    for (const bad of ['/api/logs?level=toString', '/api/logs?level=loud', '/api/logs?service=db'])
      expect((await app.inject({url: bad})).statusCode, bad).toBe(400)
  })

  it('acknowledges an alert once, and creates and expires silences', async () => {
    history.alertFired({
      id: 'service-down/api',
      rule: 'service-down',
      instance: 'api',
      severity: 'critical',
      summary: 'api is down',
      value: 1,
      startsAt: T0,
    })
    const id = history.alerts()[0]?.id
    const ack = await app.inject({method: 'POST', url: `/api/alerts/${id}/ack`, payload: {by: 'anna'}})
    expect(ack.statusCode).toBe(200)
    expect((await app.inject({method: 'POST', url: `/api/alerts/${id}/ack`, payload: {by: 'bob'}})).statusCode).toBe(
      404,
    )
    expect(history.alerts()[0]?.acknowledgedBy).toBe('anna')

    expect((await app.inject({method: 'POST', url: '/api/silences', payload: {minutes: 0}})).statusCode).toBe(400)
    const silence = await app.inject({
      method: 'POST',
      url: '/api/silences',
      payload: {rule: 'service-down', minutes: 30, comment: 'deploy'},
    })
    expect(silence.json()).toMatchObject({rule: 'service-down', endsAt: T0 + 10_000 + 30 * 60_000, comment: 'deploy'})
    expect((await app.inject({url: '/api/silences'})).json().silences).toHaveLength(1)
    expect((await app.inject({method: 'DELETE', url: `/api/silences/${silence.json().id}`})).statusCode).toBe(200)
    expect((await app.inject({method: 'DELETE', url: `/api/silences/${silence.json().id}`})).statusCode).toBe(404)
  })

  it('says the page is not built when there is none, rather than a blank 404', async () => {
    const page = await app.inject({url: '/'})
    expect(page.statusCode).toBe(503)
    expect(page.body).toContain('npm run build')
  })
})
