import {Flags} from '@oclif/core'
import {BaseCommand} from '../core/cli/base-command.js'
import type {IntegrationPlan} from '../core/db/baseline.js'

export default class IntegrateMigrations extends BaseCommand<typeof IntegrateMigrations> {
  static override summary = 'Adopt a database made before migrations were tracked'
  static override description =
    'Compares the tables, columns, indexes and foreign keys of the database with what each migration creates, and ' +
    'records the migrations that are already there as applied (like alembic stamp or flyway baseline). A dry run ' +
    'unless --yes. Refuses, with the difference, when a migration is only partly there or they are out of order.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Show what would be recorded'},
    {
      command: '<%= config.bin %> <%= command.id %> --yes && <%= config.bin %> db migrate',
      description: 'Adopt it, then apply the rest',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Write the record (without it, only show the plan)'}),
  }

  public async run(): Promise<IntegrationPlan> {
    const {adoptDatabase, describePresence} = await import('../services/db.js')
    const plan = await adoptDatabase({config: await this.loadConfig(), apply: this.flags.yes})
    if (plan.alreadyTracked) {
      this.print('The database already records its migrations; nothing to adopt. See: storybook db status')
      return plan
    }
    this.print(describePresence(plan))
    if (plan.stamp.length === 0) {
      this.print('\nNone of the migrations are in this database; apply them with: storybook db migrate')
    } else if (plan.stamped) {
      this.print(
        this.style.green(`\nRecorded ${plan.stamp.length} migration${plan.stamp.length === 1 ? '' : 's'} as applied.`) +
          (plan.pending.length > 0 ? ' Apply the rest with: storybook db migrate' : ''),
      )
    } else {
      this.print(
        `\nWould record ${plan.stamp.join(', ')} as applied${plan.pending.length > 0 ? `; ${plan.pending.length} would stay pending` : ''}.`,
      )
      this.print('Run again with --yes to write it.')
    }
    return plan
  }
}
