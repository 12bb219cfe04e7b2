// `storybook alerts …`: the rules in effect, the notifiers configured, the alert history and the
// silences, read from the dashboard's own database (var/data/monitoring.db) whether or not the
// dashboard runs. Silences and acknowledgements are written there too: the dashboard reads the
// silences every round, so they take effect without a restart.
import {chmod, mkdir} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import type {AppConfig} from '../core/config/load.js'
import {StorybookError} from '../core/errors.js'
import {formatBytes} from '../core/output/bytes.js'
import {closestMatch} from '../core/text/closest.js'
import type {Silence} from '../monitoring/alerts/dispatcher.js'
import {redactUrl, type Notifier} from '../monitoring/alerts/notifiers.js'
import {loadAlertConfig, type EffectiveRule} from '../monitoring/alerts/rules-file.js'
import {MonitoringHistory, type AlertRecord, type EventRecord} from '../monitoring/history.js'
import {testNotification} from '../monitoring/monitor.js'

/** better-sqlite3's constructor, passed in so that this module loads no native code by itself. */
export type OpenDatabase = (file: string, options?: BetterSqlite3.Options) => BetterSqlite3.Database

export const historyFile = (config: Pick<AppConfig, 'state'>) => join(config.state.data, 'monitoring.db')

/** The history read-only, or undefined when the dashboard never ran (no file yet). */
export function readHistory(config: Pick<AppConfig, 'state'>, open: OpenDatabase): MonitoringHistory | undefined {
  const file = historyFile(config)
  if (!existsSync(file)) return undefined
  return new MonitoringHistory({file, open: (path) => open(path, {readonly: true, fileMustExist: true})})
}

/** The history for writing (silences, acknowledgements), created with mode 0600 when absent. */
export async function writableHistory(
  config: Pick<AppConfig, 'state'>,
  open: OpenDatabase,
): Promise<MonitoringHistory> {
  const file = historyFile(config)
  const created = !existsSync(file)
  await mkdir(config.state.data, {recursive: true})
  const history = new MonitoringHistory({file, open: (path) => open(path)})
  if (created) await chmod(file, 0o600)
  return history
}

export interface NotifierDescription {
  name: 'webhook' | 'slack' | 'email'
  /** Where it sends, without secrets: a webhook's origin, a mail server's host and the recipient. */
  target: string
}

export function describeNotifiers(alerts: AppConfig['alerts']): NotifierDescription[] {
  const described: NotifierDescription[] = []
  if (alerts.webhookUrl) described.push({name: 'webhook', target: redactUrl(alerts.webhookUrl)})
  if (alerts.slackWebhookUrl) described.push({name: 'slack', target: redactUrl(alerts.slackWebhookUrl)})
  if (alerts.smtpUrl && alerts.emailTo)
    described.push({name: 'email', target: `${alerts.emailTo} via ${mailHost(alerts.smtpUrl)}`})
  return described
}

function mailHost(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl)
    return `${url.protocol}//${url.host}`
  } catch {
    return 'the mail server'
  }
}

export interface AlertsOverview {
  rules: EffectiveRule[]
  /** The project's rules file, when it has one. */
  rulesFile: string | null
  notifiers: NotifierDescription[]
  /** null when the dashboard has not run yet (no history database). */
  history: {
    file: string
    open: AlertRecord[]
    recent: AlertRecord[]
    silences: Silence[]
    /** The dashboard's last notification attempts, newest first (sent, retrying, gave up). */
    notifications: EventRecord[]
  } | null
}

export async function alertsOverview(options: {
  config: AppConfig
  open: OpenDatabase
  now: number
  recent?: number
}): Promise<AlertsOverview> {
  const {config, open, now} = options
  const {rules, file} = await loadAlertConfig(config.root)
  const history = readHistory(config, open)
  try {
    return {
      rules,
      rulesFile: file ?? null,
      notifiers: describeNotifiers(config.alerts),
      history: history
        ? {
            file: historyFile(config),
            open: history.alerts({openOnly: true}),
            recent: history.alerts({limit: options.recent ?? 20}),
            silences: history.silences(now),
            notifications: history
              .events({limit: 200})
              .filter((event) => event.kind === 'notification')
              .slice(0, 5),
          }
        : null,
    }
  } finally {
    history?.close()
  }
}

