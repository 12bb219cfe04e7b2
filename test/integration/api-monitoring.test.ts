// What the API tells its dashboard about the database: every statement timed, the slowest listed
// (SQLite and PostgreSQL); and a PostgreSQL server that goes away and comes back: the API answers
// 503 meanwhile, never crashes, and serves again without a restart.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createTestApp, LUNA, type TestApp} from '../helpers/api.js'
import {createDatabase, startPostgres, type PostgresCluster} from '../helpers/postgres.js'

interface DatabaseTimings {
  queries: number
  errors: number
  totalMs: number
  slowest: Array<{sql: string; count: number; errors: number; meanMs: number; maxMs: number}>
}

let cluster: PostgresCluster
beforeAll(async () => {
  cluster = await startPostgres()
}, 120_000)
afterAll(() => cluster.stop())

describe.each(['sqlite', 'postgres'] as const)('database timings on %s', (dialect) => {
  let api: TestApp
  beforeAll(async () => {
    const env =
      dialect === 'postgres' ? {DATABASE_URL: await createDatabase(cluster.url(), `timings_${Date.now()}`)} : undefined
    api = await createTestApp(env ? {env} : {})
  }, 60_000)
  afterAll(async () => api.close())

  it('counts every statement and lists the slowest with their worst and mean times', async () => {
    const {headers} = await api.register()
    for (let index = 0; index < 3; index++) {
      const created = await api.app.inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})
      expect(created.statusCode, created.body).toBe(201)
    }
    expect((await api.app.inject({method: 'GET', url: '/api/characters', headers})).statusCode).toBe(200)
    const answer = await api.app.inject({method: 'GET', url: '/api/monitoring/database'})
    expect(answer.statusCode).toBe(200)
    const timings = answer.json<DatabaseTimings>()
    expect(timings.queries).toBeGreaterThan(5)
    expect(timings.slowest.length).toBeGreaterThan(0)
    expect(timings.slowest.length).toBeLessThanOrEqual(10)
    const insert = timings.slowest.find((statement) => /^insert into "characters"/i.test(statement.sql))
    expect(insert).toMatchObject({count: 3, errors: 0})
    // Worst first, and every mean within its worst
    const worst = timings.slowest.map((statement) => statement.maxMs)
    expect(worst).toEqual([...worst].sort((a, b) => b - a))
    for (const statement of timings.slowest) expect(statement.meanMs).toBeLessThanOrEqual(statement.maxMs)
    // Parameters stay out: the statement is its SQL with placeholders
    expect(JSON.stringify(timings)).not.toContain(LUNA.name)
  })

  it('answers this machine only', async () => {
    const remote = await api.app.inject({method: 'GET', url: '/api/monitoring/database', remoteAddress: '203.0.113.9'})
    expect(remote.statusCode).toBe(404)
  })
})

describe('a PostgreSQL server that goes away and comes back', () => {
  it('answers 503 while it is away, and serves again once it is back, without a restart', async () => {
    const url = await createDatabase(cluster.url(), `reconnect_${Date.now()}`)
    const api = await createTestApp({env: {DATABASE_URL: url}})
    try {
      const {headers} = await api.register()
      expect((await api.app.inject({method: 'GET', url: '/api/characters', headers})).statusCode).toBe(200)

      cluster.pause()
      const away = await api.app.inject({method: 'GET', url: '/api/characters', headers})
      expect(away.statusCode, away.body).toBe(503)
      expect(away.json<{error: {code: string}}>().error.code).toBe('DATABASE_UNAVAILABLE')
      expect(away.headers['retry-after']).toBe('5')
      const ready = await api.app.inject({method: 'GET', url: '/ready'})
      expect(ready.statusCode).toBe(503)

      cluster.resume()
      const back = await api.app.inject({method: 'GET', url: '/api/characters', headers})
      expect(back.statusCode, back.body).toBe(200)
      expect((await api.app.inject({method: 'GET', url: '/ready'})).statusCode).toBe(200)
    } finally {
      await api.close()
    }
  }, 120_000)
})
