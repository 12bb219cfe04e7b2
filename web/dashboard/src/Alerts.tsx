// The alert history (fired, acknowledged and resolved times, with an acknowledge button) and the
// silences in effect (create one for a rule and/or a service; expire it early).
import {useCallback, useEffect, useId, useState, type FormEvent} from 'react'
import {api, type AlertRecord, type Silence} from './api'
import {formatTime} from './format'

function alertState(alert: AlertRecord): string {
  if (alert.resolvedAt !== null) return 'resolved'
  return alert.acknowledgedAt !== null ? 'acknowledged' : 'firing'
}

function AlertRow({alert, onAcknowledge}: {alert: AlertRecord; onAcknowledge: () => void}) {
  const state = alertState(alert)
  return (
    <tr data-alert={alert.alertId} data-state={state} className={`alert-${state}`}>
      <td data-label="Alert">
        <span>
          <strong>{alert.rule}</strong> · {alert.instance}
          <br />
          <span className="muted">{alert.summary}</span>
        </span>
      </td>
      <td data-label="Severity">{alert.severity}</td>
      <td data-label="State">{state}</td>
      <td data-label="Fired">{formatTime(alert.firedAt)}</td>
      <td data-label="Acknowledged">
        {alert.acknowledgedAt === null
          ? '–'
          : `${formatTime(alert.acknowledgedAt)} by ${alert.acknowledgedBy ?? 'someone'}`}
      </td>
      <td data-label="Resolved">{formatTime(alert.resolvedAt)}</td>
      <td>
        {alert.acknowledgedAt === null && alert.resolvedAt === null && (
          <button type="button" onClick={onAcknowledge}>
            Acknowledge<span className="visually-hidden"> {alert.alertId}</span>
          </button>
        )}
      </td>
    </tr>
  )
}

export function AlertHistory({version}: {version: number}) {
  const [alerts, setAlerts] = useState<AlertRecord[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(
    () =>
      api
        .alerts()
        .then((answer) => {
          setAlerts(answer.alerts)
          setError(null)
        })
        .catch((reason: unknown) => setError(`Could not read the alerts: ${String(reason)}`)),
    [],
  )
  useEffect(() => {
    void load()
  }, [load, version])

  const acknowledge = async (alert: AlertRecord) => {
    try {
      await api.acknowledge(alert.id, 'dashboard')
    } catch (reason) {
      setError(`Could not acknowledge: ${String(reason)}`)
    }
    await load()
  }

  if (alerts === null) return error ? <p className="error">{error}</p> : <p>Loading…</p>
  return (
    <>
      {error && <p className="error">{error}</p>}
      {alerts.length === 0 ? (
        <p>No alerts yet.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Alert history table">
          <table className="alerts stack">
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Severity</th>
                <th scope="col">State</th>
                <th scope="col">Fired</th>
                <th scope="col">Acknowledged</th>
                <th scope="col">Resolved</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <AlertRow key={alert.id} alert={alert} onAcknowledge={() => void acknowledge(alert)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

function SilenceForm({services, onCreated}: {services: string[]; onCreated: (error: string | null) => void}) {
  const ids = useId()
  const [rule, setRule] = useState('')
  const [instance, setInstance] = useState('')
  const [minutes, setMinutes] = useState('60')
  const [comment, setComment] = useState('')

  const create = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await api.addSilence({
        ...(rule.trim() ? {rule: rule.trim()} : {}),
        ...(instance ? {instance} : {}),
        minutes: Number(minutes),
        comment: comment.trim(),
      })
      setComment('')
      onCreated(null)
    } catch (reason) {
      onCreated(`Could not add the silence: ${String(reason)}`)
    }
  }

  return (
    <form className="silence-form" onSubmit={(event) => void create(event)}>
      <h3>New silence</h3>
      <label htmlFor={`${ids}-rule`}>Rule (empty: every rule)</label>
      <input
        id={`${ids}-rule`}
        value={rule}
        placeholder="service-down"
        onChange={(event) => setRule(event.target.value)}
      />
      <label htmlFor={`${ids}-instance`}>Service</label>
      <select id={`${ids}-instance`} value={instance} onChange={(event) => setInstance(event.target.value)}>
        <option value="">Every service</option>
        {services.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <label htmlFor={`${ids}-minutes`}>Minutes</label>
      <input
        id={`${ids}-minutes`}
        type="number"
        min={1}
        max={10080}
        required
        value={minutes}
        onChange={(event) => setMinutes(event.target.value)}
      />
      <label htmlFor={`${ids}-comment`}>Comment</label>
      <input id={`${ids}-comment`} value={comment} onChange={(event) => setComment(event.target.value)} />
      <button type="submit">Silence</button>
    </form>
  )
}

export function Silences({services, version}: {services: string[]; version: number}) {
  const [silences, setSilences] = useState<Silence[]>([])
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(
    () =>
      api
        .silences()
        .then((answer) => setSilences(answer.silences))
        .catch((reason: unknown) => setError(`Could not read the silences: ${String(reason)}`)),
    [],
  )
  useEffect(() => {
    void load()
  }, [load, version])

  const expire = async (id: string) => {
    try {
      await api.expireSilence(id)
    } catch (reason) {
      setError(`Could not expire the silence: ${String(reason)}`)
    }
    await load()
  }

  return (
    <>
      {error && <p className="error">{error}</p>}
      {silences.length === 0 ? (
        <p>No silences in effect.</p>
      ) : (
        <ul className="silences">
          {silences.map((silence) => (
            <li key={silence.id} data-silence={silence.id}>
              <span>
                <strong>{silence.rule ?? 'every rule'}</strong> on {silence.instance ?? 'every service'} until{' '}
                {formatTime(silence.endsAt)}
                {silence.comment && <span className="muted"> — {silence.comment}</span>}
              </span>
              <button type="button" onClick={() => void expire(silence.id)}>
                Expire<span className="visually-hidden"> silence {silence.id}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <SilenceForm
        services={services}
        onCreated={(failure) => {
          setError(failure)
          void load()
        }}
      />
    </>
  )
}