export interface NotifierTestResult {
  notifier: string
  outcome: 'sent' | 'failed'
  attempts: number
  error?: string
}

/** Sends the test notification through every notifier at once, each retried once after a short pause. */
export async function testNotifiers(options: {
  notifiers: readonly Notifier[]
  now: number
  retryDelayMs?: number
  sleep?: (ms: number) => Promise<void>
}): Promise<NotifierTestResult[]> {
  const notification = testNotification(options.now)
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  return Promise.all(
    options.notifiers.map(async (notifier): Promise<NotifierTestResult> => {
      let error = ''
      for (let attempt = 1; attempt <= 2; attempt++) {
        try {
          await notifier.send(notification)
          return {notifier: notifier.name, outcome: 'sent', attempts: attempt}
        } catch (thrown) {
          error = thrown instanceof Error ? thrown.message : String(thrown)
          if (attempt < 2) await sleep(options.retryDelayMs ?? 500)
        }
      }
      return {notifier: notifier.name, outcome: 'failed', attempts: 2, error}
    }),
  )
}

/** A rule name that the rules in effect know, or USAGE naming the closest ones. */
export function checkRuleName(rule: string, rules: readonly EffectiveRule[]): void {
  const names = rules.map((known) => known.name)
  if (names.includes(rule)) return
  const closest = closestMatch(rule, names)
  throw new StorybookError('USAGE', `There is no alert rule named ${rule}.`, {
    reason: closest ? `Did you mean ${closest}?` : `The rules in effect: ${names.join(', ')}.`,
    details: {rule, rules: names},
    next: [closest ? `storybook alerts silence ${closest} --for 30m` : 'storybook alerts list'],
  })
}

const DURATION = /^(\d+)(s|m|h|d)$/
const UNIT_MS = {s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000} as const

/** "30m", "2h", "1d" in milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim())
  if (!match || Number(match[1]) === 0)
    throw new StorybookError('USAGE', `--for ${text} is not a duration such as 30m, 2h or 1d.`, {
      next: ['storybook alerts silence service-down --for 30m --comment "deploying"'],
    })
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}

/** The instances a rule's alerts can name: services for service.* rules, else its one subject. */
export function instancesOf(rule: Pick<EffectiveRule, 'metric' | 'services'>, services: readonly string[]): string[] {
  if (rule.metric.startsWith('service.')) return rule.services ?? [...services]
  if (rule.metric.startsWith('api.')) return ['api']
  return rule.metric === 'disk.used' ? ['state-dir'] : ['backups']
}

function checkInstance(rule: EffectiveRule, instance: string, services: readonly string[]): void {
  const known = instancesOf(rule, services)
  if (known.includes(instance)) return
  const closest = closestMatch(instance, known)
  throw new StorybookError('USAGE', `Alerts of ${rule.name} never name the instance ${instance}.`, {
    reason: `${closest ? `Did you mean ${closest}? ` : ''}Its instances: ${known.join(', ')}.`,
    details: {rule: rule.name, instance, instances: known},
    next: [`storybook alerts silence ${rule.name} --instance ${closest ?? known[0] ?? ''} --for 30m`],
  })
}

