import {Args} from '@oclif/core'
import {relative} from 'node:path'
import {formatCommand} from '../../core/cli/invocation.js'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {NewMigrationResult} from '../../services/db-new.js'

export default class DbNew extends BaseCommand<typeof DbNew> {
  static override summary = 'Scaffold the next numbered migration'
  static override description =
    'Writes migrations/NNNN_<name>.ts with up() and down() and adds it to migrations/index.ts.'

  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> add_story_language',
      description: 'Create 0006_add_story_language.ts',
    },
  ]

  static override enableJsonFlag = true
  static override args = {
    name: Args.string({description: 'What the migration does, e.g. add_story_language', required: true}),
  }

  public async run(): Promise<NewMigrationResult> {
    const {createMigration} = await import('../../services/db-new.js')
    const report = await this.loadEnvironment()
    const result = await createMigration({root: report.root, name: this.args.name})
    this.print(`Created ${relative(report.root, result.file)} and listed it in ${relative(report.root, result.index)}.`)
    this.print(`Next: write up() and down(), then: ${formatCommand('npm run build && storybook db migrate')}`)
    return result
  }
}
