import {Args} from '@oclif/core'
import {BaseCommand} from '../core/cli/base-command.js'
import {formatCommand} from '../core/cli/invocation.js'
import {toLenientConfig} from '../core/config/load.js'
import {renderTable} from '../core/output/table.js'
import type {ServiceStatus} from '../services/services.js'

function duration(ms: number | null): string {
  if (ms === null) return '-'
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`
}

export default class Status extends BaseCommand<typeof Status> {
  static override summary = 'Show each service: state, PID, port, uptime, CPU, memory, restarts, health, readiness'
  static override description =
    'Every registered service, running or not. running means that the service process storybook started (or a ' +
    'process it started) holds the port and answers its health URL; HEALTH also shows readiness (the API: ' +
    'database reachable and migrations current). PID and UPTIME are those of the service process, not its ' +
    'supervisor. A server started outside storybook that holds a service port shows as external, with its PID ' +
    'and command. A state file whose process is gone shows as stale. Works from the state files alone, even ' +
    'when .env is broken.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'The table'},
    {
      command: '<%= config.bin %> <%= command.id %> --json',
      description:
        '{"services":[{"name","state","pid","port","uptimeMs","cpu","memoryBytes","restarts","health":{"ok","latencyMs"},"ready","mode"}]}',
    },
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'Services to show (default: all)', required: false})}

  public async run(): Promise<{services: ServiceStatus[]}> {
    const {createServicesContext, selectServices, servicesStatus, stateOnlyConfigWarning} =
      await import('../services/services.js')
    const {config, invalid} = toLenientConfig(await this.loadEnvironment({allowMissingEnvFile: true}))
    const warning = stateOnlyConfigWarning(invalid)
    if (warning) this.note(`${warning} (${formatCommand('storybook env check')})`)
    const context = createServicesContext({config, toolkitRoot: this.config.root, env: process.env})
    const services = await servicesStatus(context, selectServices(this.positional, {withOptional: true}))
    if (!this.jsonEnabled()) this.printTable(services)
    return {services}
  }

  private printTable(services: ServiceStatus[]): void {
    const {style} = this
    const colour = {
      running: style.green,
      starting: style.yellow,
      stopped: style.dim,
      crashed: style.red,
      stale: style.yellow,
      external: style.magenta,
    }
    const health = (service: ServiceStatus) => {
      if (!service.health.ok) return service.state === 'stopped' ? '-' : style.red('no answer')
      const live = `ok ${service.health.latencyMs} ms`
      if (!service.ready) return style.green(live)
      return service.ready.ok
        ? style.green(`${live}, ready`)
        : style.yellow(`${live}, not ready (${service.ready.status ?? 'no answer'})`)
    }
    const rows = services.map((service) => [
      service.name,
      colour[service.state](service.state),
      service.pid === null ? '-' : String(service.pid),
      String(service.port),
      duration(service.uptimeMs),
      service.cpu === null ? '-' : `${service.cpu}%`,
      service.memoryBytes === null ? '-' : `${Math.round(service.memoryBytes / 1024 / 1024)} MB`,
      String(service.restarts),
      health(service),
      service.mode ?? '-',
    ])
    this.print(
      renderTable(['SERVICE', 'STATE', 'PID', 'PORT', 'UPTIME', 'CPU', 'MEMORY', 'RESTARTS', 'HEALTH', 'MODE'], rows, {
        header: (text) => style.bold(text),
      }),
    )
    for (const service of services) {
      if (service.state === 'external')
        this.note(
          `${service.name}: port ${service.port} is held by PID ${service.pid} (${service.command}), not started by storybook.`,
        )
      if (service.reason) this.note(`${service.name}: ${service.reason}`)
      if (service.logDropped)
        this.note(
          `${service.name}: ${service.logDropped.lines} log lines dropped (${service.logDropped.error}); is the disk full?`,
        )
    }
  }
}
