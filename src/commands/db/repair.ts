import {BaseCommand} from '../../core/cli/base-command.js'
import type {RepairResult} from '../../core/db/migrator.js'

export default class DbRepair extends BaseCommand<typeof DbRepair> {
  static override summary = 'Accept changed applied migrations as they are now (after checking them)'
  static override description =
    'Drift means an applied migration was edited. When the edit is harmless (a comment, a refactor that ' +
    'compiles to the same intent), repair records the current checksums, like Flyway repair. Records of ' +
    'migrations removed from the code are kept and listed.'

  static override examples = [
    {
      command: '<%= config.bin %> db status && <%= config.bin %> <%= command.id %>',
      description: 'See the drift, then accept it',
    },
  ]

  static override enableJsonFlag = true

  public async run(): Promise<RepairResult> {
    const {repairDatabase} = await import('../../services/db.js')
    const result = await repairDatabase({config: await this.loadConfig()})
    this.print(
      result.realigned.length === 0
        ? 'No changed migrations; nothing to repair.'
        : `Recorded the current checksums of ${result.realigned.join(', ')}.`,
    )
    if (result.missing.length > 0)
      this.note(
        this.style.yellow(
          `Still applied but missing from migrations/: ${result.missing.join(', ')} (restore the files from git).`,
        ),
      )
    return result
  }
}
