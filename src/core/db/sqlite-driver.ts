// The kysely driver for better-sqlite3. kysely's own driver locks its one connection around every
// query and commits every write on its own; on this platform a commit is about fourteen system
// calls (WAL frames, lock bytes), which made a one-row insert cost as much as the rest of an API
// request together. This driver:
// - runs a query outside a transaction at once: better-sqlite3 is synchronous, so two queries
//   can never interleave; only an open transaction makes others wait, so they do not join it
//   (also one begun with a BEGIN statement on db.connection(); session PRAGMAs set there are not
//   private to it). A read does not wait for writes queued before it: it sees them once they
//   are answered, as with any concurrent writer;
// - commits the writes that arrive in the same turn of the event loop together (group commit):
//   one BEGIN IMMEDIATE ... COMMIT; if one of them fails, all are undone and run again one by one,
//   so a failure undoes only its own write. Each caller hears back only after its commit;
// - keeps prepared statements (bounded): a server runs the same few hundred all day.
import {
  CompiledQuery,
  DeleteQueryNode,
  InsertQueryNode,
  UpdateQueryNode,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
} from 'kysely'
import type BetterSqlite3 from 'better-sqlite3'

const STATEMENT_CACHE_SIZE = 500

interface PendingWrite {
  query: CompiledQuery
  resolve: (result: QueryResult<unknown>) => void
  reject: (error: unknown) => void
}

class Connection implements DatabaseConnection {
  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute(this, query) as Promise<QueryResult<R>>
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield* this.driver.stream(this, query) as AsyncIterableIterator<QueryResult<R>>
  }
}

export class GroupCommitSqliteDriver implements Driver {
  readonly #database: BetterSqlite3.Database
  readonly #statements = new Map<string, BetterSqlite3.Statement>()
  #pending: PendingWrite[] = []
  #flushScheduled = false
  /** The connection whose transaction is open, and a promise that settles when it ends. */
  #owner: Connection | undefined
  #transactionEnded: Promise<void> | undefined
  #endTransaction: (() => void) | undefined
  /** The owner began its transaction with its own BEGIN (through db.connection()), not kysely's. */
  #ownedByStatement = false
  /** Why SQLite ended the owner's transaction by itself (ON CONFLICT ROLLBACK, disk full, I/O). */
  #lostTransaction: unknown

