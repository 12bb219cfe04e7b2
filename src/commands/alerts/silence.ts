import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import {formatCommand} from '../../core/cli/invocation.js'
import {UsageError} from '../../core/errors.js'
import {SERVICES} from '../../core/process/registry.js'
import {renderTable} from '../../core/output/table.js'
import type {Silence} from '../../monitoring/alerts/dispatcher.js'
import {addSilence, expireSilence, listSilences, parseDuration, type OpenDatabase} from '../../services/alerts.js'

const SILENCE = '<%= config.bin %> <%= command.id %>'
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19)

export type SilenceResult = {silence: Silence} | {silences: Silence[]} | {expired: string}

export default class AlertsSilence extends BaseCommand<typeof AlertsSilence> {
  static override summary = 'Silence an alert rule for a while, list the silences, or end one'
  static override description =
    'A silenced alert still fires and is kept in the history, but sends no notification. The silence is written ' +
    "to the dashboard's history database (<state dir>/data/monitoring.db, created when absent); a running " +
    'dashboard reads the silences every round, so it takes effect without a restart.'

  static override examples = [
    {
      command: `${SILENCE} service-down --instance api --for 30m --comment "deploying"`,
      description: 'No service-down notifications about the API for 30 minutes',
    },
    {command: `${SILENCE} backup-old --for 7d --comment "backups off on this machine"`, description: 'All instances'},
    {command: `${SILENCE} --list`, description: 'The active silences, with their ids'},
    {command: `${SILENCE} --expire 3f2a9c1b`, description: 'End a silence now'},
    {
      command: `${SILENCE} --list --json`,
      description: 'One document: {"silences":[{"id","rule","instance","startsAt","endsAt","comment"}]}',
    },
  ]

  static override enableJsonFlag = true
  static override args = {rule: Args.string({description: 'The rule to silence (see storybook alerts list)'})}
  static override flags = {
    instance: Flags.string({description: 'Only alerts of this instance (a service, such as api); default: all'}),
    for: Flags.string({description: 'How long: 30m, 2h, 1d', default: '1h'}),
    comment: Flags.string({description: 'Why (kept with the silence)'}),
    list: Flags.boolean({description: 'List the active silences', exclusive: ['expire']}),
    expire: Flags.string({description: 'End the silence with this id now', exclusive: ['list']}),
  }

  public async run(): Promise<SilenceResult> {
    const {default: Database} = await import('better-sqlite3')
    const open: OpenDatabase = (file, options) => new Database(file, options)
    const config = await this.loadConfig()
    const now = Date.now()
    const {rule} = this.args
    if (this.flags.list || this.flags.expire) {
      if (rule) throw new UsageError('--list and --expire take no rule.', {next: ['storybook alerts silence --help']})
      if (this.flags.expire) {
        await expireSilence({config, open, now, id: this.flags.expire})
        this.print(`Silence ${this.flags.expire} ended.`)
        return {expired: this.flags.expire}
      }
      const silences = listSilences({config, open, now})
      this.printList(silences)
      return {silences}
    }
    if (!rule)
      throw new UsageError('Name the rule to silence.', {
        next: ['storybook alerts list', 'storybook alerts silence service-down --for 30m --comment "deploying"'],
      })
    const comment = this.flags.comment ?? ''
    const silence = await addSilence({
      config,
      open,
      now,
      rule,
      ...(this.flags.instance ? {instance: this.flags.instance} : {}),
      services: SERVICES.map((service) => service.name),
      durationMs: parseDuration(this.flags.for),
      comment,
    })
    this.print(
      `Silenced ${rule}${silence.instance ? ` on ${silence.instance}` : ''} until ${time(silence.endsAt)} (id ${silence.id}). ` +
        `End it early with: ${formatCommand(`storybook alerts silence --expire ${silence.id}`)}`,
    )
    return {silence}
  }

  private printList(silences: Silence[]): void {
    if (silences.length === 0) {
      this.print('No silence is active.')
      return
    }
    const rows = silences.map((silence) => [
      silence.id,
      silence.rule ?? '(all)',
      silence.instance ?? '(all)',
      time(silence.startsAt),
      time(silence.endsAt),
      silence.comment,
    ])
    this.print(
      renderTable(['ID', 'RULE', 'INSTANCE', 'FROM', 'UNTIL', 'COMMENT'], rows, {
        header: (text) => this.style.bold(text),
      }),
    )
  }
}
