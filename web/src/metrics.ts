// Client-side metrics for the monitoring dashboard: uncaught errors, requests the API refused, page-load
// timings (web-vitals) and whether the main interactions succeeded. Events are batched and sent with
// navigator.sendBeacon to POST /api/client-metrics, at most every few seconds and when the page is
// hidden, so that they cost the user nothing and survive a closing tab.
import {onCLS, onFCP, onINP, onLCP, onTTFB, type Metric} from 'web-vitals'

export type Interaction = 'signup' | 'login' | 'character-wizard' | 'story-wizard' | 'pdf-export'

type ClientEvent =
  | {type: 'error'; message: string; page: string}
  | {type: 'rejected-request'; status: number; path: string}
  | {type: 'vital'; name: Metric['name']; value: number}
  | {type: 'interaction'; name: Interaction; ok: boolean}

const ENDPOINT = '/api/client-metrics'
/** The API takes at most this many events in one batch. */
const MAX_BATCH = 50
const SEND_AFTER_MS = 5_000
/** A page stuck in an error loop must not flood the API: past this, errors of the page are dropped. */
const MAX_ERRORS_PER_PAGE_LOAD = 50

const queue: ClientEvent[] = []
let timer: ReturnType<typeof setTimeout> | undefined
let errorsReported = 0

const cut = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text)
// The API refuses U+0000 in text; a message carrying one is still worth reporting.
// eslint-disable-next-line no-control-regex
const clean = (text: string, length: number) => cut(text.replace(/\u0000/g, ''), length) || '(empty)'
const page = () => clean(globalThis.location?.pathname ?? '/', 200)

function enqueue(event: ClientEvent): void {
  queue.push(event)
  if (queue.length >= MAX_BATCH) flush()
  else timer ??= setTimeout(flush, SEND_AFTER_MS)
}

/** Sends what is queued now (also called when the page is hidden). */
export function flush(): void {
  if (timer !== undefined) clearTimeout(timer)
  timer = undefined
  while (queue.length > 0) {
    const body = JSON.stringify({events: queue.splice(0, MAX_BATCH)})
    const blob = new Blob([body], {type: 'application/json'})
    const sent = typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(ENDPOINT, blob)
    if (!sent) {
      void fetch(ENDPOINT, {
        method: 'POST',
        body,
        headers: {'content-type': 'application/json'},
        keepalive: true,
      }).catch(() => {})
    }
  }
}

export function reportError(message: string): void {
  if (++errorsReported > MAX_ERRORS_PER_PAGE_LOAD) return
  enqueue({type: 'error', message: clean(message, 500), page: page()})
}

/** A request the API answered with an error (4xx or 5xx). */
export function reportRejectedRequest(status: number, url: string): void {
  if (status < 400 || status > 599) return
  let path = url
  try {
    path = new URL(url, globalThis.location?.origin ?? 'http://localhost').pathname
  } catch {
    // keep what was given
  }
  if (path === ENDPOINT) return
  enqueue({type: 'rejected-request', status, path: clean(path, 200)})
}

/** Whether one of the main interactions succeeded (for the dashboard's success rates). */
export function reportInteraction(name: Interaction, ok: boolean): void {
  enqueue({type: 'interaction', name, ok})
}

/** Starts collecting: uncaught errors and rejections, web vitals, and a last send when the page hides. */
export function startMetrics(): void {
  addEventListener('error', (event) => reportError(event.message || String(event.error ?? 'error')))
  addEventListener('unhandledrejection', (event) => {
    const reason: unknown = event.reason
    reportError(`Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`)
  })
  const vital = (metric: Metric) =>
    enqueue({type: 'vital', name: metric.name, value: Math.max(0, Math.min(600_000, metric.value))})
  onLCP(vital)
  onINP(vital)
  onCLS(vital)
  onTTFB(vital)
  onFCP(vital)
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush()
  })
  addEventListener('pagehide', flush)
}
