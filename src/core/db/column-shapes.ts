// Column types and defaults, read per dialect and normalised so that the same column made by the
// same migration reads the same on SQLite and PostgreSQL (integer and int4, text and varchar(80),
// ''::text and ''). Adoption compares them; the schema snapshot carries names only.
import {sql, type Kysely} from 'kysely'
import type {Dialect} from './handle.js'
import type {Database} from './types.js'

export interface ColumnShape {
  /** The type's family: integer, text, real, numeric, boolean, timestamp, date, time, blob, json, or the type itself. */
  type: string
  /** The default as SQL text without casts, or 'none'. */
  defaultValue: string
}

/** Shapes by `table.column`. */
export type ColumnShapes = Map<string, ColumnShape>

const TYPE_FAMILIES: Array<[RegExp, string]> = [
  [/^(big|small)?serial[248]?$/, 'integer'],
  [/^(int[248]?|integer|smallint|bigint|tinyint|mediumint|unsigned big int)$/, 'integer'],
  [/^(text|varchar|character varying|char|character|nchar|nvarchar|clob|string|citext|uuid)$/, 'text'],
  [/^(real|float[48]?|double|double precision)$/, 'real'],
  [/^(numeric|decimal)$/, 'numeric'],
  [/^(bool|boolean)$/, 'boolean'],
  [/^(timestamp|timestamptz|timestamp with(out)? time zone|datetime)$/, 'timestamp'],
  [/^(time|timetz|time with(out)? time zone)$/, 'time'],
  [/^(blob|bytea)$/, 'blob'],
  [/^(json|jsonb)$/, 'json'],
]

/** The family of a declared or reported type: `varchar(80)` and `text` are both text. */
export function normaliseColumnType(declared: string): string {
  const bare = declared
    .toLowerCase()
    .replace(/\(.*\)/, '')
    .replace(/\s+/g, ' ')
    .trim()
  return TYPE_FAMILIES.find(([pattern]) => pattern.test(bare))?.[1] ?? bare
}

/** A default as comparable text: casts, wrapping parentheses and keyword case dropped; serial sequences are no default. */
export function normaliseColumnDefault(value: string | null | undefined): string {
  if (value === null || value === undefined) return 'none'
  let text = value.trim()
  if (/^nextval\(/i.test(text)) return 'none'
  while (/^\(.*\)$/.test(text)) text = text.slice(1, -1).trim()
  text = text.replace(/::[a-z_ ]+(\[\])?(\(\d+\))?$/i, '').trim()
  while (/^\(.*\)$/.test(text)) text = text.slice(1, -1).trim()
  if (/^(now\(\)|current_timestamp)$/i.test(text)) return 'current_timestamp'
  if (/^(true|false|null|current_date|current_time)$/i.test(text)) return text.toLowerCase()
  return text
}

/** The normalised type and default of every column of the current schema (the tracking table too; callers skip it). */
export async function readColumnShapes(db: Kysely<Database>, dialect: Dialect): Promise<ColumnShapes> {
  const rows = dialect === 'sqlite' ? await sqliteColumns(db) : await postgresColumns(db)
  return new Map(
    rows.map((row) => [
      `${row.table}.${row.column}`,
      {type: normaliseColumnType(row.type), defaultValue: normaliseColumnDefault(row.defaultValue)},
    ]),
  )
}

interface ColumnRow {
  table: string
  column: string
  type: string
  defaultValue: string | null
}

async function sqliteColumns(db: Kysely<Database>): Promise<ColumnRow[]> {
  const {rows} = await sql<ColumnRow>`
    select m.name as "table", c.name as "column", c.type as "type", c.dflt_value as "defaultValue"
    from sqlite_master m join pragma_table_info(m.name) c
    where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db)
  return rows
}

async function postgresColumns(db: Kysely<Database>): Promise<ColumnRow[]> {
  const {rows} = await sql<ColumnRow>`
    select c.table_name as "table", c.column_name as "column",
      case when c.data_type = 'USER-DEFINED' then c.udt_name else c.data_type end as "type",
      c.column_default as "defaultValue"
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db)
  return rows
}
