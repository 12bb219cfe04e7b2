// What every dialect provides: a Kysely instance plus the few operations that need
// dialect-specific SQL (locking, introspection, dropping). One implementation per dialect.
import type {Kysely} from 'kysely'
import type {Database} from './types.js'

export type Dialect = 'sqlite' | 'postgres'

/** Tables, columns, explicitly created indexes and foreign keys, by name. */
export interface SchemaSnapshot {
  tables: Record<string, TableShape>
}

export interface TableShape {
  columns: string[]
  /** Indexes made by CREATE INDEX (not those behind primary keys or UNIQUE constraints). */
  indexes: string[]
  /** `column->table.column` */
  foreignKeys: string[]
}

export interface DatabaseHandle {
  db: Kysely<Database>
  dialect: Dialect
  /** Where the database is, safe to print: a file path or a URL with the password masked. */
  target: string
  /** Waits for the cross-process migration lock and resolves to the function that releases it. */
  acquireMigrationLock(timeoutMs: number): Promise<() => Promise<void>>
  introspect(): Promise<SchemaSnapshot>
  dropAllTables(): Promise<void>
  close(): Promise<void>
}
