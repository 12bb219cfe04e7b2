import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {MigrateResult} from '../../core/db/migrator.js'

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override summary = 'Apply pending database migrations'
  static override description =
    'Applies each pending migration in its own transaction, under a lock that makes concurrent runs wait for each other. ' +
    'Refuses when an applied migration was changed or removed (drift), and on a database made before migrations were ' +
    'tracked (see integrate-migrations). A failing migration is rolled back and named, with the database error.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Bring the database up to date'},
    {command: '<%= config.bin %> <%= command.id %> --to 0003', description: 'Stop after migration 0003'},
    {
      command: '<%= config.bin %> <%= command.id %> --json',
      description: 'In CI: one JSON report, a meaningful exit code',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    to: Flags.string({description: 'Apply up to and including this migration (name or number)'}),
  }

  public async run(): Promise<MigrateResult> {
    const {findUnbuiltMigrations, migrateDatabase} = await import('../../services/db.js')
    const config = await this.loadConfig()
    for (const name of await findUnbuiltMigrations(config.root)) {
      this.note(
        this.style.yellow(
          `Warning: migrations/${name}.ts is not in this build and will not run; build first: npm run build`,
        ),
      )
    }
    const result = await migrateDatabase({
      config,
      to: this.flags.to,
      onMigration: (name) => this.note(`Applying ${name}…`),
      onLockWait: () => this.note('Another migration is running; waiting for it to finish…'),
    })
    if (result.applied.length === 0) {
      this.print(`The database is up to date${result.current ? ` (at ${result.current})` : ''}.`)
    } else {
      const total = result.applied.reduce((sum, entry) => sum + entry.durationMs, 0)
      this.print(
        this.style.green(
          `Applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'} in ${total} ms; the database is at ${result.current}.`,
        ),
      )
    }
    return result
  }
}
