import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {RepairResult} from '../../core/db/migrator.js'

export default class DbRepair extends BaseCommand<typeof DbRepair> {
  static override summary = 'Accept harmless edits to applied migrations; forget removed ones'
  static override description =
    'Drift means an applied migration was edited or removed. repair checks each edited one: when the SQL it records ' +
    'now matches the SQL recorded when it was applied but for whitespace, comments, case and quoting, with the same ' +
    'values, it records the current checksum (like Flyway repair). Any other edit is refused with the first ' +
    'difference (exit 11) and nothing is written. Records of migrations removed from migrations/ are kept and listed; ' +
    '--forget-missing removes them (what those migrations created stays in the database).'

  static override examples = [
    {
      command: '<%= config.bin %> db status && <%= config.bin %> <%= command.id %>',
      description: 'See the drift, then accept it if the edit is harmless',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --forget-missing',
      description: 'A migration file was removed on purpose: forget that it was applied',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    'forget-missing': Flags.boolean({
      description: 'Remove the records of applied migrations that are no longer in migrations/',
    }),
  }

  public async run(): Promise<RepairResult> {
    const {repairDatabase} = await import('../../services/db.js')
    const result = await repairDatabase({config: await this.loadConfig(), forgetMissing: this.flags['forget-missing']})
    this.print(
      result.realigned.length === 0
        ? 'No changed migrations; nothing to repair.'
        : `Checked and accepted the edit${result.realigned.length === 1 ? '' : 's'} to ${result.realigned.join(', ')} ` +
            `(the same SQL but for formatting); recorded the current checksum${result.realigned.length === 1 ? '' : 's'}.`,
    )
    for (const name of result.forgotten) {
      this.print(
        `Forgot ${name}: it was applied but is no longer in migrations/; what it created stays in the database.`,
      )
    }
    if (result.missing.length > 0)
      this.note(
        this.style.yellow(
          `Still applied but missing from migrations/: ${result.missing.join(', ')}. Restore the files from git, ` +
            'or if they were removed on purpose: storybook db repair --forget-missing',
        ),
      )
    return result
  }
}
