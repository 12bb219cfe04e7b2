import {Args, Flags} from '@oclif/core'
import {join} from 'node:path'
import {BaseCommand} from '../core/cli/base-command.js'
import {formatCommand} from '../core/cli/invocation.js'
import {StorybookError} from '../core/errors.js'
import type {ServiceSpec} from '../core/process/registry.js'
import type {liveState, selectServices, ServicesContext, StartedService} from '../services/services.js'

export default class Restart extends BaseCommand<typeof Restart> {
  static override summary = 'Stop and start services again, each in the mode it ran in'
  static override description =
    'A service running in the background is restarted in the background, one in a terminal window of ' +
    '--separate-terminals in a new window. One running in unified mode or an IDE terminal belongs to that ' +
    'terminal: restart it there (Ctrl-C, then start again). Each service keeps the port it runs on unless a ' +
    'port flag says otherwise; a different configured port is pointed out.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Restart what runs (everything when nothing does)'},
    {command: '<%= config.bin %> <%= command.id %> api', description: 'Only the API'},
    {command: '<%= config.bin %> <%= command.id %> api --api-port 8010', description: 'Move the API to another port'},
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {
    service: Args.string({description: 'Services to restart (default: those running)', required: false}),
  }
  static override flags = {
    timeout: Flags.integer({description: 'Seconds to wait before SIGKILL', default: 15, min: 1}),
    'api-port': Flags.integer({description: 'Port of the API (default: the one it runs on)', min: 1, max: 65535}),
    'web-port': Flags.integer({description: 'Port of the web app (default: the one it runs on)', min: 1, max: 65535}),
  }

  public async run(): Promise<{services: StartedService[]}> {
    const {createServicesContext, liveState, selectServices, startInTerminals, startServices, stopServices} =
      await import('../services/services.js')
    const config = await this.loadConfig()
    const context = createServicesContext({config, toolkitRoot: this.config.root, env: process.env})
    const services = await this.servicesToRestart(context, selectServices, liveState)
    const flagPorts: Record<string, number | undefined> = {api: this.flags['api-port'], web: this.flags['web-port']}
    const ports: Record<string, number> = {}
    const inTerminals = new Set<string>()
    for (const service of services) {
      const live = await liveState(context, service.name)
      const flagged = flagPorts[service.name]
      if (flagged) ports[service.name] = flagged
      if (live.kind !== 'ours') continue
      if (live.state.mode === 'unified' || live.state.mode === 'ide') {
        throw new StorybookError(
          'CONFLICT',
          `${service.name} runs in the foreground of a terminal (${live.state.mode} mode, PID ${live.state.supervisor.pid}).`,
          {
            next: [
              'press Ctrl-C in that terminal, then: storybook start ' +
                (live.state.mode === 'ide' ? `${service.name} --use-ide-terminal` : '--unified-mode'),
            ],
          },
        )
      }
      if (live.state.mode === 'terminal') inTerminals.add(service.name)
      if (flagged) continue
      ports[service.name] = live.state.port
      const configured = service.port(config)
      if (configured !== live.state.port) {
        this.note(
          `${service.name} keeps port ${live.state.port}, the one it runs on (${service.portVariable} is ${configured} now; ` +
            `${formatCommand(`storybook restart ${service.name} --${service.name}-port ${configured}`)} moves it).`,
        )
      }
    }
    const onProgress = (message: string) => this.note(message)
    await stopServices(context, services, {timeoutMs: this.flags.timeout * 1000, force: false, onProgress})
    const background = services.filter((service) => !inTerminals.has(service.name))
    const windowed = services.filter((service) => inTerminals.has(service.name))
    const started = [
      ...(await startServices(context, background, {ports, onProgress})),
      ...(windowed.length > 0
        ? await startInTerminals(context, windowed, {
            cliPath: join(this.config.root, 'bin', 'run.js'),
            ports,
            onProgress,
          })
        : []),
    ]
    for (const service of started)
      this.print(
        this.style.green(`${service.name} restarted on http://127.0.0.1:${service.port} (PID ${service.pid}).`),
      )
    return {services: started}
  }

  /** Those named; without names, those that run now (with the dashboard), or every default one when none does. */
  private async servicesToRestart(
    context: ServicesContext,
    select: typeof selectServices,
    live: typeof liveState,
  ): Promise<ServiceSpec[]> {
    if (this.positional.length > 0) return select(this.positional)
    const known = select([], {withOptional: true})
    const states = await Promise.all(known.map((service) => live(context, service.name)))
    const running = known.filter((_service, index) => states[index]?.kind !== 'stopped')
    return running.length > 0 ? running : select([])
  }
}
