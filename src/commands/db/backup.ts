import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {BackupResult} from '../../services/db-backup.js'

export default class DbBackup extends BaseCommand<typeof DbBackup> {
  static override summary = 'Back up the database into the state directory'
  static override description =
    'SQLite: one consistent copy even while the API writes (VACUUM INTO, fsync, integrity check, rename). ' +
    'PostgreSQL: pg_dump in custom format. Files are timestamped in <state dir>/backups; the newest --keep are kept.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Back up now'},
    {command: '<%= config.bin %> <%= command.id %> --keep 3 --json', description: 'Keep only the three newest'},
  ]

  static override enableJsonFlag = true
  static override flags = {keep: Flags.integer({description: 'How many backups to keep', default: 10, min: 1})}

  public async run(): Promise<BackupResult> {
    const {backupDatabase} = await import('../../services/db-backup.js')
    const result = await backupDatabase({config: await this.loadConfig(), keep: this.flags.keep})
    this.print(`Backed up to ${result.file} (${(result.bytes / 1024).toFixed(1)} KiB).`)
    if (result.removed.length > 0)
      this.print(`Removed ${result.removed.length} older backup${result.removed.length === 1 ? '' : 's'}.`)
    return result
  }
}
