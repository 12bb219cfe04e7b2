import {BaseCommand} from '../../core/cli/base-command.js'
import {StorybookError} from '../../core/errors.js'
import {notifiersFromConfig} from '../../monitoring/alerts/configured-notifiers.js'
import {describeNotifiers, testNotifiers, type NotifierTestResult} from '../../services/alerts.js'

const TEST = '<%= config.bin %> <%= command.id %>'
const SET_ONE = [
  'storybook env setup --set ALERT_WEBHOOK_URL=https://example.com/hook',
  'storybook env setup --set ALERT_SLACK_WEBHOOK_URL=https://hooks.slack.com/services/…',
  'storybook env setup --set ALERT_SMTP_URL=smtp://mail.example.com:587 --set ALERT_EMAIL_TO=team@example.com',
]

export default class AlertsTest extends BaseCommand<typeof AlertsTest> {
  static override summary = 'Send a test notification through every configured notifier now'
  static override description =
    'Each notifier (ALERT_WEBHOOK_URL, ALERT_SLACK_WEBHOOK_URL, e-mail through ALERT_SMTP_URL to ALERT_EMAIL_TO) ' +
    'gets one notification marked as a test, retried once after half a second. Prints sent or failed with the ' +
    'reason per notifier; exits with EXTERNAL_FAILED (7) when any failed. The dashboard need not run.'

  static override examples = [
    {command: TEST, description: 'Send it; "webhook sent", "email failed: …"'},
    {command: `ALERT_WEBHOOK_URL=http://127.0.0.1:9000/hook ${TEST}`, description: 'Try a receiver before saving it'},
    {command: `${TEST} --json`, description: 'One document: {"results":[{"notifier","outcome","attempts","error"}]}'},
  ]

  static override enableJsonFlag = true

  public async run(): Promise<{results: NotifierTestResult[]}> {
    const config = await this.loadConfig()
    const notifiers = await notifiersFromConfig(config)
    if (notifiers.length === 0)
      throw new StorybookError('CONFIG_INVALID', 'No notifier is configured, so there is nothing to test.', {
        reason: 'Set ALERT_WEBHOOK_URL, ALERT_SLACK_WEBHOOK_URL, or ALERT_SMTP_URL with ALERT_EMAIL_TO.',
        next: SET_ONE,
      })
    const targets = new Map(describeNotifiers(config.alerts).map((notifier) => [notifier.name, notifier.target]))
    const results = await testNotifiers({notifiers, now: Date.now()})
    for (const result of results) {
      const target = targets.get(result.notifier as 'webhook') ?? ''
      if (result.outcome === 'sent') this.print(`${this.style.green('sent')}    ${result.notifier} (${target})`)
      else this.print(`${this.style.red('failed')}  ${result.notifier} (${target}): ${result.error ?? ''}`)
    }
    const failed = results.filter((result) => result.outcome === 'failed')
    if (failed.length > 0)
      throw new StorybookError(
        'EXTERNAL_FAILED',
        `${failed.length} of ${results.length} notifiers failed: ${failed.map((result) => result.notifier).join(', ')}.`,
        {
          details: {results},
          next: ['storybook env show', 'storybook alerts test   # again, once the receiver answers'],
        },
      )
    return {results}
  }
}
