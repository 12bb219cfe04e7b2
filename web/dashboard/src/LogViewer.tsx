// The logs of every service, merged by time: filter by service, level and text, follow new lines
// (the query again every 2 s), or jump to a time (the lines from then on).
import {useEffect, useId, useRef, useState} from 'react'
import {api, type LogLine} from './api'
import {LEVEL_NAMES, formatTime, toLocalInput} from './format'
import {POLL_INTERVAL_MS} from './live'

const LIMIT = 500
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

export function LogViewer({services}: {services: string[]}) {
  const ids = useId()
  const [service, setService] = useState('')
  const [level, setLevel] = useState('')
  const [text, setText] = useState('')
  const [since, setSince] = useState('')
  const [follow, setFollow] = useState(true)
  const [lines, setLines] = useState<LogLine[]>([])
  const [error, setError] = useState<string | null>(null)
  const [loadedFor, setLoadedFor] = useState('')
  const q = useDebounced(text.trim(), 250)
  const list = useRef<HTMLOListElement>(null)
  const sinceMs = since === '' ? undefined : new Date(since).getTime()
  const filterKey = JSON.stringify({service, level, q, sinceMs})

  useEffect(() => {
    const controller = new AbortController()
    const load = () =>
      api
        .logs({service, level, q, since: sinceMs, limit: LIMIT}, controller.signal)
        .then((answer) => {
          setLines(answer.lines)
          setError(null)
          setLoadedFor(filterKey)
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
  }, [service, level, q, sinceMs, follow, filterKey])

  // Following: the newest line stays in view.
  useEffect(() => {
    const element = list.current
    if (follow && element) element.scrollTop = element.scrollHeight
  }, [lines, follow])

  return (
    <div className="logs">
      <form className="log-filters" onSubmit={(event) => event.preventDefault()} aria-label="Log filters">
        <label htmlFor={`${ids}-service`}>Service</label>
        <select id={`${ids}-service`} value={service} onChange={(event) => setService(event.target.value)}>
          <option value="">All services</option>
          {services.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-level`}>Level at least</label>
        <select id={`${ids}-level`} value={level} onChange={(event) => setLevel(event.target.value)}>
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
          value={text}
          placeholder="e.g. listening"
          onChange={(event) => setText(event.target.value)}
        />
        <label htmlFor={`${ids}-since`}>From time</label>
        <input
          id={`${ids}-since`}
          type="datetime-local"
          step="1"
          value={since}
          onChange={(event) => setSince(event.target.value)}
        />
        <div className="log-actions">
          <button type="button" onClick={() => setSince(toLocalInput(Date.now() - 5 * 60_000))}>
            Last 5 minutes
          </button>
          <button type="button" onClick={() => setSince('')} disabled={since === ''}>
            All recent
          </button>
          <label className="inline">
            <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} /> Follow new
            lines
          </label>
        </div>
      </form>
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