  constructor(database: BetterSqlite3.Database) {
    this.#database = database
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Connection(this)
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    while (this.#transactionEnded) await this.#transactionEnded
    this.#flush() // writes queued before the transaction commit first, in the order they came
    // IMMEDIATE: a deferred transaction that upgrades to writing later can fail with SQLITE_BUSY at once.
    this.#run('begin immediate')
    this.#claim(connection as Connection)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.#assertOwner(connection)
    try {
      this.#assertNotLost()
      this.#run('commit')
    } catch (error) {
      this.#rollbackQuietly()
      this.#release()
      throw error
    }
    this.#release()
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#owner !== connection) return // already ended: a failed COMMIT rolls back and lets go
    try {
      if (this.#database.inTransaction) this.#run('rollback')
    } finally {
      this.#release()
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(connection as Connection, CompiledQuery.raw(`savepoint ${quoteName(name)}`))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(connection as Connection, CompiledQuery.raw(`rollback to ${quoteName(name)}`))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(connection as Connection, CompiledQuery.raw(`release ${quoteName(name)}`))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // kysely always ends its transactions first; this is for a caller that threw in between, or a
    // db.connection() that began a transaction and did not end it.
    if (this.#owner === connection) await this.rollbackTransaction(connection)
  }

  async destroy(): Promise<void> {
    // A turn of the event loop first: queries already on their way through kysely reach the queue.
    await new Promise((resolve) => setImmediate(resolve))
    // A transaction still open now was abandoned: undone, as closing the database would.
    if (this.#owner) {
      this.#rollbackQuietly()
      this.#release()
    }
    this.#flush()
    this.#statements.clear()
    this.#database.close()
  }

  async execute(connection: Connection, query: CompiledQuery): Promise<QueryResult<unknown>> {
    while (this.#transactionEnded && this.#owner !== connection) await this.#transactionEnded
    if (this.#owner === connection) return this.#executeAsOwner(query)
    if (!isWrite(query)) {
      if (SelectQueryNode.is(query.query)) return this.#execute(query)
      // A raw statement (DDL, PRAGMA, BEGIN) keeps its place after the writes queued before it.
      this.#flush()
      const result = this.#execute(query)
      // A BEGIN of its own (db.connection()): the connection holds the database until it ends.
      if (this.#database.inTransaction) {
        this.#claim(connection)
        this.#ownedByStatement = true
      }
      return result
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({query, resolve, reject})
      this.#scheduleFlush()
    })
  }

  async *stream(connection: Connection, query: CompiledQuery): AsyncIterableIterator<QueryResult<unknown>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite can stream only SELECT queries.')
    // Read at once: better-sqlite3 refuses every other query on the connection while one iterates.
    const {rows} = await this.execute(connection, query)
    for (const row of rows) yield {rows: [row]}
  }

  #executeAsOwner(query: CompiledQuery): QueryResult<unknown> {
    this.#assertNotLost()
    try {
      const result = this.#execute(query)
      if (this.#ownedByStatement && !this.#database.inTransaction) this.#release() // its own COMMIT or ROLLBACK
      return result
    } catch (error) {
      // Statements after this one would run outside any transaction and be committed one by one.
      if (!this.#database.inTransaction && !this.#ownedByStatement) this.#lostTransaction = error
      else if (!this.#database.inTransaction) this.#release()
      throw error
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    setImmediate(() => this.#flushWhenFree())
  }

  #flushWhenFree(): void {
    this.#flushScheduled = false
    // An open transaction holds the connection; its end runs the queue (see #release).
    if (!this.#transactionEnded) this.#flush()
  }

  /** Commits the queued writes: together when there are several, else alone. */
  #flush(): void {
    const batch = this.#pending
    if (batch.length === 0) return
    this.#pending = []
    if (batch.length > 1 && this.#settleTogether(batch)) return
    // Alone: the one write, or each write of a batch in which one failed, so that its failure
    // undoes only itself. (Cheaper than a savepoint around every write: failures are rare.)
    for (const write of batch) settle(write, () => this.#execute(write.query))
  }

  /** True once every write is answered; false, with nothing written, when one of them failed. */
  #settleTogether(batch: PendingWrite[]): boolean {
    const results: Array<QueryResult<unknown>> = []
    try {
      this.#run('begin immediate')
    } catch (error) {
      // The write lock stayed taken for the whole busy timeout: each alone would wait as long again.
      for (const write of batch) write.reject(error)
      return true
    }
    try {
      for (const write of batch) results.push(this.#execute(write.query))
      // A deferred constraint fails here, for the batch: run alone, only its own write fails.
      this.#run('commit')
    } catch {
      this.#rollbackQuietly()
      return false
    }
    batch.forEach((write, index) => write.resolve(results[index] as QueryResult<unknown>))
    return true
  }

  #execute(query: CompiledQuery): QueryResult<unknown> {
    const statement = this.#prepare(query.sql)
    const parameters = query.parameters as unknown[]
    if (statement.reader) return {rows: statement.all(parameters)}
    const {changes, lastInsertRowid} = statement.run(parameters)
    return {numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: []}
  }

  #run(sql: string): void {
    this.#prepare(sql).run()
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql)
    if (!statement) {
      statement = this.#database.prepare(sql)
      if (this.#statements.size >= STATEMENT_CACHE_SIZE)
        this.#statements.delete(this.#statements.keys().next().value as string)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  #claim(connection: Connection): void {
    this.#owner = connection
    this.#transactionEnded = new Promise((resolve) => (this.#endTransaction = resolve))
  }

  /** Undoes an open transaction; an error here (the disk is gone) must not leave callers waiting. */
  #rollbackQuietly(): void {
    try {
      if (this.#database.inTransaction) this.#run('rollback')
    } catch {
      // SQLite rolls back by itself when it cannot go on.
    }
  }

  #assertNotLost(): void {
    if (this.#lostTransaction)
      throw new Error(
        `The transaction was rolled back after an earlier error: ${(this.#lostTransaction as Error).message}`,
      )
  }

  #assertOwner(connection: DatabaseConnection): void {
    if (this.#owner !== connection) throw new Error('This connection has no open transaction.')
  }

  #release(): void {
    const end = this.#endTransaction
    this.#ownedByStatement = false
    this.#lostTransaction = undefined
    this.#owner = undefined
    this.#transactionEnded = undefined
    this.#endTransaction = undefined
    end?.()
    if (this.#pending.length > 0) this.#scheduleFlush()
  }
}

/** Writes that may share a commit with others: kysely's insert, update and delete queries. */
function isWrite(query: CompiledQuery): boolean {
  return InsertQueryNode.is(query.query) || UpdateQueryNode.is(query.query) || DeleteQueryNode.is(query.query)
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function settle(write: PendingWrite, run: () => QueryResult<unknown>): void {
  try {
    write.resolve(run())
  } catch (error) {
    write.reject(error)
  }
}
