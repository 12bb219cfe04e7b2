import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../core/cli/base-command.js'
import {formatCommand} from '../core/cli/invocation.js'
import {toLenientConfig} from '../core/config/load.js'
import type {StoppedService} from '../services/services.js'

export default class Stop extends BaseCommand<typeof Stop> {
  static override summary = 'Stop the services gracefully'
  static override description =
    'SIGTERM to each service supervisor (which stops its service gracefully), then SIGKILL after --timeout to ' +
    'whatever of the service is left: its process, and every process it started. Only processes storybook can ' +
    'prove it started are signalled (the kernel start time, command line and user must match the record); a ' +
    'process that holds a service port without being ours is named and left alone, unless --force. Exits ' +
    'non-zero, naming them, if any of ours survive. Works from the state files alone, even when .env is broken. ' +
    'Safe to run twice.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Stop everything'},
    {command: '<%= config.bin %> <%= command.id %> api --timeout 30', description: 'Give the API 30 s to finish'},
    {
      command: '<%= config.bin %> <%= command.id %> api --force',
      description: 'Also stop a stray server on the API port',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --json',
      description: 'In scripts: {"services":[{"name","found","pid","killed"}]}',
    },
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'Services to stop (default: all)', required: false})}
  static override flags = {
    timeout: Flags.integer({description: 'Seconds to wait before SIGKILL', default: 15, min: 1}),
    force: Flags.boolean({description: 'Also stop a process storybook did not start that holds a service port'}),
  }

  public async run(): Promise<{services: StoppedService[]}> {
    const {createServicesContext, selectServices, stopServices, stateOnlyConfigWarning} =
      await import('../services/services.js')
    const {config, invalid} = toLenientConfig(await this.loadEnvironment({allowMissingEnvFile: true}))
    const warning = stateOnlyConfigWarning(invalid)
    if (warning) this.note(`${warning} (${formatCommand('storybook env check')})`)
    const services = selectServices(this.positional, {withOptional: true})
    const context = createServicesContext({config, toolkitRoot: this.config.root, env: process.env})
    const stopped = await stopServices(context, services, {
      timeoutMs: this.flags.timeout * 1000,
      force: this.flags.force,
      onProgress: (message) => this.note(message),
    })
    for (const service of stopped) {
      this.print(stopMessage(service))
      if (service.heldBy) {
        const {pid, command} = service.heldBy
        const force = formatCommand(`storybook stop ${service.name} --force`)
        this.note(
          `${service.name}: port held by PID ${pid} (${command}), which storybook did not start; left alone (${force}).`,
        )
      }
    }
    return {services: stopped}
  }
}

function stopMessage(service: StoppedService): string {
  const was = service.pid === null ? '' : ` (PID ${service.pid})`
  switch (service.found) {
    case 'running':
      return `${service.name} stopped${was}${service.killed ? ', killed after the timeout' : ''}.`
    case 'stale':
      return service.pid === null
        ? `${service.name} was not running; removed its stale state file.`
        : `${service.name} ran without its supervisor${was}; stopped it and removed its state file.`
    case 'crashed':
      return `${service.name} had crashed; cleared its record.`
    case 'external':
      return `${service.name}: stopped PID ${service.pid}, which storybook had not started.`
    default:
      return `${service.name} is not running.`
  }
}
