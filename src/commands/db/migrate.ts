import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {MigratePreview, MigrateResult} from '../../core/db/migrator.js'

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override summary = 'Apply pending database migrations'
  static override description =
    'Applies each pending migration in its own transaction (or outside one, for a migration that exports ' +
    'transaction = false), under a lock that makes concurrent runs wait for each other. Refuses when an applied ' +
    'migration was changed or removed (drift), on a database made before migrations were tracked (see ' +
    'integrate-migrations), and --to a migration behind the current one (that is db rollback --to). A failing ' +
    'migration is rolled back and named, with the database error. --dry-run prints the SQL instead; --wait waits ' +
    'for a database that is still starting.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Bring the database up to date'},
    {command: '<%= config.bin %> <%= command.id %> --to 0003', description: 'Stop after migration 0003'},
    {
      command: '<%= config.bin %> <%= command.id %> --dry-run',
      description: 'Print the SQL each pending migration would run, applying nothing',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --dry-run --json',
      description: '{"migrations":[{"name","transaction","statements":[{"sql","parameters"}]}]}',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --wait --wait-timeout 120',
      description: 'In a container entrypoint: wait up to 2 minutes for PostgreSQL to accept connections',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --json',
      description: 'In CI: one JSON report, a meaningful exit code',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    to: Flags.string({description: 'Apply up to and including this migration (name or number)'}),
    'dry-run': Flags.boolean({description: 'Print the SQL of each pending migration; apply nothing'}),
    wait: Flags.boolean({
      description: 'Wait for a database that is still starting (connection refused, "starting up"), like dbmate --wait',
    }),
    'wait-timeout': Flags.integer({
      description: 'With --wait: how many seconds to wait before failing (default 60)',
      min: 1,
      dependsOn: ['wait'],
    }),
  }

  public async run(): Promise<MigrateResult | MigratePreview> {
    const {findUnbuiltMigrations, migrateDatabase, previewDatabaseMigrations} = await import('../../services/db.js')
    const config = await this.loadConfig()
    for (const name of await findUnbuiltMigrations(config.root)) {
      this.note(
        this.style.yellow(
          `Warning: migrations/${name}.ts is not in this build and will not run; build first: npm run build`,
        ),
      )
    }
    const waitSeconds = this.flags['wait-timeout'] ?? 60
    const options = {
      config,
      to: this.flags.to,
      waitMs: this.flags.wait ? waitSeconds * 1000 : undefined,
      onWait: () => this.note(`The database is not accepting connections yet; waiting up to ${waitSeconds} s…`),
      onMigration: (name: string) => this.note(`Applying ${name}…`),
      onLockWait: () => this.note('Another migration is running; waiting for it to finish…'),
    }
    if (this.flags['dry-run']) {
      const preview = await previewDatabaseMigrations(options)
      this.renderPreview(preview)
      return preview
    }
    const result = await migrateDatabase(options)
    if (result.applied.length === 0) {
      this.print(`The database is up to date${result.current ? ` (at ${result.current})` : ''}.`)
    } else {
      const total = result.applied.reduce((sum, entry) => sum + entry.durationMs, 0)
      const count = `${result.applied.length} migration${result.applied.length === 1 ? '' : 's'}`
      this.print(this.style.green(`Applied ${count} in ${total} ms; the database is at ${result.current}.`))
    }
    return result
  }

  /** The SQL on stdout (so it can be saved or piped), the summary on stderr. */
  private renderPreview(preview: MigratePreview): void {
    for (const migration of preview.migrations) {
      this.print(`-- ${migration.name}${migration.transaction ? '' : ' (outside a transaction)'}`)
      for (const statement of migration.statements) {
        const parameters =
          statement.parameters.length > 0 ? ` -- parameters: ${JSON.stringify(statement.parameters)}` : ''
        this.print(`${statement.sql};${parameters}`)
      }
      if (migration.stoppedAfterRead) this.print('-- (then it reads data, which a dry run cannot provide: not shown)')
      this.print('')
    }
    const count = preview.migrations.length
    this.note(
      count === 0
        ? 'Dry run: nothing is pending; nothing was changed.'
        : `Dry run: ${count} migration${count === 1 ? '' : 's'} would be applied; nothing was changed.`,
    )
  }
}
