// The dashboard's heartbeat: every interval it collects a sample, keeps it in the history, evaluates
// the alert rules, records fired and resolved alerts, routes notifications to the notifiers, runs the
// automated recovery actions (each rate-limited and recorded) and tells the page what changed.
import type {Dispatcher, Notification} from './alerts/dispatcher.js'
import type {Delivery, DeliveryAttempt} from './alerts/delivery.js'
import type {AlertEngine, AlertTransition} from './alerts/engine.js'
import type {Collected, Collector} from './collector.js'
import type {MonitoringHistory} from './history.js'

export interface RecoveryActions {
  /** Starts a service whose supervisor gave up (state crashed), on its port; says what it did. */
  restartCrashed(service: string, port: number): Promise<string>
  /** Removes rotated logs and backups past their retention; says what it removed. */
  freeDisk(): Promise<string>
}

export interface RecoveryLimits {
  /** At most this many restarts of one service… */
  restartsPerWindow: number
  /** …within this window. */
  windowMs: number
  /** The disk clean-up runs at most once per this. */
  freeDiskEveryMs: number
}

export const DEFAULT_RECOVERY_LIMITS: RecoveryLimits = {
  restartsPerWindow: 3,
  windowMs: 60 * 60_000,
  freeDiskEveryMs: 10 * 60_000,
}

export type MonitorUpdate =
  | {type: 'sample'; collected: Collected}
  | {type: 'alert'; transition: AlertTransition}
  | {type: 'event'; subject: string}

export interface MonitorOptions {
  collector: Pick<Collector, 'collect'>
  history: MonitoringHistory
  engine: AlertEngine
  dispatcher: Dispatcher
  delivery: Delivery
  recovery?: RecoveryActions
  limits?: RecoveryLimits
  now: () => number
  onUpdate?: (update: MonitorUpdate) => void
  /** Something went wrong inside a tick (it never stops the monitor). */
  onError?: (error: unknown) => void
}

export class Monitor {
  private readonly restarts = new Map<string, number[]>()
  /** Each service's restart counter at the previous sample: a rise is a restart its supervisor made. */
  private readonly supervisorRestarts = new Map<string, number>()
  private lastDiskCleanup = Number.NEGATIVE_INFINITY
  private lastPrune = Number.NEGATIVE_INFINITY
  private latest: Collected | undefined
  private ticking: Promise<void> | undefined

  constructor(private readonly options: MonitorOptions) {}

  /** The last sample (for a page that just connected). */
  get current(): Collected | undefined {
    return this.latest
  }

  /** One round; a round still running when the next is due is not doubled. */
  tick(): Promise<void> {
    this.ticking ??= this.round()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.ticking = undefined
      })
    return this.ticking
  }

  private async round(): Promise<void> {
    const {history, engine, dispatcher, delivery, now} = this.options
    const collected = await this.options.collector.collect()
    this.latest = collected
    const time = collected.snapshot.time
    history.record(time, collected.samples)
    this.options.onUpdate?.({type: 'sample', collected})
    const transitions = engine.evaluate(collected.snapshot)
    for (const transition of transitions) {
      if (transition.kind === 'firing') history.alertFired(transition.alert)
      else history.alertResolved(transition.alert)
      this.options.onUpdate?.({type: 'alert', transition})
    }
    dispatcher.receive(transitions, time)
    for (const notification of dispatcher.due(time)) delivery.enqueue(notification)
    await delivery.pump()
    await this.recover(
      collected,
      engine.active().map((alert) => alert.rule),
    )
    if (now() - this.lastPrune >= 60_000) {
      history.prune(now())
      this.lastPrune = now()
    }
  }

  /** Records a notification attempt (Delivery's onAttempt). */
  recordAttempt(attempt: DeliveryAttempt): void {
    const next = attempt.outcome === 'gave-up' ? 'gave up' : 'will retry'
    const subject =
      attempt.outcome === 'sent'
        ? `${attempt.status} notice sent to ${attempt.notifier}`
        : `${attempt.notifier} failed (attempt ${attempt.attempt}, ${next}): ${attempt.error ?? ''}`
    this.event('notification', subject, {...attempt})
  }

  /** The supervisor restarts a crashed or unresponsive service by itself: the history says so. */
  private recordSupervisorRestarts(collected: Collected): void {
    for (const status of collected.statuses) {
      const before = this.supervisorRestarts.get(status.name)
      this.supervisorRestarts.set(status.name, status.restarts)
      if (before === undefined || status.restarts <= before) continue
      const reason = status.reason ? `: ${status.reason}` : ''
      this.event('recovery', `${status.name} was restarted by its supervisor (restart ${status.restarts})${reason}`, {
        service: status.name,
        restarts: status.restarts,
      })
    }
  }

  private async recover(collected: Collected, firingRules: string[]): Promise<void> {
    this.recordSupervisorRestarts(collected)
    const {recovery, now} = this.options
    if (!recovery) return
    const limits = this.options.limits ?? DEFAULT_RECOVERY_LIMITS
    for (const status of collected.statuses) {
      if (status.state !== 'crashed') continue
      const recent = (this.restarts.get(status.name) ?? []).filter((time) => now() - time < limits.windowMs)
      this.restarts.set(status.name, recent)
      if (recent.length >= limits.restartsPerWindow) continue
      recent.push(now())
      await this.act(`restart ${status.name}`, () => recovery.restartCrashed(status.name, status.port), {
        service: status.name,
        reason: status.reason ?? 'crashed',
        attempt: recent.length,
        of: limits.restartsPerWindow,
      })
    }
    if (firingRules.includes('disk-full') && now() - this.lastDiskCleanup >= limits.freeDiskEveryMs) {
      this.lastDiskCleanup = now()
      await this.act('free disk space', () => recovery.freeDisk(), {})
    }
  }

  private async act(what: string, action: () => Promise<string>, detail: Record<string, unknown>): Promise<void> {
    try {
      const outcome = await action()
      this.event('recovery', `${what}: ${outcome}`, {...detail, ok: true})
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.event('recovery', `${what} failed: ${message}`, {...detail, ok: false})
    }
  }

  private event(kind: 'notification' | 'recovery', subject: string, detail: Record<string, unknown>): void {
    this.options.history.addEvent({time: this.options.now(), kind, subject, detail})
    this.options.onUpdate?.({type: 'event', subject})
  }
}

/** For `storybook alerts test`: one notification that says it is a test. */
export function testNotification(now: number): Notification {
  const alert = {
    id: 'test/storybook',
    rule: 'test',
    instance: 'storybook',
    severity: 'info' as const,
    summary: 'A test notification from storybook alerts test',
    value: 0,
    startsAt: now,
  }
  return {group: 'rule=test', status: 'firing', severity: 'info', firing: [alert], resolved: [], time: now}
}