export async function addSilence(options: {
  config: AppConfig
  open: OpenDatabase
  now: number
  rule: string
  instance?: string
  /** The registry's service names: the instances of service.* rules. */
  services: readonly string[]
  durationMs: number
  comment: string
}): Promise<Silence> {
  const {rules} = await loadAlertConfig(options.config.root)
  checkRuleName(options.rule, rules)
  const rule = rules.find((known) => known.name === options.rule) as EffectiveRule
  if (options.instance) checkInstance(rule, options.instance, options.services)
  const history = await writableHistory(options.config, options.open)
  try {
    return history.addSilence(
      {
        rule: options.rule,
        ...(options.instance ? {instance: options.instance} : {}),
        startsAt: options.now,
        endsAt: options.now + options.durationMs,
        comment: options.comment,
      },
      options.now,
    )
  } finally {
    history.close()
  }
}

export function listSilences(options: {config: AppConfig; open: OpenDatabase; now: number}): Silence[] {
  const history = readHistory(options.config, options.open)
  try {
    return history?.silences(options.now) ?? []
  } finally {
    history?.close()
  }
}

/** Acknowledging or expiring needs a history: without one there is nothing to find (and no file is made). */
function requireHistory(config: Pick<AppConfig, 'state'>, what: string): void {
  if (existsSync(historyFile(config))) return
  throw new StorybookError('NOT_FOUND', `There is no ${what}: the dashboard has kept no history yet.`, {
    next: ['storybook start dashboard', 'storybook alerts list'],
  })
}

export async function expireSilence(options: {config: AppConfig; open: OpenDatabase; now: number; id: string}) {
  requireHistory(options.config, `silence ${options.id}`)
  const history = await writableHistory(options.config, options.open)
  try {
    if (history.expireSilence(options.id, options.now)) return
    const active = history.silences(options.now).map((silence) => silence.id)
    throw new StorybookError('NOT_FOUND', `There is no active silence ${options.id}.`, {
      reason: active.length > 0 ? `Active silences: ${active.join(', ')}.` : 'No silence is active.',
      next: ['storybook alerts silence --list'],
    })
  } finally {
    history.close()
  }
}

export async function acknowledgeAlert(options: {
  config: AppConfig
  open: OpenDatabase
  now: number
  id: number
  by: string
}): Promise<AlertRecord> {
  requireHistory(options.config, `alert ${options.id}`)
  const history = await writableHistory(options.config, options.open)
  try {
    const known = history.alerts({limit: 10_000}).find((alert) => alert.id === options.id)
    if (!known)
      throw new StorybookError('NOT_FOUND', `There is no alert ${options.id} in the history.`, {
        next: ['storybook alerts list'],
      })
    if (known.acknowledgedAt !== null)
      throw new StorybookError(
        'CONFLICT',
        `Alert ${options.id} was acknowledged by ${known.acknowledgedBy ?? 'someone'} at ${new Date(known.acknowledgedAt).toISOString()}.`,
        {next: ['storybook alerts list']},
      )
    history.acknowledge(options.id, options.by, options.now)
    return {...known, acknowledgedAt: options.now, acknowledgedBy: options.by}
  } finally {
    history.close()
  }
}

/** "30s", "10m", "7d": the largest unit that divides the duration. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  const unit = (['d', 'h', 'm', 's'] as const).find((candidate) => ms % UNIT_MS[candidate] === 0)
  return unit ? `${ms / UNIT_MS[unit]}${unit}` : `${ms}ms`
}

/** A rule's threshold as people read it, with its unit. */
export function formatThreshold(rule: Pick<EffectiveRule, 'metric' | 'threshold' | 'windowMs'>): string {
  const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`
  switch (rule.metric) {
    case 'service.down':
      return 'down'
    case 'service.restarts':
      return `> ${rule.threshold} restarts in ${formatDuration(rule.windowMs ?? 0)}`
    case 'service.cpu':
      return `> ${rule.threshold}% CPU`
    case 'service.memory':
      return `> ${formatBytes(rule.threshold)}`
    case 'api.errorRate':
    case 'disk.used':
      return `> ${percent(rule.threshold)}`
    case 'backup.age':
      return `> ${formatDuration(rule.threshold)} old`
    default:
      return `> ${rule.threshold} ms`
  }
}
