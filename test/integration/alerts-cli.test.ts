// storybook alerts list|test|silence|ack through the built CLI, with no dashboard running: the rules in
// effect (defaults and the project's file), the notifiers without their secrets, the history read from
// the dashboard's SQLite file, silences and acknowledgements written to it, and test notifications sent
// to a real webhook receiver and a real SMTP server.
import Database from 'better-sqlite3'
import {mkdir, stat, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {SMTPServer} from 'smtp-server'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import type {ErrorDocument} from '../../src/core/errors.js'
import type {Silence} from '../../src/monitoring/alerts/dispatcher.js'
import {MonitoringHistory, type AlertRecord} from '../../src/monitoring/history.js'
import type {AlertsOverview, NotifierTestResult} from '../../src/services/alerts.js'
import {createTempProject, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'
import {waitFor} from '../helpers/wait.js'

let project: TempProject
let hooks: Server
let hookStatus = 200
let smtp: SMTPServer
const webhooks: Array<{path: string; body: {alerts: Array<{labels: {alertname: string}}>}}> = []
const mails: string[] = []

beforeAll(async () => {
  hooks = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      webhooks.push({path: request.url ?? '', body: JSON.parse(body) as (typeof webhooks)[number]['body']})
      response.statusCode = hookStatus
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
})

afterAll(async () => {
  await new Promise((resolve) => hooks.close(resolve))
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

beforeEach(async () => {
  project = await createTempProject()
  hookStatus = 200
  webhooks.length = 0
  mails.length = 0
  const setup = await project.run(['setup-project', '--skip-install'])
  expect(setup.exitCode, setup.stderr).toBe(0)
})
afterEach(() => project.cleanup())

const hookUrl = (path: string) => `http://127.0.0.1:${(hooks.address() as AddressInfo).port}${path}`
const smtpUrl = () => `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`
const historyFile = () => join(project.stateDir, 'data', 'monitoring.db')
/** The history as the dashboard opens it (the same class, read and write). */
const dashboardHistory = () => new MonitoringHistory({file: historyFile(), open: (file) => new Database(file)})

async function writeRules(rules: unknown): Promise<void> {
  await mkdir(join(project.root, 'src', 'monitoring'), {recursive: true})
  await writeFile(join(project.root, 'src', 'monitoring', 'alert-rules.json'), JSON.stringify(rules))
}

describe('storybook alerts list', () => {
  it('shows the default rules and says how to start the dashboard when there is no history yet', async () => {
    const listed = await project.run<AlertsOverview>(['alerts', 'list', '--json'])
    expect(listed.exitCode, listed.stderr).toBe(0)
    expect(listed.json?.rules.map((rule) => rule.name)).toContain('service-down')
    expect(listed.json?.rules.every((rule) => rule.source === 'default')).toBe(true)
    expect(listed.json).toMatchObject({notifiers: [], history: null, rulesFile: null})

    const text = await project.run(['alerts', 'list'])
    expect(text.exitCode, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/service-cpu\s+service\.cpu\s+> 90% CPU\s+2m\s+warning\s+default/)
    expect(text.stdout).toMatch(/service-restarting\s+service\.restarts\s+> 2 restarts in 10m/)
    expect(text.stdout).toContain('No alert history yet')
    expect(text.stdout).toContain('storybook start dashboard')
    expect(text.stdout).toContain('ALERT_WEBHOOK_URL')
  })

  it("merges the project's rules file and shows notifiers without their secrets", async () => {
    await writeRules({
      disable: ['backup-old'],
      rules: [
        {
          name: 'service-cpu',
          metric: 'service.cpu',
          threshold: 50,
          forMs: 30_000,
          severity: 'critical',
          summary: 'hot',
        },
        {name: 'slow-api', metric: 'api.p95Latency', threshold: 300, forMs: 0, severity: 'info', summary: 'slow'},
      ],
    })
    const env = {
      ALERT_WEBHOOK_URL: 'https://hooks.example.test/secret-token-123/alerts',
      ALERT_SMTP_URL: 'smtp://user:mail-password@mail.example.test:587',
      ALERT_EMAIL_TO: 'team@example.test',
    }
    const listed = await project.run<AlertsOverview>(['alerts', 'list', '--json'], {env})
    expect(listed.exitCode, listed.stderr).toBe(0)
    const rules = listed.json?.rules ?? []
    expect(rules.find((rule) => rule.name === 'service-cpu')).toMatchObject({threshold: 50, source: 'file'})
    expect(rules.find((rule) => rule.name === 'slow-api')).toMatchObject({source: 'file'})
    expect(rules.some((rule) => rule.name === 'backup-old')).toBe(false)
    expect(listed.json?.notifiers).toEqual([
      {name: 'webhook', target: 'https://hooks.example.test/…'},
      {name: 'email', target: 'team@example.test via smtp://mail.example.test:587'},
    ])
    const text = await project.run(['alerts', 'list'], {env})
    expect(text.stdout).toMatch(/service-cpu\s+service\.cpu\s+> 50% CPU\s+30s\s+critical\s+file/)
    for (const output of [listed.stdout, text.stdout, text.stderr]) {
      expect(output).not.toContain('secret-token-123')
      expect(output).not.toContain('mail-password')
    }
  })

  it('reports every problem of an invalid rules file as CONFIG_INVALID', async () => {
    await writeRules({
      disable: ['no-such-rule'],
      rules: [{name: 'Bad Name', metric: 'cpu', threshold: 'high', forMs: -1, severity: 'loud', summary: ''}],
    })
    const listed = await project.run<ErrorDocument>(['alerts', 'list', '--json'])
    expect(listed.exitCode).toBe(3)
    expect(listed.json?.error.code).toBe('CONFIG_INVALID')
    const problems = listed.json?.error.details.problems as string[]
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('name must be kebab-case'),
        expect.stringContaining('metric must be one of'),
        expect.stringContaining('threshold must be a number'),
        expect.stringContaining('forMs must be'),
        expect.stringContaining('severity must be one of'),
        expect.stringContaining('summary must be text'),
        'disable: no-such-rule is not a default rule',
      ]),
    )
    const text = await project.run(['alerts', 'list'])
    expect(text.exitCode).toBe(3)
    expect(text.stderr).toContain('no-such-rule is not a default rule')
    expect(text.stderr).toContain('severity must be one of')
  })

  it('shows open and past alerts from the history, and ack records who saw one', async () => {
    const history = dashboardHistory()
    const firedAt = Date.now() - 60_000
    const alert = {rule: 'service-down', instance: 'api', severity: 'critical' as const, value: 1}
    history.alertFired({...alert, id: 'service-down/api', summary: 'api is down', startsAt: firedAt - 600_000})
    history.alertResolved({...alert, id: 'service-down/api', summary: 'api is down', startsAt: 0, endsAt: firedAt - 1})
    history.alertFired({...alert, id: 'service-down/api', summary: 'api is down', startsAt: firedAt})
    history.close()

    const listed = await project.run<AlertsOverview>(['alerts', 'list', '--json'])
    expect(listed.exitCode, listed.stderr).toBe(0)
    expect(listed.json?.history?.open).toHaveLength(1)
    expect(listed.json?.history?.recent).toHaveLength(2)
    const open = listed.json?.history?.open[0] as AlertRecord
    expect(open).toMatchObject({rule: 'service-down', firedAt, resolvedAt: null, acknowledgedAt: null})

    const acked = await project.run<{alert: AlertRecord}>(['alerts', 'ack', String(open.id), '--by', 'anna', '--json'])
    expect(acked.exitCode, acked.stderr).toBe(0)
    expect(acked.json?.alert).toMatchObject({id: open.id, acknowledgedBy: 'anna'})
    const again = await project.run<ErrorDocument>(['alerts', 'ack', String(open.id), '--json'])
    expect(again.json?.error.code).toBe('CONFLICT')
    const unknown = await project.run<ErrorDocument>(['alerts', 'ack', '999', '--json'])
    expect(unknown.json?.error.code).toBe('NOT_FOUND')

    const text = await project.run(['alerts', 'list'])
    expect(text.stdout).toContain('Open alerts')
    expect(text.stdout).toMatch(
      new RegExp(`${open.id}\\s+service-down\\s+api\\s+critical\\s+\\S+ \\S+\\s+\\S+ \\S+ by anna\\s+-`),
    )
  })
})

describe('storybook alerts silence', () => {
  it('writes a silence the dashboard reads, lists it, and expires it', async () => {
    const created = await project.run<{silence: Silence}>([
      'alerts',
      'silence',
      'service-down',
      '--instance',
      'api',
      '--for',
      '30m',
      '--comment',
      'deploying',
      '--json',
    ])
    expect(created.exitCode, created.stderr).toBe(0)
    const silence = created.json?.silence as Silence
    expect(silence).toMatchObject({rule: 'service-down', instance: 'api', comment: 'deploying'})
    expect(silence.endsAt - silence.startsAt).toBe(30 * 60_000)
    expect((await stat(historyFile())).mode & 0o777).toBe(0o600)

    // What a running dashboard reads every round.
    const history = dashboardHistory()
    expect(history.silences(Date.now()).map((active) => active.id)).toEqual([silence.id])
    history.close()

    const listed = await project.run<{silences: Silence[]}>(['alerts', 'silence', '--list', '--json'])
    expect(listed.json?.silences.map((active) => active.id)).toEqual([silence.id])
    const text = await project.run(['alerts', 'silence', '--list'])
    expect(text.stdout).toMatch(new RegExp(`${silence.id}\\s+service-down\\s+api\\s+.*deploying`))

    const expired = await project.run(['alerts', 'silence', '--expire', silence.id])
    expect(expired.exitCode, expired.stderr).toBe(0)
    const after = dashboardHistory()
    expect(after.silences(Date.now())).toEqual([])
    after.close()
    const twice = await project.run<ErrorDocument>(['alerts', 'silence', '--expire', silence.id, '--json'])
    expect(twice.json?.error.code).toBe('NOT_FOUND')
  })

  it('refuses an unknown rule naming the closest one, and a bad duration', async () => {
    const unknown = await project.run<ErrorDocument>(['alerts', 'silence', 'servce-down', '--for', '1h', '--json'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.json?.error).toMatchObject({code: 'USAGE', reason: 'Did you mean service-down?'})
    const text = await project.run(['alerts', 'silence', 'servce-down'])
    expect(text.stderr).toContain('storybook alerts silence service-down --for 30m')
    const instance = await project.run<ErrorDocument>([
      'alerts',
      'silence',
      'service-down',
      '--instance',
      'apii',
      '--json',
    ])
    expect(instance.exitCode).toBe(2)
    expect(instance.json?.error.reason).toMatch(/^Did you mean api\? Its instances: api, web, dashboard/)
    const disk = await project.run<ErrorDocument>(['alerts', 'silence', 'disk-full', '--instance', 'api', '--json'])
    expect(disk.json?.error.details.instances).toEqual(['state-dir'])
    const duration = await project.run<ErrorDocument>(['alerts', 'silence', 'service-down', '--for', 'soon', '--json'])
    expect(duration.json?.error.code).toBe('USAGE')
    expect(duration.json?.error.message).toContain('30m, 2h or 1d')
  })

  it('lists no silences without a history file and does not create one to do so, nor to ack or expire', async () => {
    const listed = await project.run<{silences: Silence[]}>(['alerts', 'silence', '--list', '--json'])
    expect(listed.exitCode, listed.stderr).toBe(0)
    expect(listed.json?.silences).toEqual([])
    const expire = await project.run<ErrorDocument>(['alerts', 'silence', '--expire', 'abc', '--json'])
    const ack = await project.run<ErrorDocument>(['alerts', 'ack', '1', '--json'])
    for (const refused of [expire, ack]) {
      expect(refused.exitCode).toBe(4)
      expect(refused.json?.error.next).toContain('npx storybook start dashboard')
    }
    await expect(stat(historyFile())).rejects.toThrow(/ENOENT/)
  })
})

describe('storybook alerts test', () => {
  it('sends a test notification to a real webhook receiver and a real SMTP server', async () => {
    const env = {ALERT_WEBHOOK_URL: hookUrl('/hook'), ALERT_SMTP_URL: smtpUrl(), ALERT_EMAIL_TO: 'dev@example.test'}
    const sent = await project.run<{results: NotifierTestResult[]}>(['alerts', 'test', '--json'], {env})
    expect(sent.exitCode, sent.stderr).toBe(0)
    expect(sent.json?.results).toEqual([
      {notifier: 'webhook', outcome: 'sent', attempts: 1},
      {notifier: 'email', outcome: 'sent', attempts: 1},
    ])
    expect(webhooks.map((hook) => [hook.path, hook.body.alerts[0]?.labels.alertname])).toEqual([['/hook', 'test']])
    expect(mails).toHaveLength(1)
    expect(mails[0]).toContain('To: dev@example.test')
    expect(mails[0]).toContain('A test notification from storybook alerts test')
  })

  it('says which notifier failed and why, and exits EXTERNAL_FAILED', async () => {
    hookStatus = 500
    const env = {ALERT_WEBHOOK_URL: hookUrl('/broken'), ALERT_SMTP_URL: smtpUrl(), ALERT_EMAIL_TO: 'dev@example.test'}
    const text = await project.run(['alerts', 'test'], {env})
    expect(text.exitCode).toBe(7)
    expect(text.stdout).toMatch(/failed\s+webhook \(http:\/\/127\.0\.0\.1:\d+\/…\): .*answered 500/)
    expect(text.stdout).toMatch(/sent\s+email/)
    expect(text.stderr).toContain('1 of 2 notifiers failed: webhook')
    expect(webhooks).toHaveLength(2) // tried again once
    const json = await project.run<ErrorDocument>(['alerts', 'test', '--json'], {env})
    expect(json.exitCode).toBe(7)
    expect(json.json?.error.code).toBe('EXTERNAL_FAILED')
    expect(json.json?.error.details.results).toEqual(
      expect.arrayContaining([expect.objectContaining({notifier: 'webhook', outcome: 'failed'})]),
    )
  })

  it('names the variables to set when no notifier is configured', async () => {
    const none = await project.run<ErrorDocument>(['alerts', 'test', '--json'])
    expect(none.exitCode).toBe(3)
    expect(none.json?.error.code).toBe('CONFIG_INVALID')
    expect(none.json?.error.next?.join('\n')).toContain('storybook env setup --set ALERT_WEBHOOK_URL=')
  })
})

describe('a silence written while the dashboard runs', () => {
  it('holds back the notices of the running dashboard at once, and they go out when it is expired', async () => {
    const [apiPort, dashboardPort] = [await freePort(), await freePort()]
    const env = {
      API_PORT: String(apiPort),
      DASHBOARD_PORT: String(dashboardPort),
      MONITOR_INTERVAL_MS: '250',
      ALERT_WEBHOOK_URL: hookUrl('/running'),
    }
    // One rule that fires as soon as the API runs; the defaults stay quiet on a fresh project or are off.
    await writeRules({
      disable: ['backup-old', 'disk-full', 'service-down', 'service-restarting'],
      rules: [
        {
          name: 'api-uses-memory',
          metric: 'service.memory',
          threshold: 1,
          forMs: 0,
          severity: 'info',
          services: ['api'],
          summary: 'm',
        },
      ],
      routing: {groupWaitMs: 0, groupIntervalMs: 250},
    })
    const notices = () => webhooks.filter((hook) => hook.body.alerts[0]?.labels.alertname === 'api-uses-memory')
    try {
      const dashboard = await project.run(['start', 'dashboard'], {env, timeoutMs: 60_000})
      expect(dashboard.exitCode, dashboard.stderr).toBe(0)
      const silenced = await project.run<{silence: Silence}>(
        ['alerts', 'silence', 'api-uses-memory', '--instance', 'api', '--for', '1h', '--json'],
        {env},
      )
      expect(silenced.exitCode, silenced.stderr).toBe(0)
      const api = await project.run(['start', 'api'], {env, timeoutMs: 60_000})
      expect(api.exitCode, api.stderr).toBe(0)

      const fired = await waitFor('the alert in the history', async () => {
        const listed = await project.run<AlertsOverview>(['alerts', 'list', '--json'], {env})
        return listed.json?.history?.open.find((alert) => alert.rule === 'api-uses-memory')
      })
      // Rounds run one after another: a point two seconds past the firing was recorded by a round that
      // began after the firing round had sent whatever it was going to send.
      await waitFor('two more seconds of rounds', async () => {
        const series = (await (
          await fetch(`http://127.0.0.1:${dashboardPort}/api/series?metric=up&instance=api&range=5m`)
        ).json()) as {points: Array<{time: number}>}
        return series.points.some((point) => point.time >= fired.firedAt + 2000) ? true : undefined
      })
      expect(notices()).toEqual([])

      const expired = await project.run(['alerts', 'silence', '--expire', silenced.json!.silence.id], {env})
      expect(expired.exitCode, expired.stderr).toBe(0)
      await waitFor('the firing notice once the silence ended', async () => (notices().length > 0 ? true : undefined))
      expect(notices()[0]?.path).toBe('/running')
      const listed = await waitFor('the notice in the history', async () => {
        const text = await project.run(['alerts', 'list'], {env})
        return text.stdout.includes('firing notice sent to webhook') ? text.stdout : undefined
      })
      expect(listed).toContain('Last notification attempts')
      expect(listed).toContain('Notifiers: webhook (http://127.0.0.1:')
    } finally {
      await project.run(['stop', '--timeout', '5'], {env})
    }
  }, 120_000)
})
