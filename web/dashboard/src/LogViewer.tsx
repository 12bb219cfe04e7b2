// The logs of every service, merged by time: filter by service, level and text, follow new lines
// (the query again every 2 s), or jump to a time (the lines from then on).
import {useEffect, useId, useRef, useState} from 'react'
import {api, type LogLine} from './api'
import {LEVEL_NAMES, formatTime, toLocalInput} from './format'
import {POLL_INTERVAL_MS} from './live'

const LIMIT = 500
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']

interface Filter {
  service: string
  level: string
  text: string
  /** A datetime-local value, or '' for the newest lines. */
  since: string
  follow: boolean
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** The lines for a filter, read again every 2 s while following; loadedFor names the filter they answer. */
function useLogLines(filter: Filter) {
  const [lines, setLines] = useState<LogLine[]>([])
  const [error, setError] = useState<string | null>(null)
  const [loadedFor, setLoadedFor] = useState('')
  const q = useDebounced(filter.text.trim(), 250)
  const {service, level, follow} = filter
  const since = filter.since === '' ? undefined : new Date(filter.since).getTime()

  useEffect(() => {
    const controller = new AbortController()
    const key = JSON.stringify({service, level, q, since})
    const load = () =>
      api
        .logs({service, level, q, since, limit: LIMIT}, controller.signal)
        .then((answer) => {
          setLines(answer.lines)
          setError(null)
          setLoadedFor(key)
        })
        .catch((reason: unknown) => {
          if (!controller.signal.aborted) setError(`Could not read the logs: ${String(reason)}`)
        })
    void load()
    const timer = follow ? setInterval(() => void load(), POLL_INTERVAL_MS) : undefined
    return () => {
      controller.abort()
      clearInterval(timer)
    }
  }, [service, level, q, since, follow])

  return {lines, error, loadedFor}
}

function LogFilters(props: {services: string[]; filter: Filter; onChange: (change: Partial<Filter>) => void}) {
  const {services, filter, onChange} = props
  const ids = useId()
  return (
    <form className="log-filters" onSubmit={(event) => event.preventDefault()} aria-label="Log filters">
      <label htmlFor={`${ids}-service`}>Service</label>
      <select
        id={`${ids}-service`}
        value={filter.service}
        onChange={(event) => onChange({service: event.target.value})}
      >
        <option value="">All services</option>
        {services.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <label htmlFor={`${ids}-level`}>Level at least</label>
      <select id={`${ids}-level`} value={filter.level} onChange={(event) => onChange({level: event.target.value})}>
        <option value="">Any level</option>
        {LEVELS.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <label htmlFor={`${ids}-text`}>Text</label>
      <input
        id={`${ids}-text`}
        type="search"
        value={filter.text}
        placeholder="e.g. listening"
        onChange={(event) => onChange({text: event.target.value})}
      />
      <label htmlFor={`${ids}-since`}>From time</label>
      <input
        id={`${ids}-since`}
        type="datetime-local"
        step="1"
        value={filter.since}
        onChange={(event) => onChange({since: event.target.value})}
      />
      <div className="log-actions">
        <button type="button" onClick={() => onChange({since: toLocalInput(Date.now() - 5 * 60_000)})}>
          Last 5 minutes
        </button>
        <button type="button" onClick={() => onChange({since: ''})} disabled={filter.since === ''}>
          All recent
        </button>
        <label className="inline">
          <input
            type="checkbox"
            checked={filter.follow}
            onChange={(event) => onChange({follow: event.target.checked})}
          />{' '}
          Follow new lines
        </label>
      </div>
    </form>
  )
}

export function LogViewer({services}: {services: string[]}) {
  const [filter, setFilter] = useState<Filter>({service: '', level: '', text: '', since: '', follow: true})
  const {lines, error, loadedFor} = useLogLines(filter)
  const list = useRef<HTMLOListElement>(null)

  // Following: the newest line stays in view.
  useEffect(() => {
    const element = list.current
    if (filter.follow && element) element.scrollTop = element.scrollHeight
  }, [lines, filter.follow])

  return (
    <div className="logs">
      <LogFilters services={services} filter={filter} onChange={(change) => setFilter({...filter, ...change})} />
      {error && <p className="error">{error}</p>}
      <p className="log-count" aria-live="polite" data-filter={loadedFor}>
        {lines.length === 0 ? 'No lines match.' : `${lines.length} line${lines.length === 1 ? '' : 's'}`}
        {lines.length === LIMIT ? ` (the newest ${LIMIT})` : ''}
      </p>
      <ol className="log-lines" ref={list} tabIndex={0} aria-label="Log lines" hidden={lines.length === 0}>
        {lines.map((line, index) => (
          <li
            key={`${index}:${line.service}:${line.time}`}
            className={`log-line level-${LEVEL_NAMES[line.level] ?? 'info'}`}
            data-service={line.service}
          >
            <time dateTime={line.time ? new Date(line.time).toISOString() : undefined}>{formatTime(line.time)}</time>
            <span className="log-service">{line.service}</span>
            <span className="log-level">{LEVEL_NAMES[line.level] ?? line.level}</span>
            <span className="log-msg">{line.msg}</span>
          </li>
        ))}
      </ol>
    </div>
  )
}
