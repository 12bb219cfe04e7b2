// Where notifications go: a webhook with Alertmanager's JSON (any receiver that speaks it), a
// Slack-compatible webhook ({text, attachments}), or e-mail (the transport is passed in, so that the
// dashboard loads nodemailer only when e-mail is configured).
import type {Notification} from './dispatcher.js'
import type {Alert} from './engine.js'

export interface Notifier {
  /** Shown in the history and in `alerts list`. */
  name: string
  send(notification: Notification): Promise<void>
}

/** A webhook or mail server that answered badly: the delivery is retried. */
export class NotifierError extends Error {}

const TIMEOUT_MS = 10_000

async function post(url: string, body: unknown, fetchImpl: typeof fetch): Promise<void> {
  let response: Response
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (error) {
    throw new NotifierError(`${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`)
  }
  await response.arrayBuffer().catch(() => undefined)
  if (!response.ok) throw new NotifierError(`${redactUrl(url)} answered ${response.status}`)
}

/** Webhook URLs carry their secret in the path (Slack's do): show the host only. */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`
  } catch {
    return 'the webhook URL'
  }
}

const iso = (time: number | undefined) => (time === undefined ? '0001-01-01T00:00:00Z' : new Date(time).toISOString())

/** Alertmanager's webhook payload (version 4), so that existing receivers understand it. */
export function alertmanagerPayload(notification: Notification) {
  const entry = (alert: Alert, status: 'firing' | 'resolved') => ({
    status,
    labels: {alertname: alert.rule, instance: alert.instance, severity: alert.severity},
    annotations: {summary: alert.summary},
    startsAt: iso(alert.startsAt),
    endsAt: iso(alert.endsAt),
    fingerprint: alert.id,
  })
  return {
    version: '4',
    status: notification.status,
    groupKey: notification.group,
    receiver: 'storybook',
    alerts: [
      ...notification.firing.map((alert) => entry(alert, 'firing')),
      ...notification.resolved.map((alert) => entry(alert, 'resolved')),
    ],
  }
}

export function describeNotification(notification: Notification): {subject: string; lines: string[]} {
  const count = notification.firing.length
  const subject =
    notification.status === 'firing'
      ? `[${notification.severity.toUpperCase()}] ${count} alert${count === 1 ? '' : 's'} firing: ${notification.firing[0]?.summary ?? ''}`
      : `[RESOLVED] ${notification.resolved.map((alert) => alert.summary).join('; ')}`
  const lines = [
    ...notification.firing.map((alert) => `FIRING ${alert.severity}: ${alert.summary} (since ${iso(alert.startsAt)})`),
    ...notification.resolved.map((alert) => `RESOLVED: ${alert.summary} (at ${iso(alert.endsAt)})`),
  ]
  return {subject, lines}
}

export function webhookNotifier(name: string, url: string, fetchImpl: typeof fetch = fetch): Notifier {
  return {name, send: (notification) => post(url, alertmanagerPayload(notification), fetchImpl)}
}

const SLACK_COLOURS = {critical: '#d72b3f', warning: '#e8a33d', info: '#3d8be8', resolved: '#2eb67d'}

export function slackNotifier(name: string, url: string, fetchImpl: typeof fetch = fetch): Notifier {
  return {
    name,
    send: (notification) => {
      const {subject, lines} = describeNotification(notification)
      const colour = notification.status === 'resolved' ? SLACK_COLOURS.resolved : SLACK_COLOURS[notification.severity]
      return post(url, {text: subject, attachments: [{color: colour, text: lines.join('\n')}]}, fetchImpl)
    },
  }
}

/** What an e-mail notifier needs of a mail transport (nodemailer's sendMail has this shape). */
export interface MailTransport {
  sendMail(message: {from: string; to: string; subject: string; text: string}): Promise<unknown>
}

export function emailNotifier(name: string, options: {transport: MailTransport; from: string; to: string}): Notifier {
  return {
    name,
    send: async (notification) => {
      const {subject, lines} = describeNotification(notification)
      try {
        await options.transport.sendMail({from: options.from, to: options.to, subject, text: `${lines.join('\n')}\n`})
      } catch (error) {
        throw new NotifierError(`mail to ${options.to}: ${error instanceof Error ? error.message : String(error)}`)
      }
    },
  }
}
