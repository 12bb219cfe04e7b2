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

type Update = (change: (previous: LiveState) => LiveState) => void

/** The stream, or polling while the stream is down; every change goes to the page through update. */
class LiveConnection {
  private stream: EventSource | undefined
  private pollTimer: ReturnType<typeof setInterval> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private slowTimer: ReturnType<typeof setInterval> | undefined
  private closed = false

  constructor(private readonly update: Update) {}

  start(): void {
    void this.refreshOverview(false)
    this.openStream()
    // The route table and notifiers are not in the stream: refresh them now and then.
    this.slowTimer = setInterval(() => void this.refreshOverview(false), 10_000)
  }

  stop(): void {
    this.closed = true
    this.stream?.close()
    this.stopPolling()
    clearInterval(this.slowTimer)
  }

  private async refreshOverview(fromPoll: boolean): Promise<void> {
    try {
      const overview = await api.overview()
      if (this.closed) return
      this.update((previous) => ({
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
      if (this.closed) return
      const unauthorized = (error as {status?: number}).status === 401
      this.update((previous) => ({...previous, unauthorized, error: `The dashboard does not answer: ${String(error)}`}))
    }
  }

  private startPolling(): void {
    if (this.pollTimer) return
    this.update((previous) => ({...previous, connection: 'polling'}))
    void this.refreshOverview(true)
    this.pollTimer = setInterval(() => void this.refreshOverview(true), POLL_INTERVAL_MS)
    this.retryTimer = setTimeout(() => this.openStream(), STREAM_RETRY_MS)
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer)
    clearTimeout(this.retryTimer)
    this.pollTimer = undefined
  }

  private openStream(): void {
    if (this.closed) return
    this.stream?.close()
    const source = new EventSource('/events')
    this.stream = source
    source.addEventListener('open', () => {
      this.stopPolling()
      this.update((previous) => ({...previous, connection: 'live', error: null}))
    })
    source.addEventListener('sample', (message) => {
      const sample = JSON.parse((message as MessageEvent<string>).data) as SampleEvent
      this.update((previous) => ({...previous, services: sample.services, updatedAt: sample.time}))
      for (const listener of sampleListeners) listener(sample.time, sample.samples)
    })
    source.addEventListener('alert', () => {
      this.bumpAlerts()
      void this.refreshOverview(false)
    })
    source.addEventListener('event', () => this.bumpAlerts())
    source.addEventListener('error', () => {
      // The browser would retry on its own; until the stream is back, the page polls instead.
      source.close()
      if (this.stream === source) this.stream = undefined
      this.startPolling()
    })
  }

  private bumpAlerts(): void {
    this.update((previous) => ({...previous, alertsVersion: previous.alertsVersion + 1}))
  }
}

export function useLive(): LiveState {
  const [state, setState] = useState<LiveState>(initial)
  useEffect(() => {
    const connection = new LiveConnection(setState)
    connection.start()
    return () => connection.stop()
  }, [])
  return state
}
