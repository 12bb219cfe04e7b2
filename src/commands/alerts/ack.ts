import {Args, Flags} from '@oclif/core'
import {userInfo} from 'node:os'
import {BaseCommand} from '../../core/cli/base-command.js'
import {UsageError} from '../../core/errors.js'
import type {AlertRecord} from '../../monitoring/history.js'
import {acknowledgeAlert} from '../../services/alerts.js'

const ACK = '<%= config.bin %> <%= command.id %>'

export default class AlertsAck extends BaseCommand<typeof AlertsAck> {
  static override summary = 'Acknowledge an alert: record who has seen it and when'
  static override description =
    "Writes the acknowledgement to the dashboard's alert history (<state dir>/data/monitoring.db); " +
    'storybook alerts list and the dashboard show it beside the fired and resolved times.'

  static override examples = [
    {command: `${ACK} 12`, description: 'Alert 12 (the ID column of storybook alerts list), by your user name'},
    {command: `${ACK} 12 --by anna`, description: 'Acknowledged by anna'},
    {
      command: `${ACK} 12 --json`,
      description: 'One document: {"alert":{"id","rule","instance","acknowledgedAt","acknowledgedBy",…}}',
    },
  ]

  static override enableJsonFlag = true
  static override args = {id: Args.string({description: 'The alert id (storybook alerts list)', required: true})}
  static override flags = {by: Flags.string({description: 'Who acknowledges (default: your user name)'})}

  public async run(): Promise<{alert: AlertRecord}> {
    const id = Number(this.args.id)
    if (!Number.isInteger(id) || id < 1)
      throw new UsageError(`${this.args.id} is not an alert id (a whole number).`, {next: ['storybook alerts list']})
    const {default: Database} = await import('better-sqlite3')
    const config = await this.loadConfig()
    const alert = await acknowledgeAlert({
      config,
      open: (file, options) => new Database(file, options),
      now: Date.now(),
      id,
      by: this.flags.by ?? userInfo().username,
    })
    this.print(`Alert ${id} (${alert.rule} on ${alert.instance}) acknowledged by ${alert.acknowledgedBy ?? ''}.`)
    return {alert}
  }
}
