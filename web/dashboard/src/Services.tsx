// One card per service: up (running and answering its health URL), down, or stopped, said in words
// as well as in colour, with the figures of `storybook status`.
import type {ServiceStatus} from './api'
import {formatBytes, formatDuration, formatNumber} from './format'

export function isUp(service: ServiceStatus): boolean {
  return service.state === 'running' && service.health.ok
}

/** Up, down, or stopped: a service nobody started (the dashboard's own web, say) is not an outage. */
export function statusOf(service: ServiceStatus): 'up' | 'down' | 'stopped' {
  if (isUp(service)) return 'up'
  return service.state === 'stopped' ? 'stopped' : 'down'
}

function statusText(service: ServiceStatus): string {
  if (isUp(service)) return 'Up: running, healthy'
  if (service.state === 'stopped') return 'Stopped (not started)'
  if (service.state === 'running') return 'Down: running, not healthy'
  return `Down: ${service.state}`
}

export function Services({services}: {services: ServiceStatus[]}) {
  if (services.length === 0) return <p>No services known yet.</p>
  return (
    <ul className="services">
      {services.map((service) => {
        const status = statusOf(service)
        return (
          <li key={service.name} className={`service ${status}`} data-service={service.name} data-status={status}>
            <h3>
              <span className="dot" aria-hidden="true" />
              {service.name}
            </h3>
            <p className="service-status">{statusText(service)}</p>
            {service.reason && <p className="service-reason">{service.reason}</p>}
            <dl>
              <dt>PID</dt>
              <dd>{service.pid ?? '–'}</dd>
              <dt>Port</dt>
              <dd>{service.port}</dd>
              <dt>CPU</dt>
              <dd>{service.cpu === null ? '–' : `${formatNumber(service.cpu)}%`}</dd>
              <dt>Memory</dt>
              <dd>{formatBytes(service.memoryBytes)}</dd>
              <dt>Restarts</dt>
              <dd>{service.restarts}</dd>
              <dt>Uptime</dt>
              <dd>{formatDuration(service.uptimeMs)}</dd>
              <dt>Health</dt>
              <dd>{service.health.ok ? `${formatNumber(service.health.latencyMs, 0)} ms` : 'failing'}</dd>
            </dl>
          </li>
        )
      })}
    </ul>
  )
}
