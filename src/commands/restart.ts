import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../core/cli/base-command.js'
import {StorybookError} from '../core/errors.js'
import type {StartedService} from '../services/services.js'

export default class Restart extends BaseCommand<typeof Restart> {
  static override summary = 'Stop and start services again, in the background'
  static override description =
    'A service running in the background is restarted in the background. One running in unified mode belongs ' +
    'to its terminal: restart it there (Ctrl-C, then start again).'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Restart everything'},
    {command: '<%= config.bin %> <%= command.id %> api', description: 'Only the API'},
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'Services to restart (default: all)', required: false})}
  static override flags = {timeout: Flags.integer({description: 'Seconds to wait before SIGKILL', default: 15, min: 1})}

  public async run(): Promise<{services: StartedService[]}> {
    const {liveState, selectServices, startServices, stopServices} = await import('../services/services.js')
    const config = await this.loadConfig()
    const services = selectServices(this.positional)
    const ports: Record<string, number> = {}
    for (const service of services) {
      const live = await liveState(config, service.name)
      if (live.kind === 'ours') ports[service.name] = live.state.port
      if (live.kind === 'ours' && live.state.mode === 'unified') {
        throw new StorybookError('CONFLICT', `${service.name} runs in unified mode, in the terminal of PID ${live.state.supervisor.pid}.`, {
          next: ['press Ctrl-C in that terminal, then: storybook start --unified-mode'],
        })
      }
    }
    const context = {config, toolkitRoot: this.config.root, env: process.env}
    await stopServices(context, services, {timeoutMs: this.flags.timeout * 1000, force: false}, (message) => this.note(message))
    const started = await startServices(context, services, (message) => this.note(message), ports)
    for (const service of started) this.print(this.style.green(`${service.name} restarted on http://127.0.0.1:${service.port} (PID ${service.pid}).`))
    return {services: started}
  }
}
