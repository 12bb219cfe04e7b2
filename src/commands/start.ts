import {Args, Flags} from '@oclif/core'
import {join} from 'node:path'
import {BaseCommand} from '../core/cli/base-command.js'
import {formatCommand} from '../core/cli/invocation.js'
import {UsageError} from '../core/errors.js'
import {findService, type ServiceSpec} from '../core/process/registry.js'
import type {StartedService, UnifiedResult} from '../services/services.js'

/**
 * ora is an ES module with a default export only; loaded through the bundle's require() it can
 * arrive wrapped once more, so the function is taken from wherever it is.
 */
async function loadOra(): Promise<typeof import('ora').default> {
  const module = (await import('ora')) as unknown as {
    default: typeof import('ora').default | {default: typeof import('ora').default}
  }
  return typeof module.default === 'function' ? module.default : module.default.default
}

/** `--inspect` alone or `--inspect=PORT` (oclif flags take no optional value): the bare form is rewritten first. */
export function normaliseInspect(argv: string[]): string[] {
  return argv.map((argument) => (argument === '--inspect' ? '--inspect=' : argument))
}

export default class Start extends BaseCommand<typeof Start> {
  static override summary = 'Start the services (in the background unless --unified-mode)'
  static override description =
    'Each service runs under a small supervisor of ours that writes its output to <state dir>/log/<service>.log ' +
    '(rotated), restarts it after a crash with backoff, restarts it when it stops answering its health checks, ' +
    'and gives up after repeated crashes. start returns when every service answers its health URL, or fails with ' +
    'the reason and the last log lines. A service that is already running is left as it is. --unified-mode runs ' +
    'them in this terminal instead, output prefixed per service; Ctrl-C stops them all. --watch does the same and ' +
    'rebuilds and restarts the API when its sources change.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Start everything in the background'},
    {
      command: '<%= config.bin %> <%= command.id %> --unified-mode',
      description: 'Everything in this terminal; Ctrl-C stops it',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --watch',
      description: 'In this terminal; rebuild and restart the API on every change in src/',
    },
    {command: '<%= config.bin %> <%= command.id %> api --api-port 8010', description: 'Only the API, on another port'},
    {
      command: '<%= config.bin %> <%= command.id %> --with-dashboard',
      description: 'Everything, and the monitoring dashboard on DASHBOARD_PORT (8001)',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --separate-terminals',
      description: 'A tmux window (or terminal window) per service',
    },
    {
      command: '<%= config.bin %> <%= command.id %> api --use-ide-terminal --inspect=9230',
      description: "In your IDE's terminal, with the debugger",
    },
    {
      command: '<%= config.bin %> <%= command.id %> --json',
      description: 'In scripts: {"services":[{"name","port","pid","already","startedInMs"}]}',
    },
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'Services to start (default: all)', required: false})}
  static override flags = {
    'unified-mode': Flags.boolean({
      description: 'Run in the foreground of this terminal, output prefixed per service',
      exclusive: ['separate-terminals', 'use-ide-terminal'],
    }),
    watch: Flags.boolean({
      description: 'Like --unified-mode, and rebuild and restart the API when src/ or migrations/ change',
      exclusive: ['separate-terminals', 'use-ide-terminal'],
    }),
    'separate-terminals': Flags.boolean({
      description: 'Each service in a terminal window of its own (tmux windows inside tmux)',
      exclusive: ['use-ide-terminal'],
    }),
    'use-ide-terminal': Flags.boolean({
      description: "One service in this terminal with its output untouched (for an IDE's debugger)",
    }),
    inspect: Flags.string({
      description:
        'With --use-ide-terminal: start the API with the Node inspector (--inspect, or --inspect=PORT or HOST:PORT)',
      dependsOn: ['use-ide-terminal'],
    }),
    'terminal-window': Flags.boolean({
      hidden: true,
      description: 'Set by --separate-terminals in the windows it opens',
    }),
    'with-dashboard': Flags.boolean({
      description: 'Also start the monitoring dashboard (an optional service; `start dashboard` starts it alone)',
    }),
    'api-port': Flags.integer({description: 'Port of the API (overrides API_PORT)', min: 1, max: 65535}),
    'dashboard-port': Flags.integer({
      description: 'Port of the dashboard (overrides DASHBOARD_PORT)',
      min: 1,
      max: 65535,
    }),
    'web-port': Flags.integer({
      description: 'Port of the web app (overrides WEB_PORT; the API allows that origin)',
      min: 1,
      max: 65535,
    }),
  }

  public override async init(): Promise<void> {
    this.argv = normaliseInspect(this.argv)
    await super.init()
  }

  /** A fresh clone has no .env: create one as `env setup --yes` would, and say so. */
  private async prepareFirstRun(): Promise<void> {
    const report = await this.loadEnvironment({allowMissingEnvFile: true})
    if (report.envFileExists) return
    const {setupEnvironment} = await import('../services/env-setup.js')
    const result = await setupEnvironment({report, assignments: [], prompter: undefined})
    this.note(
      `No .env yet: created ${result.envFile} with a generated SESSION_SECRET (${formatCommand('storybook env setup --yes')}).`,
    )
    this.resetEnvironment()
  }

  public async run(): Promise<{services: StartedService[]} | UnifiedResult | undefined> {
    const {createServicesContext, selectServices, startServices, startInTerminals, runForIde} =
      await import('../services/services.js')
    // Port flags act as the environment would: before the configuration is loaded, for every service.
    if (this.flags['api-port']) process.env.API_PORT = String(this.flags['api-port'])
    if (this.flags['web-port']) process.env.WEB_PORT = String(this.flags['web-port'])
    if (this.flags['dashboard-port']) process.env.DASHBOARD_PORT = String(this.flags['dashboard-port'])
    await this.prepareFirstRun()
    const config = await this.loadConfig()
    const staleWarning = this.flags.watch ? undefined : this.warnIfStale() // meanwhile: it reads src/
    const {databaseStatus, migrateDatabase} = await import('../services/db.js')
    if ((await databaseStatus({config})).pending > 0) {
      // A fresh clone must start with one command: the schema is brought up to date first.
      this.note(`The database is not up to date; applying migrations first (${formatCommand('storybook db migrate')}).`)
      await migrateDatabase({config})
    }
    const services = this.withDashboard(selectServices(this.positional))
    const context = createServicesContext({config, toolkitRoot: this.config.root, env: process.env})
    await staleWarning
    if (this.flags['use-ide-terminal']) {
      if (services.length !== 1) {
        throw new UsageError('--use-ide-terminal runs one service; name it.', {
          next: ['storybook start api --use-ide-terminal'],
        })
      }
      process.exitCode = await runForIde(context, services[0] as (typeof services)[number], {
        inspect: this.flags.inspect,
      })
      return undefined
    }
    if (this.flags['separate-terminals']) {
      const started = await startInTerminals(context, services, {
        cliPath: join(this.config.root, 'bin', 'run.js'),
        onProgress: (message) => this.note(message),
      })
      for (const service of started)
        this.print(`${service.name} runs in its own window on http://127.0.0.1:${service.port} (PID ${service.pid}).`)
      return {services: started}
    }
    if (this.flags['unified-mode'] || this.flags.watch) return this.runInThisTerminal(context, services)
    // A spinner on a terminal; plain progress lines anywhere else (pipes, CI, --json).
    const spinner =
      this.terminal.interactive && !this.jsonEnabled()
        ? (await loadOra())({stream: process.stderr, color: 'cyan'}).start('Starting')
        : undefined
    let started: StartedService[]
    try {
      started = await startServices(context, services, {
        onProgress: (message) => (spinner ? (spinner.text = message) : this.note(message)),
      })
    } finally {
      spinner?.stop()
    }
    for (const service of started) {
      this.print(
        service.already
          ? `${service.name} is already running on port ${service.port} (PID ${service.pid}).`
          : this.style.green(
              `${service.name} is up on http://127.0.0.1:${service.port} (PID ${service.pid}, ${service.startedInMs} ms).`,
            ),
      )
    }
    this.print(
      `Next: ${['storybook status', 'storybook logs api -f', 'storybook stop'].map((line) => formatCommand(line)).join(', ')}`,
    )
    return {services: started}
  }

  /**
   * Unified mode (and --watch): every service here, lines prefixed;
   * under --json the lines go to stderr and the summary is the document.
   */
  private async runInThisTerminal(
    context: import('../services/services.js').ServicesContext,
    services: import('../core/process/registry.js').ServiceSpec[],
  ): Promise<UnifiedResult> {
    const {runUnified} = await import('../services/services.js')
    const {formatLogLine} = await import('../core/output/log-line.js')
    const out = this.jsonEnabled() ? process.stderr : process.stdout
    const colours = [this.style.cyan, this.style.magenta, this.style.yellow, this.style.green]
    const width = Math.max(...services.map((service) => service.name.length))
    const prefixes = new Map(
      services.map((service, index) => [
        service.name,
        (colours[index % colours.length] ?? this.style.cyan)(`${service.name.padEnd(width)} |`),
      ]),
    )
    const names = services.map((service) => service.name).join(', ')
    this.note(`Running ${names} here; Ctrl-C stops ${services.length === 1 ? 'it' : 'them all'}.`)
    const watcher = this.flags.watch ? await import('../services/watch.js') : undefined
    const result = await runUnified(context, services, {
      write: (service, line) => {
        // With --verbose an error's stack comes back as more lines, each of which gets the prefix.
        const text = formatLogLine(line, {style: this.style, verbose: this.terminal.debug})
        for (const part of text.split('\n')) out.write(`${prefixes.get(service)} ${part}\n`)
      },
      notice: (service, message) => out.write(`${prefixes.get(service)} ${this.style.bold(message)}\n`),
      mode: this.flags['terminal-window'] ? 'terminal' : 'unified',
      ...(watcher
        ? {
            onStarted: (supervisors) =>
              watcher.watchSources({
                toolkitRoot: this.config.root,
                onRebuilt: (changed) => {
                  this.note(`Rebuilt after a change in ${changed}; restarting the API.`)
                  for (const supervisor of supervisors.filter((entry) => entry.service === 'api'))
                    void supervisor.supervisor.restart()
                },
                onError: (message) => this.note(this.style.red(message)),
              }),
          }
        : {}),
    })
    for (const service of result.services)
      if (service.crashed) this.note(this.style.red(`${service.name} gave up: ${service.reason ?? 'no reason kept'}`))
    process.exitCode = result.exitCode
    return result
  }

  /** --with-dashboard adds the optional dashboard to the services asked for (once). */
  private withDashboard(services: ServiceSpec[]): ServiceSpec[] {
    if (!this.flags['with-dashboard'] || services.some((service) => service.name === 'dashboard')) return services
    const dashboard = findService('dashboard')
    return dashboard ? [...services, dashboard] : services
  }

  /** A developer who edited src/ and forgot to build would run yesterday's code: say so. */
  private async warnIfStale(): Promise<void> {
    const {findStaleBuild} = await import('../services/watch.js')
    const stale = await findStaleBuild(this.config.root)
    if (stale)
      this.note(
        this.style.yellow(
          `Warning: ${stale} is newer than the build in dist/; run npm run build, or ${formatCommand('storybook start --watch')}.`,
        ),
      )
  }
}
