import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import {renderTable} from '../../core/output/table.js'
import {showEnvironment, type EnvShowResult} from '../../services/env-show.js'

export default class EnvShow extends BaseCommand<typeof EnvShow> {
  static override summary = 'Show every configuration variable, its value, source and status'
  static override description =
    'Lists each variable of the schema with the value in effect (secrets and passwords inside URLs masked), ' +
    'where it came from (environment, .env, default or missing) and whether it is valid. ' +
    'The process environment wins over .env, which wins over defaults.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Show the configuration with secrets masked'},
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'The same as one JSON document'},
    {
      command: 'API_PORT=9000 <%= config.bin %> <%= command.id %>',
      description: 'See how an environment value overrides .env',
    },
    {command: '<%= config.bin %> <%= command.id %> --reveal', description: 'Show secret values too'},
  ]

  static override enableJsonFlag = true
  static override flags = {
    reveal: Flags.boolean({description: 'Show secret values instead of masking them'}),
  }

  public async run(): Promise<EnvShowResult> {
    const result = showEnvironment(await this.loadEnvironment(), {reveal: this.flags.reveal})
    if (!this.jsonEnabled()) this.render(result)
    return result
  }

  private render(result: EnvShowResult): void {
    const {style} = this
    const rows = result.variables.map((variable) => [
      variable.key,
      variable.value ?? style.dim('(unset)'),
      variable.source,
      variable.valid ? style.green('ok') : style.red(variable.error ?? 'invalid'),
    ])
    this.print(renderTable(['KEY', 'VALUE', 'SOURCE', 'STATUS'], rows, {header: (text) => style.bold(text)}))
    const file = result.envFileExists ? result.envFile : `${result.envFile} (not found)`
    this.print(`\nEnv file: ${file}`)
    for (const warning of result.warnings) this.note(style.yellow(`Warning: ${file}: ${warning}`))
    const {invalid} = result.summary
    if (invalid > 0) {
      this.print(style.red(`${invalid} problem${invalid === 1 ? '' : 's'}; fix with: storybook env setup`))
    }
  }
}
