// The monitoring dashboard: services, charts over a chosen range, route health, logs, alerts and
// silences, kept current by the dashboard's event stream (or by polling when the stream fails).
import {useMemo, useState, type FormEvent} from 'react'
import {AlertHistory, Silences} from './Alerts'
import {RANGES, type NotifierStatus, type Range} from './api'
import {Chart, type ChartSeries} from './Chart'
import {formatTime} from './format'
import {useLive, type Connection} from './live'
import {LogViewer} from './LogViewer'
import {RouteTable} from './RouteTable'
import {Services, statusOf} from './Services'

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Stream lost: polling every 2 s',
}

function TokenForm() {
  const [token, setToken] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    // EventSource cannot send headers: the dashboard accepts its token as this cookie.
    document.cookie = `dashboard_token=${encodeURIComponent(token.trim())}; path=/; SameSite=Strict`
    location.reload()
  }
  return (
    <form className="token-form" onSubmit={submit}>
      <p>
        This dashboard needs its token. Find it with <code>storybook env show DASHBOARD_TOKEN</code>.
      </p>
      <label htmlFor="dashboard-token">Token</label>
      <input id="dashboard-token" type="password" value={token} onChange={(event) => setToken(event.target.value)} />
      <button type="submit">Open</button>
    </form>
  )
}

function RangePicker({range, onChange}: {range: Range; onChange: (range: Range) => void}) {
  return (
    <fieldset className="range-picker">
      <legend>Range</legend>
      {RANGES.map((value) => (
        <label key={value} className={value === range ? 'selected' : undefined}>
          <input type="radio" name="range" value={value} checked={value === range} onChange={() => onChange(value)} />
          {value}
        </label>
      ))}
    </fieldset>
  )
}

function ChartsSection({names, pollVersion}: {names: string[]; pollVersion: number}) {
  const [range, setRange] = useState<Range>('15m')
  const namesKey = names.join(',')
  const perService = useMemo(
    () =>
      (metric: string): ChartSeries[] =>
        namesKey
          .split(',')
          .filter(Boolean)
          .map((name) => ({metric, instance: name, label: name})),
    [namesKey],
  )
  const chartProps = {range, pollVersion}
  return (
    <section aria-labelledby="charts-title">
      <div className="section-head">
        <h2 id="charts-title">Charts</h2>
        <RangePicker range={range} onChange={setRange} />
      </div>
      <div className="charts">
        <Chart id="chart-cpu" title="CPU" unit="%" series={perService('cpu')} {...chartProps} />
        <Chart
          id="chart-memory"
          title="Memory"
          unit="MB"
          scale={1 / (1024 * 1024)}
          digits={0}
          series={perService('memory')}
          {...chartProps}
        />
        <Chart
          id="chart-event-loop"
          title="Event loop delay p99"
          unit="ms"
          series={[{metric: 'eventLoop.p99', instance: 'api', label: 'api'}]}
          {...chartProps}
        />
        <Chart
          id="chart-requests"
          title="requests/s"
          unit=""
          series={[{metric: 'requests.rate', instance: 'api', label: 'api'}]}
          {...chartProps}
        />
        <Chart
          id="chart-latency"
          title="Latency"
          unit="ms"
          series={[
            {metric: 'latency.p50', instance: 'api', label: 'p50'},
            {metric: 'latency.p95', instance: 'api', label: 'p95'},
            {metric: 'latency.p99', instance: 'api', label: 'p99'},
          ]}
          {...chartProps}
        />
        <Chart
          id="chart-errors"
          title="Error rate"
          unit="%"
          scale={100}
          series={[{metric: 'errors.rate', instance: 'api', label: 'api'}]}
          {...chartProps}
        />
      </div>
    </section>
  )
}

function NotifiersSection({notifiers}: {notifiers: NotifierStatus[]}) {
  if (notifiers.length === 0) return null
  return (
    <section aria-labelledby="notifiers-title">
      <h2 id="notifiers-title">Notifiers</h2>
      <ul className="notifiers">
        {notifiers.map((notifier) => (
          <li key={notifier.name}>
            <strong>{notifier.name}</strong>: breaker {notifier.breaker}, {notifier.waiting} waiting
            {notifier.lastSentAt ? `, last sent ${formatTime(notifier.lastSentAt)}` : ''}
            {notifier.lastError ? <span className="bad"> — {notifier.lastError}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

export function App() {
  const live = useLive()
  const names = useMemo(() => live.services.map((service) => service.name), [live.services])
  const down = live.services.filter((service) => statusOf(service) === 'down')

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the dashboard
      </a>
      <header className="top">
        <h1>Storybook monitoring</h1>
        <p className={`connection ${live.connection}`} data-connection={live.connection} role="status">
          {CONNECTION_TEXT[live.connection]}
          {live.updatedAt !== null && <> · updated {formatTime(live.updatedAt)}</>}
        </p>
      </header>
      <main id="main">
        {live.unauthorized ? (
          <TokenForm />
        ) : (
          <>
            {live.error && <p className="error">{live.error}</p>}
            <section aria-labelledby="services-title">
              <h2 id="services-title">
                Services{' '}
                <span className={`summary ${down.length ? 'bad' : 'good'}`}>
                  {live.services.length === 0
                    ? ''
                    : down.length
                      ? `${down.length} down: ${down.map((service) => service.name).join(', ')}`
                      : 'all up'}
                </span>
              </h2>
              <Services services={live.services} />
            </section>

            <ChartsSection names={names} pollVersion={live.connection === 'polling' ? live.pollVersion : 0} />

            <section aria-labelledby="alerts-title">
              <h2 id="alerts-title">Alerts</h2>
              <AlertHistory version={live.alertsVersion} />
              <h2 id="silences-title">Silences</h2>
              <Silences services={names} version={live.alertsVersion} />
            </section>

            <section aria-labelledby="routes-title">
              <h2 id="routes-title">Route health</h2>
              <RouteTable routes={live.overview?.routes ?? []} />
            </section>

            <section aria-labelledby="logs-title">
              <h2 id="logs-title">Logs</h2>
              <LogViewer services={names} />
            </section>

            <NotifiersSection notifiers={live.overview?.notifiers ?? []} />
          </>
        )}
      </main>
    </>
  )
}
