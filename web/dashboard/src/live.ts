// Live updates: the dashboard's server-sent events (/events), and when the stream fails, /api/overview
// every 2 s until the stream can be opened again. Samples go to the charts through a small bus so that
// a sample redraws the charts without rendering the whole page.
import {useEffect, useState} from 'react'
import {api, type MetricSample, type Overview, type SampleEvent, type ServiceStatus} from './api'

export const POLL_INTERVAL_MS = 2_000
/** How long polling goes on before the stream is tried again. */
const STREAM_RETRY_MS = 10_000

export type Connection = 'connecting' | 'live' | 'polling'

export interface LiveState {
  connection: Connection
  /** Last time the services were heard of (ms since the epoch). */
  updatedAt: number | null
  services: ServiceStatus[]
  overview: Overview | null
  /** Bumped when alerts or silences may have changed (an alert event, or a poll). */
  alertsVersion: number
  /** Bumped on every poll, so that charts fetch their series again when no samples stream in. */
  pollVersion: number
  error: string | null
  unauthorized: boolean
}

type SampleListener = (time: number, samples: MetricSample[]) => void
const sampleListeners = new Set<SampleListener>()

/** Subscribes to the streamed samples; returns the unsubscribe. */
export function onSamples(listener: SampleListener): () => void {
  sampleListeners.add(listener)
  return () => sampleListeners.delete(listener)
}

const initial: LiveState = {
  connection: 'connecting',
  updatedAt: null,
  services: [],
  overview: null,
  alertsVersion: 0,
  pollVersion: 0,
  error: null,
  unauthorized: false,
}

export function useLive(): LiveState {
  const [state, setState] = useState<LiveState>(initial)

  useEffect(() => {
    let stream: EventSource | undefined
    let pollTimer: ReturnType<typeof setInterval> | undefined
    let retryTimer: ReturnType<typeof setTimeout> | undefined
    let closed = false

    const refreshOverview = async (fromPoll: boolean) => {
      try {
        const overview = await api.overview()
        if (closed) return
        setState((previous) => ({
          ...previous,
          overview,
          services: fromPoll || previous.services.length === 0 ? overview.services : previous.services,
          updatedAt: fromPoll ? overview.time : (previous.updatedAt ?? overview.time),
          pollVersion: fromPoll ? previous.pollVersion + 1 : previous.pollVersion,
          alertsVersion: fromPoll ? previous.alertsVersion + 1 : previous.alertsVersion,
          error: null,
          unauthorized: false,
        }))
      } catch (error) {
        if (closed) return
        const unauthorized = (error as {status?: number}).status === 401
        setState((previous) => ({...previous, unauthorized, error: `The dashboard does not answer: ${String(error)}`}))
      }
    }

    const startPolling = () => {
      if (pollTimer) return
      setState((previous) => ({...previous, connection: 'polling'}))
      void refreshOverview(true)
      pollTimer = setInterval(() => void refreshOverview(true), POLL_INTERVAL_MS)
      retryTimer = setTimeout(openStream, STREAM_RETRY_MS)
    }

    const stopPolling = () => {
      clearInterval(pollTimer)
      clearTimeout(retryTimer)
      pollTimer = undefined
    }

    function openStream() {
      if (closed) return
      stream?.close()
      const source = new EventSource('/events')
      stream = source
      source.addEventListener('open', () => {
        stopPolling()
        setState((previous) => ({...previous, connection: 'live', error: null}))
      })
      source.addEventListener('sample', (message) => {
        const sample = JSON.parse((message as MessageEvent<string>).data) as SampleEvent
        setState((previous) => ({...previous, services: sample.services, updatedAt: sample.time}))
        for (const listener of sampleListeners) listener(sample.time, sample.samples)
      })
      source.addEventListener('alert', () => {
        setState((previous) => ({...previous, alertsVersion: previous.alertsVersion + 1}))
        void refreshOverview(false)
      })
      source.addEventListener('event', () =>
        setState((previous) => ({...previous, alertsVersion: previous.alertsVersion + 1})),
      )
      source.addEventListener('error', () => {
        // The browser would retry on its own; until it is back, the page polls instead.
        source.close()
        if (stream === source) stream = undefined
        startPolling()
      })
    }

    void refreshOverview(false)
    openStream()
    // The route table and notifiers are not in the stream: refresh them now and then.
    const slowTimer = setInterval(() => void refreshOverview(false), 10_000)
    return () => {
      closed = true
      stream?.close()
      stopPolling()
      clearInterval(slowTimer)
    }
  }, [])

  return state
}
