// From alert transitions to notifications, as Alertmanager routes them: alerts of one group (by
// default one rule) travel together; a new group waits groupWaitMs to collect its siblings, a
// changed group is sent again no sooner than groupIntervalMs, an unchanged firing group is repeated
// every repeatIntervalMs, a group whose alerts all resolved gets one resolved notice, and silenced
// alerts are left out. Time is passed in, so that tests drive it.
import type {Alert, AlertTransition} from './engine.js'
import type {Severity} from './rules.js'

export interface RoutingOptions {
  groupBy: Array<'rule' | 'instance' | 'severity'>
  groupWaitMs: number
  groupIntervalMs: number
  repeatIntervalMs: number
}

/** Shorter than Alertmanager's (30 s, 5 min): on a developer's machine a minute of silence is long. */
export const DEFAULT_ROUTING: RoutingOptions = {
  groupBy: ['rule'],
  groupWaitMs: 2_000,
  groupIntervalMs: 30_000,
  repeatIntervalMs: 4 * 60 * 60_000,
}

export interface Silence {
  id: string
  /** Matches alerts of this rule (all rules when absent). */
  rule?: string
  /** …and this instance (all when absent). */
  instance?: string
  startsAt: number
  endsAt: number
  comment: string
}

export interface Notification {
  group: string
  status: 'firing' | 'resolved'
  /** The most severe of the group's firing alerts (of the resolved ones for a resolved notice). */
  severity: Severity
  firing: Alert[]
  resolved: Alert[]
  time: number
}

interface Group {
  key: string
  firing: Map<string, Alert>
  resolved: Map<string, Alert>
  /** When the group may be sent next; undefined when nothing changed since the last send. */
  dueAt?: number
  lastSentAt?: number
}

const SEVERITY_ORDER: Severity[] = ['critical', 'warning', 'info']

export function silenceMatches(silence: Silence, alert: Pick<Alert, 'rule' | 'instance'>, now: number): boolean {
  return (
    silence.startsAt <= now &&
    now < silence.endsAt &&
    (silence.rule === undefined || silence.rule === alert.rule) &&
    (silence.instance === undefined || silence.instance === alert.instance)
  )
}

export class Dispatcher {
  private readonly groups = new Map<string, Group>()

  constructor(
    private readonly routing: RoutingOptions,
    private readonly silences: () => readonly Silence[],
  ) {}

  isSilenced(alert: Pick<Alert, 'rule' | 'instance'>, now: number): boolean {
    return this.silences().some((silence) => silenceMatches(silence, alert, now))
  }

  receive(transitions: readonly AlertTransition[], now: number): void {
    for (const {kind, alert} of transitions) {
      const key = this.routing.groupBy.map((label) => `${label}=${alert[label]}`).join(',')
      const group: Group = this.groups.get(key) ?? {key, firing: new Map(), resolved: new Map()}
      this.groups.set(key, group)
      if (kind === 'firing') {
        group.firing.set(alert.id, alert)
        group.resolved.delete(alert.id)
      } else {
        group.firing.delete(alert.id)
        // Resolved before anyone was told it fired: nobody needs to hear about it.
        if (group.lastSentAt !== undefined) group.resolved.set(alert.id, alert)
      }
      const earliest =
        group.lastSentAt === undefined
          ? now + this.routing.groupWaitMs
          : group.lastSentAt + this.routing.groupIntervalMs
      group.dueAt = Math.min(group.dueAt ?? Number.POSITIVE_INFINITY, Math.max(now, earliest))
      if (group.lastSentAt === undefined && group.firing.size === 0) this.groups.delete(key)
    }
  }

  /** The notifications to send at `now`, each group at most once. */
  due(now: number): Notification[] {
    const notifications: Notification[] = []
    for (const group of [...this.groups.values()]) {
      const repeat =
        group.dueAt === undefined &&
        group.firing.size > 0 &&
        group.lastSentAt !== undefined &&
        now >= group.lastSentAt + this.routing.repeatIntervalMs
      if (!repeat && (group.dueAt === undefined || now < group.dueAt)) continue
      const firing = [...group.firing.values()].filter((alert) => !this.isSilenced(alert, now))
      const resolved = [...group.resolved.values()].filter((alert) => !this.isSilenced(alert, now))
      group.dueAt = undefined
      group.resolved.clear()
      if (group.firing.size === 0) this.groups.delete(group.key)
      if (firing.length === 0 && resolved.length === 0) {
        // All silenced: look again later, so that an alert outliving its silence is still told.
        if (group.firing.size > 0) group.dueAt = now + this.routing.groupIntervalMs
        continue
      }
      group.lastSentAt = now
      const status = firing.length > 0 ? 'firing' : 'resolved'
      notifications.push({
        group: group.key,
        status,
        severity: mostSevere(status === 'firing' ? firing : resolved),
        firing: firing.map((alert) => ({...alert})),
        resolved,
        time: now,
      })
    }
    return notifications
  }
}

function mostSevere(alerts: readonly Alert[]): Severity {
  return SEVERITY_ORDER.find((severity) => alerts.some((alert) => alert.severity === severity)) ?? 'info'
}
