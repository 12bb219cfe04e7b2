// The dashboard's own memory, in a SQLite file of its own in the state directory (var/data/monitoring.db):
// metric points at two resolutions (1 s, kept an hour; 1 min averages, kept a week, both configurable),
// the alert history with fired, acknowledged and resolved times, silences, and the recovery actions and
// notification attempts. It is a separate file so that the API's database going wrong does not take
// the dashboard's record of it along.
import type BetterSqlite3 from 'better-sqlite3'
import {randomUUID} from 'node:crypto'
import type {Silence} from './alerts/dispatcher.js'
import type {Alert} from './alerts/engine.js'

export interface RetentionOptions {
  /** How long 1-second points are kept. */
  fineMs: number
  /** How long 1-minute averages are kept. */
  coarseMs: number
}

export const DEFAULT_RETENTION: RetentionOptions = {fineMs: 60 * 60_000, coarseMs: 7 * 24 * 60 * 60_000}

const FINE = 1_000
const COARSE = 60_000

export interface Point {
  time: number
  value: number
}

export interface AlertRecord {
  id: number
  alertId: string
  rule: string
  instance: string
  severity: string
  summary: string
  firedAt: number
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  resolvedAt: number | null
}

export interface EventRecord {
  id: number
  time: number
  kind: 'notification' | 'recovery'
  subject: string
  detail: Record<string, unknown>
}

const SCHEMA = `
create table if not exists points (
  metric text not null, instance text not null, resolution integer not null, time integer not null,
  value real not null, count integer not null,
  primary key (metric, instance, resolution, time)
) without rowid;
create table if not exists alerts (
  id integer primary key, alert_id text not null, rule text not null, instance text not null,
  severity text not null, summary text not null, fired_at integer not null,
  acknowledged_at integer, acknowledged_by text, resolved_at integer
);
create index if not exists alerts_open on alerts (alert_id) where resolved_at is null;
create table if not exists silences (
  id text primary key, rule text, instance text, starts_at integer not null, ends_at integer not null,
  comment text not null, created_at integer not null
);
create table if not exists events (
  id integer primary key, time integer not null, kind text not null, subject text not null, detail text not null
);
`

export class MonitoringHistory {
  private readonly db: BetterSqlite3.Database
  private readonly retention: RetentionOptions
  private readonly now: () => number

