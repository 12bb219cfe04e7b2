// Sending notifications without letting a bad receiver hurt anything: each notifier has its own queue,
// retries with exponential backoff, and a circuit breaker; a newer notification of a group replaces
// one still waiting; every attempt is reported (for the history and the page), and nothing throws.
import {CircuitBreaker, type BreakerState} from '../../core/resilience/circuit-breaker.js'
import type {Notification} from './dispatcher.js'
import type {Notifier} from './notifiers.js'

export interface RetryOptions {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export interface DeliveryOptions {
  notifiers: readonly Notifier[]
  now: () => number
  retry?: RetryOptions
  breaker?: {failureThreshold: number; openMs: number}
  onAttempt?: (attempt: DeliveryAttempt) => void
}

export interface DeliveryAttempt {
  notifier: string
  group: string
  status: Notification['status']
  outcome: 'sent' | 'retrying' | 'gave-up'
  attempt: number
  error?: string
  time: number
}

export interface NotifierStatus {
  name: string
  breaker: BreakerState
  consecutiveFailures: number
  waiting: number
  lastError?: string
  lastSentAt?: number
}

interface Job {
  notification: Notification
  attempts: number
  nextAt: number
}

const DEFAULT_RETRY: RetryOptions = {maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 60_000}

class NotifierQueue {
  readonly jobs: Job[] = []
  readonly breaker: CircuitBreaker
  lastError?: string
  lastSentAt?: number

  constructor(
    readonly notifier: Notifier,
    options: DeliveryOptions,
  ) {
    this.breaker = new CircuitBreaker({...(options.breaker ?? {failureThreshold: 3, openMs: 30_000}), now: options.now})
  }
}

export class Delivery {
  private readonly queues: NotifierQueue[]
  private readonly retry: RetryOptions
  private pumping: Promise<void> | undefined

  constructor(private readonly options: DeliveryOptions) {
    this.queues = options.notifiers.map((notifier) => new NotifierQueue(notifier, options))
    this.retry = options.retry ?? DEFAULT_RETRY
  }

  enqueue(notification: Notification): void {
    for (const queue of this.queues) {
      const stale = queue.jobs.findIndex((job) => job.notification.group === notification.group)
      if (stale >= 0) queue.jobs.splice(stale, 1)
      queue.jobs.push({notification, attempts: 0, nextAt: this.options.now()})
    }
  }

  /** Sends what is due; calls made while a pump runs wait for it. */
  pump(): Promise<void> {
    this.pumping ??= Promise.all(this.queues.map((queue) => this.drain(queue))).then(() => {
      this.pumping = undefined
    })
    return this.pumping
  }

  status(): NotifierStatus[] {
    return this.queues.map((queue) => ({
      name: queue.notifier.name,
      breaker: queue.breaker.state,
      consecutiveFailures: queue.breaker.consecutiveFailures,
      waiting: queue.jobs.length,
      ...(queue.lastError === undefined ? {} : {lastError: queue.lastError}),
      ...(queue.lastSentAt === undefined ? {} : {lastSentAt: queue.lastSentAt}),
    }))
  }

  private async drain(queue: NotifierQueue): Promise<void> {
    for (const job of [...queue.jobs]) {
      if (job.nextAt > this.options.now()) continue
      // An open breaker does not cost the notification an attempt: it waits for the trial call.
      if (!queue.breaker.tryPass()) return
      job.attempts += 1
      const record = {notifier: queue.notifier.name, group: job.notification.group, status: job.notification.status}
      try {
        await queue.notifier.send(job.notification)
        queue.breaker.success()
        queue.lastSentAt = this.options.now()
        queue.lastError = undefined
        this.remove(queue, job)
        this.report({...record, outcome: 'sent', attempt: job.attempts, time: this.options.now()})
      } catch (error) {
        queue.breaker.failure()
        queue.lastError = error instanceof Error ? error.message : String(error)
        const gaveUp = job.attempts >= this.retry.maxAttempts
        if (gaveUp) this.remove(queue, job)
        else job.nextAt = this.options.now() + this.backoff(job.attempts)
        this.report({
          ...record,
          outcome: gaveUp ? 'gave-up' : 'retrying',
          attempt: job.attempts,
          error: queue.lastError,
          time: this.options.now(),
        })
      }
    }
  }

  private remove(queue: NotifierQueue, job: Job): void {
    const index = queue.jobs.indexOf(job)
    if (index >= 0) queue.jobs.splice(index, 1)
  }

  private backoff(attempts: number): number {
    return Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempts - 1))
  }

  private report(attempt: DeliveryAttempt): void {
    try {
      this.options.onAttempt?.(attempt)
    } catch {
      // A failing observer must not stop the deliveries it watches.
    }
  }
}
