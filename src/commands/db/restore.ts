import {Args, Flags} from '@oclif/core'
import {resolve} from 'node:path'
import {BaseCommand} from '../../core/cli/base-command.js'
import {formatCommand} from '../../core/cli/invocation.js'
import {shellQuote} from '../../core/text/shell-quote.js'
import type {RestoreResult} from '../../services/db-backup.js'

export default class DbRestore extends BaseCommand<typeof DbRestore> {
  static override summary = 'Restore the database from a backup file'
  static override description =
    'Checks the file first (intact, a Storybook database, no migration this code does not know), keeps a safety ' +
    'copy of the current database in <state dir>/backups, and names the migrations still to apply when the backup ' +
    'is older than the code. Refuses while a service that uses the database runs (storybook stop api first); ' +
    '--force stops it gracefully (requests in flight finish, so every write it acknowledged is in the safety ' +
    'copy), restores, and starts it again in the background on the port it ran on. A service running in a ' +
    'terminal of its own (unified mode, --separate-terminals, an IDE terminal) is stopped there, not by --force.'

  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> var/backups/storybook-20261122-101500.db',
      description: 'Restore a backup',
    },
    {
      command: '<%= config.bin %> <%= command.id %> var/backups/storybook-20261122-101500.db --force',
      description: 'Restore while the API runs: it is stopped for the restore and started again',
    },
  ]

  static override enableJsonFlag = true
  static override args = {file: Args.string({description: 'The backup file', required: true})}
  static override flags = {
    force: Flags.boolean({description: 'Stop the services that use the database, restore, and start them again'}),
  }

  public async run(): Promise<RestoreResult> {
    const {restoreDatabase} = await import('../../services/db-backup.js')
    const {databaseGuard} = await import('../../services/db-guard.js')
    const {createServicesContext} = await import('../../services/service-runtime.js')
    const config = await this.loadConfig()
    const file = resolve(this.args.file)
    const guard = databaseGuard({
      context: createServicesContext({config, toolkitRoot: this.config.root, env: process.env}),
      action: 'restore',
      command: `storybook db restore ${shellQuote(file)}`,
      force: this.flags.force,
      onProgress: (message) => this.note(message),
    })
    const result = await restoreDatabase({config, file, guard})
    const kept = result.safetyCopy ? ` The previous database is kept at ${result.safetyCopy}.` : ''
    this.print(`Restored ${result.restoredFrom}.${kept}`)
    for (const service of result.restarted)
      this.print(`${service.name} started again on http://127.0.0.1:${service.port} (PID ${service.pid}).`)
    const {pending} = result
    if (pending.length > 0) {
      const count = `${pending.length} migration${pending.length === 1 ? '' : 's'}`
      const apply = `apply ${pending.length === 1 ? 'it' : 'them'} with ${formatCommand('storybook db migrate')}`
      this.print(`The backup is ${count} behind this code (${pending.join(', ')}); ${apply}.`)
    }
    return result
  }
}
