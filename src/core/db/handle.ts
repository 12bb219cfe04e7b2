// What every dialect provides: a Kysely instance plus the few operations that need
// dialect-specific SQL (locking, introspection, dropping). One implementation per dialect.
import type {Kysely, Transaction} from 'kysely'
import type {Database} from './types.js'

export type Dialect = 'sqlite' | 'postgres'

/** Tables, columns, explicitly created indexes and foreign keys, by name. */
export interface SchemaSnapshot {
  tables: Record<string, TableShape>
}

export interface TableShape {
  columns: string[]
  /** Columns declared NOT NULL (primary key columns included on both dialects). */
  notNull: string[]
  primaryKey: string[]
  /** UNIQUE constraints, each as its columns joined by commas. */
  unique: string[]
  /** Indexes made by CREATE INDEX (not those behind constraints), as `name(col,col)`. */
  indexes: string[]
  /** `column->table.column on delete <action>` */
  foreignKeys: string[]
}

export interface DatabaseHandle {
  db: Kysely<Database>
  dialect: Dialect
  /** Where the database is, safe to print: a file path or a URL with the password masked. */
  target: string
  /**
   * Waits for the cross-process migration lock and resolves to the function that releases it.
   * `onWait` is called once if the lock is held by someone else, before waiting.
   */
  acquireMigrationLock(timeoutMs: number, onWait?: () => void): Promise<() => Promise<void>>
  /**
   * Runs one migration step in a transaction. On SQLite, foreign keys are off during the step (a
   * table rebuild would otherwise cascade-delete child rows) and checked before the commit.
   */
  migrationTransaction(work: (transaction: Transaction<Database>) => Promise<void>): Promise<void>
  introspect(): Promise<SchemaSnapshot>
  dropAllTables(): Promise<void>
  close(): Promise<void>
}
