// The dashboard as a user runs it: `storybook start api --with-dashboard` in a project, a real webhook
// receiver and a real SMTP server; the API is killed with SIGKILL, and the dashboard must see it, alert
// both receivers, record the supervisor's recovery, and send the resolved notice.
import {mkdir, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {SMTPServer} from 'smtp-server'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {StartedService} from '../../src/services/services.js'
import {createTempProject, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'
import {waitFor} from '../helpers/wait.js'

interface Overview {
  services: Array<{name: string; state: string; pid: number | null; health: {ok: boolean}; restarts: number}>
  alerts: Array<{alertId: string}>
  routes: Array<{method: string; path: string; probe?: {ok: boolean; status: number | null}}>
}
interface AlertmanagerPayload {
  status: string
  alerts: Array<{status: string; labels: {alertname: string; instance: string}}>
}

let project: TempProject
let env: Record<string, string>
let dashboard: string
let hooks: Server
let smtp: SMTPServer
const webhooks: AlertmanagerPayload[] = []
const mails: string[] = []

const getJson = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${dashboard}${path}`)
  if (!response.ok) throw new Error(`${path} answered ${response.status}`)
  return (await response.json()) as T
}

beforeAll(async () => {
  hooks = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      webhooks.push(JSON.parse(body) as AlertmanagerPayload)
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve))
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let text = ''
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
      stream.on('end', () => {
        mails.push(text)
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))

  project = await createTempProject()
  const [apiPort, dashboardPort] = [await freePort(), await freePort()]
  env = {
    API_PORT: String(apiPort),
    DASHBOARD_PORT: String(dashboardPort),
    MONITOR_INTERVAL_MS: '250',
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/alerts`,
    ALERT_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    ALERT_EMAIL_TO: 'dev@example.test',
  }
  dashboard = `http://127.0.0.1:${dashboardPort}`
  // The project's own routing: no wait before the first notice, a short interval before the resolved one.
  await mkdir(join(project.root, 'src', 'monitoring'), {recursive: true})
  await writeFile(
    join(project.root, 'src', 'monitoring', 'alert-rules.json'),
    JSON.stringify({disable: ['backup-old'], routing: {groupWaitMs: 0, groupIntervalMs: 1000}}),
  )
  await project.run(['setup-project', '--skip-install'])
}, 120_000)

afterAll(async () => {
  await project.run(['stop', '--timeout', '5'], {env})
  await project.cleanup()
  await new Promise((resolve) => hooks.close(resolve))
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

describe('storybook start --with-dashboard', () => {
  it('starts the dashboard beside the API and shows both, with the route table from the OpenAPI document', async () => {
    const started = await project.run<{services: StartedService[]}>(['start', 'api', '--with-dashboard', '--json'], {
      env,
      timeoutMs: 90_000,
    })
    expect(started.exitCode, started.stderr).toBe(0)
    expect(started.json?.services.map((service) => service.name)).toEqual(['api', 'dashboard'])

    const overview = await waitFor('both services running in the overview', async () => {
      const current = await getJson<Overview>('/api/overview')
      return current.services.filter((service) => service.state === 'running' && service.health.ok).length === 2 &&
        current.routes.some((route) => route.method === 'GET' && route.path === '/api/stories' && route.probe)
        ? current
        : undefined
    })
    expect(overview.services.map((service) => [service.name, service.state])).toEqual([
      ['api', 'running'],
      ['web', 'stopped'],
      ['dashboard', 'running'],
    ])
    expect(overview.routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: 'GET',
          path: '/api/stories',
          probe: expect.objectContaining({ok: true, status: 401}),
        }),
        expect.objectContaining({method: 'POST', path: '/api/auth/register'}),
      ]),
    )
    expect(overview.alerts).toEqual([])

    const logs = await getJson<{lines: Array<{service: string; msg: string}>}>('/api/logs?service=api&q=listening')
    expect(logs.lines.length).toBeGreaterThan(0)
    expect(logs.lines.every((line) => line.service === 'api' && /listening/i.test(line.msg))).toBe(true)
  }, 120_000)

  it('sees the API killed, alerts the webhook and the mail server, and sends the resolved notice after the restart', async () => {
    const before = await getJson<Overview>('/api/overview')
    const api = before.services.find((service) => service.name === 'api')
    expect(api?.pid).toBeGreaterThan(1)
    process.kill(api?.pid as number, 'SIGKILL')

    const firing = await waitFor('the firing notice at the webhook', async () =>
      webhooks.find(
        (payload) =>
          payload.status === 'firing' && payload.alerts.some((alert) => alert.labels.alertname === 'service-down'),
      ),
    )
    expect(firing.alerts[0]?.labels.instance).toBe('api')
    const mail = await waitFor('the alert e-mail', async () => mails.find((text) => /api is down/.test(text)))
    expect(mail).toMatch(/^To: dev@example\.test/m)
    expect(mail).toMatch(/^Subject: \[CRITICAL\] 1 alert firing: api is down/m)

    await waitFor('the resolved notice at the webhook', async () =>
      webhooks.find((payload) => payload.status === 'resolved') ? true : undefined,
    )
    const history = await getJson<{alerts: Array<{alertId: string; firedAt: number; resolvedAt: number | null}>}>(
      '/api/alerts',
    )
    const outage = history.alerts.find((alert) => alert.alertId === 'service-down/api')
    expect(outage?.resolvedAt).toBeGreaterThanOrEqual(outage?.firedAt ?? Number.POSITIVE_INFINITY)
    const after = await getJson<Overview>('/api/overview')
    expect(after.services.find((service) => service.name === 'api')).toMatchObject({state: 'running', restarts: 1})
    const events = await getJson<{events: Array<{subject: string}>}>('/api/events')
    expect(events.events.map((event) => event.subject)).toEqual(
      expect.arrayContaining([
        'firing notice sent to webhook',
        'firing notice sent to email',
        'resolved notice sent to webhook',
      ]),
    )
  }, 120_000)

  it('keeps its history across its own restart, and is stopped by storybook stop', async () => {
    const restarted = await project.run(['restart', 'dashboard'], {env, timeoutMs: 60_000})
    expect(restarted.exitCode, restarted.stderr).toBe(0)
    const history = await waitFor('the alert history after a restart', async () => {
      const answer = await getJson<{alerts: Array<{alertId: string}>}>('/api/alerts')
      return answer.alerts.length > 0 ? answer : undefined
    })
    expect(history.alerts.map((alert) => alert.alertId)).toContain('service-down/api')
    const stopped = await project.run(['stop'], {env, timeoutMs: 60_000})
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    await expect(fetch(`${dashboard}/health`)).rejects.toThrow()
  }, 120_000)
})
