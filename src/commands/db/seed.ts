import {BaseCommand} from '../../core/cli/base-command.js'
import {DEMO_PASSWORD, type SeedResult} from '../../core/db/seed.js'

export default class DbSeed extends BaseCommand<typeof DbSeed> {
  static override summary = 'Add the demo user, characters and story (idempotent)'
  static override description =
    'Inserts demo data with fixed ids; running it again inserts nothing and never touches other data.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Seed demo data after db migrate'},
  ]

  static override enableJsonFlag = true

  public async run(): Promise<SeedResult> {
    const {seedDatabase} = await import('../../services/db.js')
    const result = await seedDatabase({config: await this.loadConfig()})
    const total = Object.values(result.inserted).reduce((sum, count) => sum + count, 0)
    this.print(
      total === 0
        ? 'Demo data is already there; nothing inserted.'
        : `Inserted demo data (${Object.entries(result.inserted)
            .map(([table, count]) => `${count} ${table}`)
            .join(', ')}).`,
    )
    this.print(`Log in as ${result.email} with password ${DEMO_PASSWORD}.`)
    return result
  }
}
