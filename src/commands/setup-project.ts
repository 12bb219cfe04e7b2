import {Flags} from '@oclif/core'
import {formatCommand} from '../core/cli/invocation.js'
import {BaseCommand} from '../core/cli/base-command.js'
import type {SetupProjectResult} from '../services/setup-project.js'

export default class SetupProject extends BaseCommand<typeof SetupProject> {
  static override summary = 'Set up the project: Node check, dependencies, .env, database, demo data'
  static override description =
    'Each step checks before it acts, so running it again is safe and says that everything is already done. ' +
    'Shows a task list on a terminal and plain lines elsewhere.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'First day: everything'},
    {
      command: '<%= config.bin %> <%= command.id %> --skip-install --no-seed',
      description: 'Without npm install and without demo data',
    },
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'In CI'},
  ]

  static override enableJsonFlag = true
  static override flags = {
    'skip-install': Flags.boolean({description: 'Do not run npm install, even when node_modules is out of date'}),
    seed: Flags.boolean({description: 'Add demo data (use --no-seed to skip)', default: true, allowNo: true}),
  }

  public async run(): Promise<SetupProjectResult> {
    const {setupProjectSteps} = await import('../services/setup-project.js')
    const {Listr} = await import('listr2')
    const report = await this.loadEnvironment({allowMissingEnvFile: true})
    const steps = setupProjectSteps({
      root: report.root,
      env: process.env,
      cwd: process.cwd(),
      envFile: this.flags['env-file'],
      skipInstall: this.flags['skip-install'],
      seed: this.flags.seed,
    })
    const result: SetupProjectResult = {steps: [], alreadySetUp: false}
    const tasks = new Listr(
      steps.map((step) => ({
        title: step.title,
        task: async (_context: unknown, task: {title: string; skip: (message?: string) => void}) => {
          const outcome = await step.run()
          result.steps.push({id: step.id, title: step.title, ...outcome})
          if (outcome.status === 'done') task.title = `${step.title}: ${outcome.message}`
          else task.skip(outcome.message)
        },
      })),
      {
        renderer: this.jsonEnabled() ? 'silent' : this.terminal.interactive ? 'default' : 'simple',
        fallbackRenderer: 'simple',
        rendererOptions: {output: process.stderr},
        exitOnError: true,
        collectErrors: false,
      } as never,
    )
    await tasks.run()
    result.alreadySetUp = result.steps.every((step) => step.status !== 'done')
    const next = formatCommand('storybook start')
    this.print(
      result.alreadySetUp
        ? `Everything was already set up. Next: ${next}`
        : this.style.green(`The project is set up. Next: ${next}`),
    )
    return result
  }
}
