import {BaseCommand} from '../../core/cli/base-command.js'
import {ERROR_CODES} from '../../core/errors.js'
import {renderTable} from '../../core/output/table.js'
import type {DbStatusResult} from '../../services/db.js'

export default class DbStatus extends BaseCommand<typeof DbStatus> {
  static override summary = 'Show applied and pending migrations, and drift'
  static override description =
    'Lists every migration with its state and when it was applied. Drift (an applied migration that was changed or ' +
    'removed since) is an error: the command still prints the report, says drift, and exits 11. A database with the ' +
    "application's tables but no record of applied migrations is reported untracked, with integrate-migrations to adopt it."

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'The migration table'},
    {
      command: '<%= config.bin %> <%= command.id %> --json',
      description: '{"dialect","migrations":[{"name","status","appliedAt"}],"pending","drift":[]}',
    },
  ]

  static override enableJsonFlag = true

  public async run(): Promise<DbStatusResult> {
    const {databaseStatus} = await import('../../services/db.js')
    const config = await this.loadConfig()
    const status = await databaseStatus({config})
    if (!this.jsonEnabled()) this.render(status)
    if (status.drift.length > 0) process.exitCode = ERROR_CODES.MIGRATION_DRIFT.exitCode
    return status
  }

  private render(status: DbStatusResult): void {
    const {style} = this
    const drifted = new Map(status.drift.map((entry) => [entry.name, entry.problem]))
    const untracked = status.untrackedTables.length > 0
    const rows = status.migrations.map((migration) => [
      migration.name,
      drifted.has(migration.name)
        ? style.red(`applied, ${drifted.get(migration.name)}`)
        : migration.status === 'applied'
          ? style.green('applied')
          : style.yellow(untracked ? 'not recorded' : 'pending'),
      migration.appliedAt ?? '',
    ])
    for (const entry of status.drift.filter((drift) => drift.problem === 'missing'))
      rows.push([entry.name, style.red('applied, missing from code'), ''])
    this.print(renderTable(['MIGRATION', 'STATUS', 'APPLIED AT'], rows, {header: (text) => style.bold(text)}))
    this.print(`\n${status.dialect} ${status.target}: ${summaryOf(status)}`)
    if (status.drift.length > 0) {
      const missing = status.drift.some((entry) => entry.problem === 'missing')
      const count = `${status.drift.length} applied migration${status.drift.length === 1 ? ' differs' : 's differ'}`
      this.note(
        style.red(
          `Error [MIGRATION_DRIFT] ${count} from the code. Never edit an applied migration; add a new one: ` +
            'storybook db new <name>. A harmless edit (formatting, comments): storybook db repair' +
            (missing ? '. A file removed on purpose: storybook db repair --forget-missing' : ''),
        ),
      )
    }
    for (const name of status.unbuilt)
      this.note(style.yellow(`Warning: migrations/${name}.ts is not in this build; run: npm run build`))
  }
}

/** The one-line verdict under the table: untracked, drift, pending or up to date, with the next command. */
export function summaryOf(status: DbStatusResult): string {
  if (status.untrackedTables.length > 0) {
    const tables = status.untrackedTables.join(', ')
    return `untracked: the tables (${tables}) exist but no migration is recorded; adopt it with storybook integrate-migrations`
  }
  const pending = status.pending === 0 ? '' : `${status.pending} pending`
  if (status.drift.length > 0) {
    const count = status.drift.length
    const differ = count === 1 ? '1 applied migration differs' : `${count} applied migrations differ`
    return `drift: ${differ} from the code${pending ? `; ${pending}` : ''} (see below)`
  }
  return pending ? `${pending} (storybook db migrate)` : 'up to date'
}
