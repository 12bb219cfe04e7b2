// The notifiers the configuration asks for: ALERT_WEBHOOK_URL (Alertmanager JSON),
// ALERT_SLACK_WEBHOOK_URL, and e-mail through ALERT_SMTP_URL to ALERT_EMAIL_TO.
import type {AppConfig} from '../../core/config/load.js'
import {emailNotifier, slackNotifier, webhookNotifier, type MailTransport, type Notifier} from './notifiers.js'

export async function notifiersFromConfig(
  config: Pick<AppConfig, 'alerts'>,
  createTransport: (smtpUrl: string) => Promise<MailTransport> = smtpTransport,
): Promise<Notifier[]> {
  const {webhookUrl, slackWebhookUrl, smtpUrl, emailTo, emailFrom} = config.alerts
  const notifiers: Notifier[] = []
  if (webhookUrl) notifiers.push(webhookNotifier('webhook', webhookUrl))
  if (slackWebhookUrl) notifiers.push(slackNotifier('slack', slackWebhookUrl))
  if (smtpUrl && emailTo)
    notifiers.push(emailNotifier('email', {transport: await createTransport(smtpUrl), from: emailFrom, to: emailTo}))
  return notifiers
}

/** nodemailer, loaded only when e-mail is configured. */
async function smtpTransport(smtpUrl: string): Promise<MailTransport> {
  const {createTransport} = await import('nodemailer')
  return createTransport(smtpUrl)
}
