// What a migration applies, recorded without a database: the SQL and parameters `up` compiles to on
// one dialect, the checksum built from them, and the comparison `db repair` uses to tell a harmless
// edit (formatting, comments, case, quoting) from one that changes what the migration does.
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>, and the recorder runs them */
import {createHash} from 'node:crypto'
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely'
import {StorybookError} from '../errors.js'
import type {Dialect} from './handle.js'

/** The part of a migration the recorder needs. */
export interface RecordableMigration {
  name: string
  up(db: Kysely<any>): Promise<void>
}

export interface RecordedStatement {
  sql: string
  /** Parameter values as JSON values; those that vary between runs (times, random ids) as "<varies>". */
  parameters: unknown[]
}

export interface MigrationRecording {
  statements: RecordedStatement[]
  /**
   * The migration read data (which a recording cannot provide: it gets no rows) and stopped after
   * that, so what it does next is not seen.
   */
  stoppedAfterRead: boolean
  /** `v2:` and the SHA-256 of the statements with their parameters. */
  checksum: string
  /** The checksum versions before 2 stored: SQL text only, no parameters, no prefix. */
  legacyChecksum: string
}

export const CHECKSUM_PREFIX = 'v2:'
const VARIES = '<varies>'
const STOPPED_MARKER = '-- stopped: the migration reads data, which a recording cannot provide'

/** A migration's up() threw during recording before reading any data: a bug in the migration. */
export class MigrationRecordingError extends StorybookError {
  constructor(name: string, error: unknown) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    super('MIGRATION_FAILED', `Migration ${name} cannot be recorded: its up() threw ${message}`, {
      reason: 'It threw before reading any data, so it fails the same way when it runs; its checksum cannot be made.',
      next: [`fix migrations/${name}.ts`, 'storybook db status'],
      details: {migration: name, error: message},
      cause: error,
    })
  }
}

function recorderFor(dialect: Dialect, log: (query: CompiledQuery) => void): Kysely<any> {
  const sqlite = dialect === 'sqlite'
  return new Kysely<any>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
    log: (event) => log(event.query),
  })
}

/** A query whose rows the migration may use: the recorder answers it with none. */
function readsRows(query: CompiledQuery): boolean {
  const kind = query.query.kind
  if (kind === 'SelectQueryNode') return true
  if (/\sreturning\s/i.test(query.sql)) return true
  return kind === 'RawNode' && /^\s*(select|with|pragma|show|explain|values)\b/i.test(query.sql)
}

interface RawRecording {
  statements: Array<{sql: string; parameters: readonly unknown[]}>
  stoppedAfterRead: boolean
}

async function recordOnce(migration: RecordableMigration, dialect: Dialect): Promise<RawRecording> {
  const statements: RawRecording['statements'] = []
  let read = false
  const recorder = recorderFor(dialect, (query) => {
    statements.push({sql: query.sql, parameters: query.parameters})
    if (readsRows(query)) read = true
  })
  try {
    await migration.up(recorder)
    return {statements, stoppedAfterRead: false}
  } catch (error) {
    // After a read, a throw is what empty rows make a migration do; before one, it is a bug.
    if (!read) throw new MigrationRecordingError(migration.name, error)
    return {statements, stoppedAfterRead: true}
  } finally {
    await recorder.destroy()
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/** A parameter as a JSON value; dates and ISO timestamps vary with the clock, so they never count. */
function jsonParameter(value: unknown): unknown {
  if (value instanceof Date) return VARIES
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) return VARIES
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('base64')}`
  if (value === undefined) return null
  return value
}

/**
 * Waits (a millisecond at most) for the clock to move, so that two recordings see different times.
 * Bounded, so that a frozen clock (fake timers in a test) cannot hang the process.
 */
function waitForClockTick(): void {
  const start = Date.now()
  for (let spins = 0; Date.now() === start && spins < 10_000_000; spins++) {
    // spin: the recordings are synchronous work measured in microseconds
  }
}

/**
 * Records `up` twice, a clock tick apart, and keeps the parameters both recordings agree on: values
 * that change between runs (the current time, random ids) are marked as varying, not compared.
 */
export async function recordMigration(migration: RecordableMigration, dialect: Dialect): Promise<MigrationRecording> {
  const first = await recordOnce(migration, dialect)
  waitForClockTick()
  const second = await recordOnce(migration, dialect)
  const statements = first.statements.map((statement, index) => {
    const again = second.statements[index]
    const parameters = statement.parameters.map((value, position) => {
      const json = jsonParameter(value)
      const other = again?.sql === statement.sql ? jsonParameter(again.parameters[position]) : VARIES
      return JSON.stringify(json) === JSON.stringify(other) ? json : VARIES
    })
    return {sql: statement.sql, parameters}
  })
  return {
    statements,
    stoppedAfterRead: first.stoppedAfterRead,
    checksum: `${CHECKSUM_PREFIX}${sha256(JSON.stringify({statements, stoppedAfterRead: first.stoppedAfterRead}))}`,
    legacyChecksum: sha256(
      [...statements.map((statement) => statement.sql), ...(first.stoppedAfterRead ? [STOPPED_MARKER] : [])].join('\n'),
    ),
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/**
 * SQL with what does not change its meaning taken out: comments, runs of whitespace, the case of
 * keywords and the quotes around plain lower-case identifiers. String literals are kept as written.
 */
export function canonicalSql(text: string): string {
  let out = ''
  let index = 0
  while (index < text.length) {
    const char = text[index] as string
    const rest = text.slice(index)
    if (rest.startsWith('--')) {
      const end = text.indexOf('\n', index)
      index = end === -1 ? text.length : end
      out += ' '
    } else if (rest.startsWith('/*')) {
      const end = text.indexOf('*/', index + 2)
      index = end === -1 ? text.length : end + 2
      out += ' '
    } else if (char === "'" || char === '"') {
      const end = closingQuote(text, index)
      const quoted = text.slice(index, end)
      const inner = quoted.slice(1, -1)
      out += char === '"' && /^[a-z_][a-z0-9_]*$/.test(inner) ? inner : quoted
      index = end
    } else {
      out += /\s/.test(char) ? ' ' : char.toLowerCase()
      index += 1
    }
  }
  return out
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),;=])\s*/g, '$1')
    .replace(/;+$/, '')
    .trim()
}

/** The index just past the quote that closes the one at `start` (a doubled quote escapes it). */
function closingQuote(text: string, start: number): number {
  const quote = text[start]
  let index = start + 1
  while (index < text.length) {
    if (text[index] === quote) {
      if (text[index + 1] === quote) index += 2
      else return index + 1
    } else index += 1
  }
  return text.length
}

export interface StatementDifference {
  /** 1-based position of the first statement that differs. */
  position: number
  applied: string | null
  now: string | null
}

/** The first difference in meaning between two recordings of a migration, or null when there is none. */
export function meaningfulDifference(
  applied: readonly RecordedStatement[],
  now: readonly RecordedStatement[],
): StatementDifference | null {
  const render = (statement: RecordedStatement | undefined) =>
    statement === undefined
      ? null
      : `${canonicalSql(statement.sql)}${statement.parameters.length > 0 ? ` -- ${JSON.stringify(statement.parameters)}` : ''}`
  const keep = (statements: readonly RecordedStatement[]) =>
    statements.filter((statement) => canonicalSql(statement.sql) !== '')
  const [before, after] = [keep(applied), keep(now)]
  for (let index = 0; index < Math.max(before.length, after.length); index++) {
    const [was, is] = [render(before[index]), render(after[index])]
    if (was !== is) return {position: index + 1, applied: was, now: is}
  }
  return null
}
