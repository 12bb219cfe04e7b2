import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {RollbackResult} from '../../core/db/migrator.js'

export default class DbRollback extends BaseCommand<typeof DbRollback> {
  static override summary = 'Undo the last migration (or several)'
  static override description =
    "Runs migrations' down() in reverse order, each in its own transaction, under the migration lock."

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Undo the last applied migration'},
    {command: '<%= config.bin %> <%= command.id %> --steps 2', description: 'Undo the last two'},
    {command: '<%= config.bin %> <%= command.id %> --to 0002', description: 'Undo everything after 0002'},
  ]

  static override enableJsonFlag = true
  static override flags = {
    steps: Flags.integer({description: 'How many migrations to undo', min: 1, exclusive: ['to']}),
    to: Flags.string({description: 'Undo every migration after this one (name or number)', exclusive: ['steps']}),
  }

  public async run(): Promise<RollbackResult> {
    const {rollbackDatabase} = await import('../../services/db.js')
    const config = await this.loadConfig()
    const result = await rollbackDatabase({
      config,
      steps: this.flags.steps,
      to: this.flags.to,
      onMigration: (name) => this.note(`Rolling back ${name}…`),
    })
    this.print(
      result.rolledBack.length === 0
        ? 'Nothing to roll back.'
        : `Rolled back ${result.rolledBack.map((entry) => entry.name).join(', ')}; the database is at ${result.current ?? 'no migration'}.`,
    )
    return result
  }
}
