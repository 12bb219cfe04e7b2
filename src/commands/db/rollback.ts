import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {RollbackResult} from '../../core/db/migrator.js'
import type {StartedService} from '../../services/start-services.js'

export default class DbRollback extends BaseCommand<typeof DbRollback> {
  static override summary = 'Undo the last migration (or several)'
  static override description =
    "Runs migrations' down() in reverse order, each in its own transaction, under the migration lock. Refuses " +
    'while a service that uses the database runs (storybook stop api first); --force stops it gracefully ' +
    '(requests in flight finish), rolls back, and starts it again in the background on the port it ran on, ' +
    'where it answers /ready with 503 until the migrations are applied again (storybook db migrate).'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Undo the last applied migration'},
    {command: '<%= config.bin %> <%= command.id %> --steps 2', description: 'Undo the last two'},
    {command: '<%= config.bin %> <%= command.id %> --to 0002', description: 'Undo everything after 0002'},
    {
      command: '<%= config.bin %> <%= command.id %> --force',
      description: 'Roll back while the API runs: it is stopped for the rollback and started again',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    steps: Flags.integer({description: 'How many migrations to undo', min: 1, exclusive: ['to']}),
    to: Flags.string({description: 'Undo every migration after this one (name or number)', exclusive: ['steps']}),
    force: Flags.boolean({description: 'Stop the services that use the database, roll back, and start them again'}),
  }

  public async run(): Promise<RollbackResult & {restarted: StartedService[]}> {
    const {rollbackDatabase} = await import('../../services/db.js')
    const {databaseGuard} = await import('../../services/db-guard.js')
    const {createServicesContext} = await import('../../services/service-runtime.js')
    const {shellQuote} = await import('../../core/text/shell-quote.js')
    const config = await this.loadConfig()
    const {steps, to} = this.flags
    const guard = databaseGuard({
      context: createServicesContext({config, toolkitRoot: this.config.root, env: process.env}),
      action: 'roll back',
      command: `storybook db rollback${steps ? ` --steps ${steps}` : ''}${to ? ` --to ${shellQuote(to)}` : ''}`,
      force: this.flags.force,
      onProgress: (message) => this.note(message),
    })
    const {result, restarted} = await guard.run(() =>
      rollbackDatabase({config, steps, to, onMigration: (name) => this.note(`Rolling back ${name}…`)}),
    )
    const names = result.rolledBack.map((entry) => entry.name).join(', ')
    const at = result.current ?? 'no migration'
    this.print(
      result.rolledBack.length === 0 ? 'Nothing to roll back.' : `Rolled back ${names}; the database is at ${at}.`,
    )
    for (const service of restarted)
      this.print(`${service.name} started again on http://127.0.0.1:${service.port} (PID ${service.pid}).`)
    return {...result, restarted}
  }
}
