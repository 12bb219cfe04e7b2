import {Flags} from '@oclif/core'
import {BaseCommand} from '../core/cli/base-command.js'
import type {IntegrationPlan} from '../core/db/baseline.js'

export default class IntegrateMigrations extends BaseCommand<typeof IntegrateMigrations> {
  static override summary = 'Adopt a database made before migrations were tracked'
  static override description =
    'Finds the migration the schema of the database matches (tables, columns with their types and defaults, ' +
    'indexes, constraints and foreign keys) and records it and those before it as applied (like alembic stamp or ' +
    'flyway baseline); the rest stay pending for db migrate. A migration that changes no schema (data, an empty ' +
    'template) cannot be seen: after the match it stays pending, before it the database is refused. Refuses too, ' +
    'with the difference, when a migration is only partly there, a column has another type or default, or they are ' +
    'out of order. --baseline <migration> records every migration up to and including that one without comparing ' +
    'anything. A dry run unless --yes (with --baseline on a terminal, it asks). ' +
    '--json prints the plan: {dialect, target, alreadyTracked, baseline, migrations: [{name, status, missing, ' +
    'mismatched?}], stamp, pending, refusal, baselineCandidate, unexplained, stamped}.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Show what would be recorded'},
    {
      command: '<%= config.bin %> <%= command.id %> --yes && <%= config.bin %> db migrate',
      description: 'Adopt it, then apply the rest',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --baseline 0003_create_stories_and_pages',
      description: 'Record 0001 to 0003 as applied without comparing (asks first, or --yes)',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Write the record (without it, only show the plan)'}),
    baseline: Flags.string({
      description: 'Record every migration up to and including this one (name or number) as applied, unchecked',
      helpValue: '<migration>',
    }),
  }

  public async run(): Promise<IntegrationPlan> {
    const {adoptDatabase, describePresence} = await import('../services/db.js')
    const plan = await adoptDatabase({
      config: await this.loadConfig(),
      apply: this.flags.yes,
      baseline: this.flags.baseline,
      ...(this.canAsk() ? {confirm: (planned: IntegrationPlan) => this.confirmBaseline(planned)} : {}),
    })
    if (plan.alreadyTracked) {
      this.print('The database already records its migrations; nothing to adopt. See: storybook db status')
      return plan
    }
    if (plan.baseline === null) this.print(describePresence(plan))
    this.print(this.outcome(plan))
    return plan
  }

  /** Only --baseline asks (it checks nothing), and only a person at a terminal. */
  private canAsk(): boolean {
    return this.flags.baseline !== undefined && !this.flags.yes && this.terminal.interactive && !this.jsonEnabled()
  }

  private async confirmBaseline(plan: IntegrationPlan): Promise<boolean> {
    this.note(this.baselineSummary(plan))
    const {confirm} = await import('@inquirer/prompts')
    return confirm({message: 'Record them as applied?', default: false}, {output: process.stderr})
  }

  private baselineSummary(plan: IntegrationPlan): string {
    return (
      `Would record ${plan.stamp.join(', ')} as applied without running or checking them` +
      (plan.pending.length > 0 ? `; ${plan.pending.join(', ')} would stay pending.` : '.')
    )
  }

  private outcome(plan: IntegrationPlan): string {
    const count = `${plan.stamp.length} migration${plan.stamp.length === 1 ? '' : 's'}`
    const rest =
      plan.pending.length > 0 ? ` Apply the rest (${plan.pending.join(', ')}) with: storybook db migrate` : ''
    if (plan.stamp.length === 0)
      return '\nNone of the migrations are in this database; apply them with: storybook db migrate'
    if (plan.stamped) return this.style.green(`\nRecorded ${count} as applied.`) + rest
    if (plan.baseline !== null && this.canAsk()) return '\nNothing was recorded.'
    const summary =
      plan.baseline === null
        ? `\nWould record ${plan.stamp.join(', ')} as applied` +
          (plan.pending.length > 0 ? `; ${plan.pending.join(', ')} would stay pending.` : '.')
        : `\n${this.baselineSummary(plan)}`
    return `${summary}\nRun again with --yes to write it.`
  }
}
