import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import {describeEnvSetup, setupEnvironment, type EnvSetupResult} from '../../services/env-setup.js'

export default class EnvSetup extends BaseCommand<typeof EnvSetup> {
  static override summary = 'Create or update the .env file from the configuration schema'
  static override description =
    'Fills in every setting that has a default, generates secrets, and (on a terminal) asks for ' +
    'missing or invalid values, with hidden input for secrets. Existing lines, comments and unknown ' +
    'keys are kept; the file is written atomically with mode 0600 and added to .gitignore. ' +
    'Prints which keys changed, never their values. Running it again changes nothing.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Create .env, asking for what is missing'},
    {command: '<%= config.bin %> <%= command.id %> --yes', description: 'No questions: defaults and generated secrets'},
    {
      command: '<%= config.bin %> <%= command.id %> --set API_PORT=8080 --set LOG_LEVEL=debug',
      description: 'Set values (each is validated before anything is written)',
    },
    {
      command: 'STORYBOOK_ENV_FILE=.env.test <%= config.bin %> <%= command.id %> --yes',
      description: 'Create another env file (on Node 20, --env-file must name a file that exists)',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Do not ask: use defaults and generate secrets'}),
    set: Flags.string({
      description: 'Set KEY=VALUE (repeatable); validated against the schema',
      multiple: true,
      default: [],
    }),
  }

  public async run(): Promise<EnvSetupResult> {
    const report = await this.loadEnvironment({allowMissingEnvFile: true})
    const interactive = this.terminal.interactive && !this.flags.yes && !this.jsonEnabled()
    const prompter = interactive
      ? await (await import('../../core/cli/inquirer-prompter.js')).createInquirerPrompter()
      : undefined
    const result = await setupEnvironment({report, assignments: this.flags.set, prompter})
    if (this.terminal.debug) {
      const logger = await this.logger()
      logger.debug({envFile: result.envFile, changes: result.changes, interactive}, 'env setup finished')
    }
    if (!this.jsonEnabled()) {
      for (const line of describeEnvSetup(result, report.root)) this.print(line)
    }
    for (const warning of result.warnings) this.note(this.style.yellow(`Warning: ${warning}`))
    return result
  }
}
