import {Args, Flags} from '@oclif/core'
import {join} from 'node:path'
import {BaseCommand} from '../core/cli/base-command.js'
import {UsageError} from '../core/errors.js'
import type {StartedService} from '../services/services.js'

/**
 * ora is an ES module with a default export only; loaded through the bundle's require() it can
 * arrive wrapped once more, so the function is taken from wherever it is.
 */
async function loadOra(): Promise<typeof import('ora').default> {
  const module = (await import('ora')) as unknown as {default: typeof import('ora').default | {default: typeof import('ora').default}}
  return typeof module.default === 'function' ? module.default : module.default.default
}

export default class Start extends BaseCommand<typeof Start> {
  static override summary = 'Start the services (in the background unless --unified-mode)'
  static override description =
    'Each service runs under a small supervisor of ours that writes its output to <state dir>/log/<service>.log ' +
    '(rotated), restarts it after a crash with backoff and gives up after repeated crashes. start returns when ' +
    'every service answers its health URL, or fails with the reason and the last log lines. A service that is ' +
    'already running is left as it is. --unified-mode runs them in this terminal instead, output prefixed per ' +
    'service; Ctrl-C stops them all.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Start everything in the background'},
    {command: '<%= config.bin %> <%= command.id %> --unified-mode', description: 'Everything in this terminal; Ctrl-C stops it'},
    {command: '<%= config.bin %> <%= command.id %> api --api-port 8010', description: 'Only the API, on another port'},
    {command: '<%= config.bin %> <%= command.id %> --separate-terminals', description: 'A tmux window (or terminal window) per service'},
    {command: '<%= config.bin %> <%= command.id %> api --use-ide-terminal --inspect', description: "In your IDE's terminal, with the debugger"},
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'In scripts: {"services":[{"name","port","pid","already","startedInMs"}]}'},
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'Services to start (default: all)', required: false})}
  static override flags = {
    'unified-mode': Flags.boolean({description: 'Run in the foreground of this terminal, output prefixed per service', exclusive: ['separate-terminals', 'use-ide-terminal']}),
    'separate-terminals': Flags.boolean({description: 'Each service in a terminal window of its own (tmux windows inside tmux)', exclusive: ['use-ide-terminal']}),
    'use-ide-terminal': Flags.boolean({description: "One service in this terminal with its output untouched (for an IDE's debugger)"}),
    inspect: Flags.boolean({description: 'With --use-ide-terminal: start the API with the Node inspector', dependsOn: ['use-ide-terminal']}),
    'terminal-window': Flags.boolean({hidden: true, description: 'Set by --separate-terminals in the windows it opens'}),
    'api-port': Flags.integer({description: 'Port of the API (overrides API_PORT)', min: 1, max: 65535}),
    'web-port': Flags.integer({description: 'Port of the web app (overrides WEB_PORT; the API allows that origin)', min: 1, max: 65535}),
  }

  /** A fresh clone has no .env: create one as `env setup --yes` would, and say so. */
  private async prepareFirstRun(): Promise<void> {
    const report = await this.loadEnvironment({allowMissingEnvFile: true})
    if (report.envFileExists) return
    const {setupEnvironment} = await import('../services/env-setup.js')
    const result = await setupEnvironment({report, assignments: [], prompter: undefined})
    this.note(`No .env yet: created ${result.envFile} with a generated SESSION_SECRET (storybook env setup --yes).`)
    this.resetEnvironment()
  }

  public async run(): Promise<{services: StartedService[]} | undefined> {
    const {selectServices, startServices, runUnified, startInTerminals, runForIde} = await import('../services/services.js')
    // Port flags act as the environment would: before the configuration is loaded, for every service.
    if (this.flags['api-port']) process.env.API_PORT = String(this.flags['api-port'])
    if (this.flags['web-port']) process.env.WEB_PORT = String(this.flags['web-port'])
    await this.prepareFirstRun()
    const config = await this.loadConfig()
    const {databaseStatus, migrateDatabase} = await import('../services/db.js')
    if ((await databaseStatus({config})).pending > 0) {
      // A fresh clone must start with one command: the schema is brought up to date first.
      this.note('The database is not up to date; applying migrations first (storybook db migrate).')
      await migrateDatabase({config})
    }
    const services = selectServices(this.positional)
    const context = {config, toolkitRoot: this.config.root, env: process.env}
    if (this.flags['use-ide-terminal']) {
      if (services.length !== 1) {
        throw new UsageError('--use-ide-terminal runs one service; name it.', {next: ['storybook start api --use-ide-terminal']})
      }
      process.exitCode = await runForIde(context, services[0] as (typeof services)[number], {inspect: this.flags.inspect})
      return undefined
    }
    if (this.flags['separate-terminals']) {
      const started = await startInTerminals(context, services, join(this.config.root, 'bin', 'run.js'), (message) => this.note(message))
      for (const service of started) this.print(`${service.name} runs in its own window on http://127.0.0.1:${service.port} (PID ${service.pid}).`)
      return {services: started}
    }
    if (this.flags['unified-mode']) {
      const colours = [this.style.cyan, this.style.magenta, this.style.yellow, this.style.green]
      const width = Math.max(...services.map((service) => service.name.length))
      const prefixes = new Map(services.map((service, index) => [service.name, (colours[index % colours.length] ?? this.style.cyan)(`${service.name.padEnd(width)} |`)]))
      this.note(`Running ${services.map((service) => service.name).join(', ')} here; Ctrl-C stops ${services.length === 1 ? 'it' : 'them all'}.`)
      process.exitCode = await runUnified(
        context,
        services,
        (service, line) => process.stdout.write(`${prefixes.get(service)} ${line}\n`),
        process,
        this.flags['terminal-window'] ? 'terminal' : 'unified',
      )
      return undefined
    }
    // A spinner on a terminal; plain progress lines anywhere else (pipes, CI, --json).
    const spinner = this.terminal.interactive && !this.jsonEnabled() ? (await loadOra())({stream: process.stderr, color: 'cyan'}).start('Starting') : undefined
    let started: StartedService[]
    try {
      started = await startServices(context, services, (message) => (spinner ? (spinner.text = message) : this.note(message)))
    } finally {
      spinner?.stop()
    }
    for (const service of started) {
      this.print(
        service.already
          ? `${service.name} is already running on port ${service.port} (PID ${service.pid}).`
          : this.style.green(`${service.name} is up on http://127.0.0.1:${service.port} (PID ${service.pid}, ${service.startedInMs} ms).`),
      )
    }
    this.print('Next: storybook status, storybook logs api -f, storybook stop')
    return {services: started}
  }
}
