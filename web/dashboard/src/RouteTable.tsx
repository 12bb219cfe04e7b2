// Every operation of the API's OpenAPI document with its traffic, and the synthetic probe of each
// safe GET route (a probe answered below 500 is healthy: 401 means the route guards itself).
import type {RouteRow} from './api'
import {formatNumber, formatPercent, formatTime} from './format'

function probeText(probe: RouteRow['probe']): string {
  if (!probe) return 'not probed'
  const answer = probe.status === null ? (probe.error ?? 'no answer') : String(probe.status)
  return `${probe.ok ? 'ok' : 'failing'}: ${answer}${probe.latencyMs === null ? '' : `, ${formatNumber(probe.latencyMs, 0)} ms`}`
}

export function RouteTable({routes}: {routes: RouteRow[]}) {
  if (routes.length === 0) return <p>No routes yet: the API's OpenAPI document has not been read.</p>
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Route health table">
      <table className="routes stack">
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
            <th scope="col">Calls</th>
            <th scope="col">Errors</th>
            <th scope="col">p95</th>
            <th scope="col">Probe</th>
          </tr>
        </thead>
        <tbody>
          {routes.map((route) => (
            <tr key={`${route.method} ${route.path}`} data-route={`${route.method} ${route.path}`}>
              <td data-label="Method">{route.method}</td>
              <td data-label="Path" title={route.summary}>
                {route.path}
              </td>
              <td data-label="Calls" className="number">
                {route.calls}
              </td>
              <td data-label="Errors" className={`number${route.errorRate > 0 ? ' bad' : ''}`}>
                {formatPercent(route.errorRate)}
              </td>
              <td data-label="p95" className="number">
                {route.calls === 0 ? '–' : `${formatNumber(route.p95)} ms`}
              </td>
              <td
                data-label="Probe"
                className={route.probe && !route.probe.ok ? 'bad' : undefined}
                title={route.probe ? `probed ${formatTime(route.probe.at)}` : undefined}
              >
                {probeText(route.probe)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
