import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import {StorybookError} from '../../core/errors.js'
import type {DbResetResult} from '../../services/db.js'

export default class DbReset extends BaseCommand<typeof DbReset> {
  static override summary = 'Drop every table and migrate again (asks first, or --yes)'
  static override description = 'Deletes all data. Take a backup first if it matters: storybook db backup.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Asks before deleting everything'},
    {
      command: '<%= config.bin %> <%= command.id %> --yes && <%= config.bin %> db seed',
      description: 'A fresh demo database',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {yes: Flags.boolean({char: 'y', description: 'Do not ask'})}

  public async run(): Promise<DbResetResult> {
    const {resetDatabase} = await import('../../services/db.js')
    const config = await this.loadConfig()
    if (!this.flags.yes) {
      if (!this.terminal.interactive || this.jsonEnabled()) {
        throw new StorybookError('USAGE', 'db reset deletes all data and needs confirmation.', {
          next: ['storybook db reset --yes'],
        })
      }
      const {confirm} = await import('@inquirer/prompts')
      const target = config.database.dialect === 'sqlite' ? config.database.file : 'the PostgreSQL database'
      if (!(await confirm({message: `Delete every table in ${target}?`, default: false}, {output: process.stderr}))) {
        throw new StorybookError('INTERRUPTED', 'Cancelled; nothing was changed.')
      }
    }
    const result = await resetDatabase({config})
    if (result.damagedCopy)
      this.note(this.style.yellow(`The old database could not be opened; it was moved to ${result.damagedCopy}.`))
    this.print(
      `Dropped ${result.dropped.length} table${result.dropped.length === 1 ? '' : 's'} and applied ${result.migrate.applied.length} migrations.`,
    )
    return result
  }
}
