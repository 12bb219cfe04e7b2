import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../core/cli/base-command.js'
import type {StoppedService} from '../services/services.js'

export default class Stop extends BaseCommand<typeof Stop> {
  static override summary = 'Stop the services gracefully'
  static override description =
    'SIGTERM to each service supervisor (which stops its service gracefully), SIGKILL after --timeout. Only ' +
    'processes storybook can prove it started are signalled (the kernel start time must match); a process that ' +
    'holds a service port without being ours is stopped only with --force, after it is named. Safe to run twice.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Stop everything'},
    {command: '<%= config.bin %> <%= command.id %> api --timeout 30', description: 'Give the API 30 s to finish'},
    {command: '<%= config.bin %> <%= command.id %> api --force', description: 'Also stop a stray server on the API port'},
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'Services to stop (default: all)', required: false})}
  static override flags = {
    timeout: Flags.integer({description: 'Seconds to wait before SIGKILL', default: 15, min: 1}),
    force: Flags.boolean({description: 'Also stop a process storybook did not start that holds a service port'}),
  }

  public async run(): Promise<{services: StoppedService[]}> {
    const {selectServices, stopServices} = await import('../services/services.js')
    const config = await this.loadConfig()
    const services = selectServices(this.positional, {withOptional: true})
    const stopped = await stopServices({config, toolkitRoot: this.config.root, env: process.env}, services, {timeoutMs: this.flags.timeout * 1000, force: this.flags.force}, (message) =>
      this.note(message),
    )
    for (const service of stopped) {
      const text = {
        running: `${service.name} stopped${service.killed ? ' (killed after the timeout)' : ''}.`,
        stale: `${service.name} was not running; removed its stale state file.`,
        crashed: `${service.name} had crashed; cleared its record.`,
        stopped: `${service.name} is not running.`,
        external: `${service.name}: stopped PID ${service.pid}, which storybook had not started.`,
      }[service.found]
      this.print(text)
    }
    return {services: stopped}
  }
}
