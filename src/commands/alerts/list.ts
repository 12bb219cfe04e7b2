import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import {formatCommand} from '../../core/cli/invocation.js'
import {toLenientConfig} from '../../core/config/load.js'
import {renderTable} from '../../core/output/table.js'
import type {AlertRecord} from '../../monitoring/history.js'
import {alertsOverview, formatDuration, formatThreshold, type AlertsOverview} from '../../services/alerts.js'

const LIST = '<%= config.bin %> <%= command.id %>'
const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19))

export default class AlertsList extends BaseCommand<typeof AlertsList> {
  static override summary = 'Show the alert rules in effect, the notifiers, open and recent alerts, and silences'
  static override description =
    'The rules are the defaults changed by src/monitoring/alert-rules.json (SOURCE says which); a file that is ' +
    'not valid is reported with every problem. Notifiers come from ALERT_WEBHOOK_URL, ALERT_SLACK_WEBHOOK_URL and ' +
    'ALERT_SMTP_URL with ALERT_EMAIL_TO; webhooks are shown by origin only. Alerts and silences are read from the ' +
    "dashboard's history (<state dir>/data/monitoring.db), read-only, so this works whether or not the dashboard runs."

  static override examples = [
    {command: LIST, description: 'Rules, notifiers, open alerts, the last 20 alerts and active silences'},
    {command: `${LIST} --recent 100`, description: 'The last 100 alerts of the history'},
    {
      command: `${LIST} --json`,
      description:
        'One document: {"rules":[…],"rulesFile","notifiers":[{"name","target"}],"history":{"open","recent","silences"} or null}',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    recent: Flags.integer({description: 'How many past alerts to show', default: 20, min: 1}),
  }

  public async run(): Promise<AlertsOverview> {
    const {default: Database} = await import('better-sqlite3')
    const {config, invalid} = toLenientConfig(await this.loadEnvironment({allowMissingEnvFile: true}))
    if (invalid.length > 0)
      this.note(`Not valid, defaults used: ${invalid.join(', ')} (${formatCommand('storybook env check')})`)
    const overview = await alertsOverview({
      config,
      open: (file, options) => new Database(file, options),
      now: Date.now(),
      recent: this.flags.recent,
    })
    if (!this.jsonEnabled()) this.printOverview(overview)
    return overview
  }

  private printOverview(overview: AlertsOverview): void {
    const {style} = this
    const severity = {critical: style.red, warning: style.yellow, info: style.cyan}
    const header = (text: string) => style.bold(text)
    this.print(style.bold(`Rules${overview.rulesFile ? ` (defaults and ${overview.rulesFile})` : ' (the defaults)'}`))
    const ruleRows = overview.rules.map((rule) => [
      rule.name,
      rule.metric,
      formatThreshold(rule),
      formatDuration(rule.forMs),
      severity[rule.severity](rule.severity),
      rule.source,
    ])
    this.print(renderTable(['RULE', 'METRIC', 'THRESHOLD', 'FOR', 'SEVERITY', 'SOURCE'], ruleRows, {header}))
    this.print('')
    if (overview.notifiers.length === 0)
      this.print(
        `Notifiers: none. Set one with ${formatCommand('storybook env setup --set ALERT_WEBHOOK_URL=https://…')} ` +
          '(or ALERT_SLACK_WEBHOOK_URL, or ALERT_SMTP_URL with ALERT_EMAIL_TO).',
      )
    else
      this.print(
        `Notifiers: ${overview.notifiers.map((notifier) => `${notifier.name} (${notifier.target})`).join(', ')}`,
      )
    this.print('')
    if (!overview.history) {
      this.print(
        `No alert history yet: the dashboard keeps it. Start it with ${formatCommand('storybook start dashboard')} ` +
          `(or ${formatCommand('storybook start --with-dashboard')}).`,
      )
      return
    }
    if (overview.history.notifications.length > 0) {
      this.print(style.bold('Last notification attempts'))
      for (const event of overview.history.notifications) this.print(`  ${time(event.time)}  ${event.subject}`)
      this.print('')
    }
    this.printAlerts('Open alerts', overview.history.open)
    this.printAlerts('Recent alerts', overview.history.recent)
    const silences = overview.history.silences
    if (silences.length === 0) this.print('Silences: none active.')
    else {
      this.print(style.bold('Silences'))
      const rows = silences.map((silence) => [
        silence.id,
        silence.rule ?? '(all)',
        silence.instance ?? '(all)',
        time(silence.endsAt),
        silence.comment,
      ])
      this.print(renderTable(['ID', 'RULE', 'INSTANCE', 'UNTIL', 'COMMENT'], rows, {header}))
    }
  }

  private printAlerts(title: string, alerts: AlertRecord[]): void {
    if (alerts.length === 0) {
      this.print(`${title}: none.`)
      this.print('')
      return
    }
    this.print(this.style.bold(title))
    const rows = alerts.map((alert) => [
      String(alert.id),
      alert.rule,
      alert.instance,
      alert.severity,
      time(alert.firedAt),
      alert.acknowledgedAt === null ? '-' : `${time(alert.acknowledgedAt)} by ${alert.acknowledgedBy ?? '?'}`,
      time(alert.resolvedAt),
    ])
    this.print(
      renderTable(['ID', 'RULE', 'INSTANCE', 'SEVERITY', 'FIRED', 'ACKNOWLEDGED', 'RESOLVED'], rows, {
        header: (text) => this.style.bold(text),
      }),
    )
    this.print('')
  }
}