  constructor(options: {
    file: string
    /** better-sqlite3's constructor: loaded by the caller, so that this module needs no native code to import. */
    open: (file: string) => BetterSqlite3.Database
    retention?: RetentionOptions
    now?: () => number
  }) {
    this.retention = options.retention ?? DEFAULT_RETENTION
    this.now = options.now ?? Date.now
    this.db = options.open(options.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(SCHEMA)
  }

  close(): void {
    this.db.close()
  }

  /** Records one sample per metric and instance, and folds it into its minute's average. */
  record(time: number, samples: ReadonlyArray<{metric: string; instance: string; value: number}>): void {
    const fine = this.db.prepare(
      'insert or replace into points (metric, instance, resolution, time, value, count) values (?, ?, ?, ?, ?, 1)',
    )
    const coarse = this.db.prepare(
      `insert into points (metric, instance, resolution, time, value, count) values (?, ?, ?, ?, ?, 1)
       on conflict (metric, instance, resolution, time)
       do update set value = (value * count + excluded.value) / (count + 1), count = count + 1`,
    )
    this.db.transaction(() => {
      for (const sample of samples) {
        if (!Number.isFinite(sample.value)) continue
        fine.run(sample.metric, sample.instance, FINE, Math.floor(time / FINE) * FINE, sample.value)
        coarse.run(sample.metric, sample.instance, COARSE, Math.floor(time / COARSE) * COARSE, sample.value)
      }
    })()
  }

  /** Drops what is past its retention; run it every minute or so. */
  prune(now = this.now()): void {
    const drop = this.db.prepare('delete from points where resolution = ? and time < ?')
    drop.run(FINE, now - this.retention.fineMs)
    drop.run(COARSE, now - this.retention.coarseMs)
    this.db.prepare('delete from events where time < ?').run(now - this.retention.coarseMs)
  }

  /**
   * A series over [from, to] with at most `maxPoints` points: 1 s points while the range is within
   * their retention, minute averages beyond it, averaged further into wider buckets when needed.
   */
  series(options: {metric: string; instance: string; from: number; to: number; maxPoints?: number}): Point[] {
    const {metric, instance, from, to} = options
    const now = this.now()
    const resolution = from >= now - this.retention.fineMs ? FINE : COARSE
    const step = Math.max(resolution, Math.ceil((to - from) / (options.maxPoints ?? 600) / resolution) * resolution)
    const rows = this.db
      .prepare(
        `select cast(time / ? as integer) * ? as bucket, avg(value) as value from points
         where metric = ? and instance = ? and resolution = ? and time between ? and ?
         group by bucket order by bucket`,
      )
      .all(step, step, metric, instance, resolution, from, to) as Array<{bucket: number; value: number}>
    return rows.map((row) => ({time: row.bucket, value: row.value}))
  }

  /** Instances that have points for a metric (the services, or "api"). */
  instances(metric: string): string[] {
    const rows = this.db.prepare('select distinct instance from points where metric = ? order by instance').all(metric)
    return (rows as Array<{instance: string}>).map((row) => row.instance)
  }

  alertFired(alert: Alert): void {
    this.db
      .prepare('insert into alerts (alert_id, rule, instance, severity, summary, fired_at) values (?, ?, ?, ?, ?, ?)')
      .run(alert.id, alert.rule, alert.instance, alert.severity, alert.summary, alert.startsAt)
  }

  alertResolved(alert: Alert): void {
    this.db
      .prepare('update alerts set resolved_at = ? where alert_id = ? and resolved_at is null')
      .run(alert.endsAt ?? this.now(), alert.id)
  }

  /** Marks an alert as seen by someone ("response tracking"); false when there is no such open alert. */
  acknowledge(id: number, by: string, now: number): boolean {
    const result = this.db
      .prepare('update alerts set acknowledged_at = ?, acknowledged_by = ? where id = ? and acknowledged_at is null')
      .run(now, by, id)
    return result.changes === 1
  }

  /** Alerts that were open when a previous dashboard stopped: they are closed, as nobody watched them. */
  closeOpenAlerts(now: number): number {
    return this.db.prepare('update alerts set resolved_at = ? where resolved_at is null').run(now).changes
  }

  alerts(options: {limit?: number; openOnly?: boolean} = {}): AlertRecord[] {
    const rows = this.db
      .prepare(
        `select id, alert_id as alertId, rule, instance, severity, summary, fired_at as firedAt,
           acknowledged_at as acknowledgedAt, acknowledged_by as acknowledgedBy, resolved_at as resolvedAt
         from alerts ${options.openOnly ? 'where resolved_at is null' : ''} order by fired_at desc, id desc limit ?`,
      )
      .all(options.limit ?? 100)
    return rows as AlertRecord[]
  }

  addSilence(silence: Omit<Silence, 'id'>, now: number): Silence {
    const created = {id: randomUUID().slice(0, 8), ...silence}
    this.db
      .prepare(
        'insert into silences (id, rule, instance, starts_at, ends_at, comment, created_at) values (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        created.id,
        created.rule ?? null,
        created.instance ?? null,
        created.startsAt,
        created.endsAt,
        created.comment,
        now,
      )
    return created
  }

  /** Ends a silence now; false when there is no such silence. */
  expireSilence(id: string, now: number): boolean {
    return (
      this.db.prepare('update silences set ends_at = ? where id = ? and ends_at > ?').run(now, id, now).changes === 1
    )
  }

  silences(now: number): Silence[] {
    const rows = this.db
      .prepare(
        'select id, rule, instance, starts_at, ends_at, comment from silences where ends_at > ? order by starts_at',
      )
      .all(now) as Array<{
      id: string
      rule: string | null
      instance: string | null
      starts_at: number
      ends_at: number
      comment: string
    }>
    return rows.map((row) => ({
      id: row.id,
      ...(row.rule === null ? {} : {rule: row.rule}),
      ...(row.instance === null ? {} : {instance: row.instance}),
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      comment: row.comment,
    }))
  }

  addEvent(event: Omit<EventRecord, 'id'>): void {
    this.db
      .prepare('insert into events (time, kind, subject, detail) values (?, ?, ?, ?)')
      .run(event.time, event.kind, event.subject, JSON.stringify(event.detail))
  }

  events(options: {limit?: number; since?: number} = {}): EventRecord[] {
    const rows = this.db
      .prepare('select id, time, kind, subject, detail from events where time >= ? order by time desc, id desc limit ?')
      .all(options.since ?? 0, options.limit ?? 100) as Array<Omit<EventRecord, 'detail'> & {detail: string}>
    return rows.map((row) => ({...row, detail: JSON.parse(row.detail) as Record<string, unknown>}))
  }
}
