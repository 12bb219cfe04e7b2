// Notifications to a real HTTP webhook receiver on 127.0.0.1: Alertmanager's payload and Slack's,
// retries with backoff on a failing receiver, the circuit breaker, and a newer notice replacing one
// still waiting. Time for the retries is passed in.
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {Delivery, type DeliveryAttempt} from '../../../src/monitoring/alerts/delivery.js'
import type {Notification} from '../../../src/monitoring/alerts/dispatcher.js'
import {emailNotifier, slackNotifier, webhookNotifier} from '../../../src/monitoring/alerts/notifiers.js'

let server: Server
let base: string
let received: Array<{path: string; body: unknown}> = []
/** How many requests to answer 500 before answering 200. */
let failuresLeft = 0

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1
        response.writeHead(500).end('down')
        return
      }
      received.push({path: request.url ?? '', body: JSON.parse(body) as unknown})
      response.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  received = []
  failuresLeft = 0
})

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0)
const notification = (group: string, status: 'firing' | 'resolved' = 'firing'): Notification => {
  const alert = {
    id: `${group}/api`,
    rule: group,
    instance: 'api',
    severity: 'critical' as const,
    summary: 'api is down',
    value: 1,
    startsAt: T0,
    ...(status === 'resolved' ? {endsAt: T0 + 60_000} : {}),
  }
  return {
    group: `rule=${group}`,
    status,
    severity: 'critical',
    firing: status === 'firing' ? [alert] : [],
    resolved: status === 'resolved' ? [alert] : [],
    time: T0,
  }
}

describe('webhook delivery', () => {
  it("posts Alertmanager's payload, and Slack's text and colour", async () => {
    const delivery = new Delivery({
      notifiers: [webhookNotifier('hook', `${base}/alerts`), slackNotifier('slack', `${base}/services/T0/B0/secret`)],
      now: () => T0,
    })
    delivery.enqueue(notification('service-down'))
    await delivery.pump()
    expect(received).toEqual([
      {
        path: '/alerts',
        body: {
          version: '4',
          status: 'firing',
          groupKey: 'rule=service-down',
          receiver: 'storybook',
          alerts: [
            {
              status: 'firing',
              labels: {alertname: 'service-down', instance: 'api', severity: 'critical'},
              annotations: {summary: 'api is down'},
              startsAt: '2026-11-30T08:00:00.000Z',
              endsAt: '0001-01-01T00:00:00Z',
              fingerprint: 'service-down/api',
            },
          ],
        },
      },
      {
        path: '/services/T0/B0/secret',
        body: {
          text: '[CRITICAL] 1 alert firing: api is down',
          attachments: [{color: '#d72b3f', text: 'FIRING critical: api is down (since 2026-11-30T08:00:00.000Z)'}],
        },
      },
    ])
  })

  it('retries a failing receiver with backoff until it answers, reporting each attempt', async () => {
    let now = T0
    const attempts: DeliveryAttempt[] = []
    const delivery = new Delivery({
      notifiers: [webhookNotifier('hook', `${base}/alerts`)],
      now: () => now,
      retry: {maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000},
      breaker: {failureThreshold: 10, openMs: 30_000},
      onAttempt: (attempt) => attempts.push(attempt),
    })
    failuresLeft = 2
    delivery.enqueue(notification('service-down'))
    await delivery.pump() // attempt 1 fails: next in 1 s
    now += 999
    await delivery.pump() // not yet
    now += 1
    await delivery.pump() // attempt 2 fails: next in 2 s
    now += 2000
    await delivery.pump() // attempt 3 succeeds
    expect(attempts.map((attempt) => `${attempt.outcome}@${attempt.time - T0}`)).toEqual([
      'retrying@0',
      'retrying@1000',
      'sent@3000',
    ])
    expect(attempts[0]?.error).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/… answered 500$/)
    expect(received).toHaveLength(1)
    expect(delivery.status()).toEqual([
      expect.objectContaining({name: 'hook', breaker: 'closed', waiting: 0, lastSentAt: T0 + 3000}),
    ])
  })

  it('gives up after the last attempt and says so, without throwing', async () => {
    let now = T0
    const attempts: DeliveryAttempt[] = []
    const delivery = new Delivery({
      notifiers: [webhookNotifier('hook', 'http://127.0.0.1:1/unreachable')],
      now: () => now,
      retry: {maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10},
      onAttempt: (attempt) => attempts.push(attempt),
    })
    delivery.enqueue(notification('service-down'))
    await delivery.pump()
    now += 10
    await delivery.pump()
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['retrying', 'gave-up'])
    expect(delivery.status()[0]).toMatchObject({waiting: 0, lastError: expect.stringContaining('127.0.0.1:1')})
  })

  it('opens the breaker after failures in a row, then lets one trial through', async () => {
    let now = T0
    const delivery = new Delivery({
      notifiers: [webhookNotifier('hook', `${base}/alerts`)],
      now: () => now,
      retry: {maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 100},
      breaker: {failureThreshold: 2, openMs: 5000},
    })
    failuresLeft = 2
    delivery.enqueue(notification('service-down'))
    await delivery.pump()
    now += 100
    await delivery.pump()
    expect(delivery.status()[0]).toMatchObject({breaker: 'open', consecutiveFailures: 2, waiting: 1})
    now += 1000
    await delivery.pump() // still open: no request
    expect(received).toHaveLength(0)
    now += 4000
    expect(delivery.status()[0]?.breaker).toBe('half-open')
    await delivery.pump()
    expect(received).toHaveLength(1)
    expect(delivery.status()[0]).toMatchObject({breaker: 'closed', waiting: 0})
  })

  it('replaces a waiting notification of the same group with the newer one', async () => {
    let now = T0
    const delivery = new Delivery({
      notifiers: [webhookNotifier('hook', `${base}/alerts`)],
      now: () => now,
      retry: {maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 1000},
    })
    failuresLeft = 1
    delivery.enqueue(notification('service-down'))
    await delivery.pump()
    delivery.enqueue(notification('service-down', 'resolved'))
    now += 1000
    await delivery.pump()
    expect(received.map((entry) => (entry.body as {status: string}).status)).toEqual(['resolved'])
  })
})

describe('e-mail delivery', () => {
  it('sends subject and lines through the transport, and reports its failure as a retry', async () => {
    const sent: Array<{subject: string; text: string; to: string}> = []
    let fail = true
    const transport = {
      sendMail: async (message: {from: string; to: string; subject: string; text: string}) => {
        if (fail) throw new Error('connect ECONNREFUSED 127.0.0.1:2525')
        sent.push(message)
      },
    }
    let now = T0
    const attempts: DeliveryAttempt[] = []
    const delivery = new Delivery({
      notifiers: [emailNotifier('mail', {transport, from: 'storybook@localhost', to: 'dev@example.test'})],
      now: () => now,
      retry: {maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10},
      onAttempt: (attempt) => attempts.push(attempt),
    })
    delivery.enqueue(notification('service-down', 'resolved'))
    await delivery.pump()
    fail = false
    now += 10
    await delivery.pump()
    expect(attempts.map((attempt) => attempt.error ?? attempt.outcome)).toEqual([
      'mail to dev@example.test: connect ECONNREFUSED 127.0.0.1:2525',
      'sent',
    ])
    expect(sent).toEqual([
      {
        from: 'storybook@localhost',
        to: 'dev@example.test',
        subject: '[RESOLVED] api is down',
        text: 'RESOLVED: api is down (at 2026-11-30T08:01:00.000Z)\n',
      },
    ])
  })
})
