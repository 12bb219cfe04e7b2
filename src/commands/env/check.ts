import {BaseCommand} from '../../core/cli/base-command.js'
import type {AppConfig} from '../../core/config/load.js'

export interface EnvCheckResult {
  valid: true
  envFile: string
  stateDir: string
  database: AppConfig['database']['dialect']
}

export default class EnvCheck extends BaseCommand<typeof EnvCheck> {
  static override summary = 'Validate the configuration; exit 3 listing every problem'
  static override description =
    'Loads the configuration exactly as the other commands and the API do and fails with exit code 3 ' +
    '(CONFIG_INVALID) if any variable is missing or breaks its rule. Meant for CI and scripts.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Check the configuration'},
    {
      command: '<%= config.bin %> <%= command.id %> --json',
      description: 'Check it in CI; the error document lists each problem',
    },
  ]

  static override enableJsonFlag = true

  public async run(): Promise<EnvCheckResult> {
    const config = await this.loadConfig()
    this.print(this.style.green('Configuration is valid.'))
    return {valid: true, envFile: config.envFile, stateDir: config.state.root, database: config.database.dialect}
  }
}
