import {Args, Flags} from '@oclif/core'
import {resolve} from 'node:path'
import {BaseCommand} from '../../core/cli/base-command.js'
import {formatCommand} from '../../core/cli/invocation.js'
import type {RestoreResult} from '../../services/db-backup.js'

export default class DbRestore extends BaseCommand<typeof DbRestore> {
  static override summary = 'Restore the database from a backup file'
  static override description =
    'Checks the file first (intact, a Storybook database, no migration this code does not know), keeps a safety ' +
    'copy of the current database in <state dir>/backups, refuses while the API is running unless --force, and ' +
    'names the migrations still to apply when the backup is older than the code.'

  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> var/backups/storybook-20261122-101500.db',
      description: 'Restore a backup',
    },
  ]

  static override enableJsonFlag = true
  static override args = {file: Args.string({description: 'The backup file', required: true})}
  static override flags = {force: Flags.boolean({description: 'Restore even while services are running'})}

  public async run(): Promise<RestoreResult> {
    const {restoreDatabase} = await import('../../services/db-backup.js')
    const {createServicesContext} = await import('../../services/service-runtime.js')
    const {runningDatabaseUsers} = await import('../../services/db-backup.js')
    const config = await this.loadConfig()
    const context = createServicesContext({config, toolkitRoot: this.config.root, env: process.env})
    const result = await restoreDatabase({
      config,
      file: resolve(this.args.file),
      force: this.flags.force,
      runningServices: () => runningDatabaseUsers(context),
    })
    this.print(
      `Restored ${result.restoredFrom}.${result.safetyCopy ? ` The previous database is kept at ${result.safetyCopy}.` : ''}`,
    )
    if (result.pending.length > 0) {
      const count = `${result.pending.length} migration${result.pending.length === 1 ? '' : 's'}`
      this.print(
        `The backup is ${count} behind this code (${result.pending.join(', ')}); apply ${result.pending.length === 1 ? 'it' : 'them'} with ${formatCommand('storybook db migrate')}.`,
      )
    }
    return result
  }
}
