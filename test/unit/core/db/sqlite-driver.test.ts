import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql, type Generated} from 'kysely'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {loadDriver} from '../../../../src/core/db/sqlite.js'
import {GroupCommitSqliteDriver} from '../../../../src/core/db/sqlite-driver.js'

interface Tables {
  notes: {id: Generated<number>; body: string}
}

let folder: string
let file: string
let statements: string[]
let db: Kysely<Tables>

/** A kysely instance on the driver, over a database that records every statement it prepares and runs. */
function open(path: string): Kysely<Tables> {
  const Driver = loadDriver()
  const database = new Driver(path, {timeout: 0})
  database.pragma('journal_mode = WAL')
  database.exec('create table notes (id integer primary key, body text not null)')
  const recording = new Proxy(database, {
    get: (target, key) => {
      if (key === 'prepare') {
        return (source: string) => {
          const statement = target.prepare(source)
          // The driver uses only these three.
          return {
            reader: statement.reader,
            run: (...args: unknown[]) => (statements.push(source), statement.run(...args)),
            all: (...args: unknown[]) => (statements.push(source), statement.all(...args)),
          }
        }
      }
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return new Kysely<Tables>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new GroupCommitSqliteDriver(recording),
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  })
}

/** Rows as another connection sees them: only what is committed. */
function committedRows(): Array<{id: number; body: string}> {
  const reader = new (loadDriver())(file, {readonly: true})
  try {
    return reader.prepare('select id, body from notes order by id').all() as Array<{id: number; body: string}>
  } finally {
    reader.close()
  }
}

const insert = (id: number, body = `note ${id}`) => db.insertInto('notes').values({id, body}).execute()
const count = (source: string) => statements.filter((statement) => statement === source).length

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'storybook-driver-'))
  file = join(folder, 'test.db')
  statements = []
  db = open(file)
})

afterEach(async () => {
  await db.destroy()
  rmSync(folder, {recursive: true, force: true})
})

describe('group commit', () => {
  it('commits the writes of one turn of the event loop together, and each caller hears back after the commit', async () => {
    const writes = Array.from({length: 50}, (_, index) => insert(index + 1))
    await Promise.all(writes)
    expect(count('begin immediate')).toBe(1)
    expect(count('commit')).toBe(1)
    expect(committedRows()).toHaveLength(50)
  })

  it('runs a lone write on its own, without a transaction around it', async () => {
    await insert(1)
    expect(statements).toEqual(['insert into "notes" ("id", "body") values (?, ?)'])
    expect(committedRows()).toEqual([{id: 1, body: 'note 1'}])
  })

  it('undoes only the write that failed, and tells only its caller', async () => {
    await insert(2)
    const results = await Promise.allSettled([insert(1), insert(2, 'duplicate'), insert(3)])
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(((results[1] as PromiseRejectedResult).reason as {code: string}).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY')
    expect(committedRows().map((row) => row.body)).toEqual(['note 1', 'note 2', 'note 3'])
  })

  it('fails every write of a batch that cannot take the write lock, and writes again once it is free', async () => {
    const other = new (loadDriver())(file, {timeout: 0})
    other.exec('begin immediate')
    const results = await Promise.allSettled([insert(1), insert(2)])
    expect(results.map((result) => ((result as PromiseRejectedResult).reason as {code?: string})?.code)).toEqual([
      'SQLITE_BUSY',
      'SQLITE_BUSY',
    ])
    other.exec('commit')
    other.close()
    await Promise.all([insert(1), insert(2)])
    expect(committedRows()).toHaveLength(2)
  })

  it('keeps a raw statement after the writes queued before it', async () => {
    await Promise.all([insert(1), insert(2), sql`delete from notes`.execute(db)])
    expect(committedRows()).toEqual([])
  })

  it('answers reads at once, without waiting for queued writes', async () => {
    await insert(1)
    const write = insert(2)
    const rows = await db.selectFrom('notes').selectAll().execute()
    expect(rows).toHaveLength(1) // the write has not been answered yet, so nobody can have seen it
    await write
    expect(await db.selectFrom('notes').selectAll().execute()).toHaveLength(2)
  })

  it('commits queued writes before the database closes', async () => {
    const write = insert(1)
    await db.destroy()
    await write
    db = open(join(folder, 'other.db')) // afterEach closes this one
    expect(committedRows()).toHaveLength(1)
  })
})

describe('transactions', () => {
  it('keeps other writes out of an open transaction, so its rollback undoes only its own', async () => {
    let outside: Promise<unknown> | undefined
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({id: 1, body: 'inside'}).execute()
      outside = insert(2, 'outside')
      await new Promise((resolve) => setTimeout(resolve, 20))
      throw new Error('changed my mind')
    })
    await expect(transaction).rejects.toThrow('changed my mind')
    await outside
    expect(committedRows()).toEqual([{id: 2, body: 'outside'}])
  })

  it('runs transactions one after another, each beginning IMMEDIATE', async () => {
    const order: string[] = []
    const work = (name: string) =>
      db.transaction().execute(async (trx) => {
        order.push(`${name} begins`)
        await trx.insertInto('notes').values({body: name}).execute()
        await new Promise((resolve) => setTimeout(resolve, 10))
        order.push(`${name} ends`)
      })
    await Promise.all([work('a'), work('b')])
    expect(order).toEqual(['a begins', 'a ends', 'b begins', 'b ends'])
    expect(count('begin immediate')).toBe(2)
  })

  it('supports savepoints inside a transaction', async () => {
    const trx = await db.startTransaction().execute()
    await trx.insertInto('notes').values({id: 1, body: 'kept'}).execute()
    const inner = await trx.savepoint('inner').execute()
    await inner.insertInto('notes').values({id: 2, body: 'undone'}).execute()
    await inner.rollbackToSavepoint('inner').execute()
    await trx.commit().execute()
    expect(committedRows()).toEqual([{id: 1, body: 'kept'}])
  })

  it('undoes a transaction left open when the database closes, instead of waiting for it', async () => {
    const trx = await db.startTransaction().execute()
    await trx.insertInto('notes').values({id: 1, body: 'abandoned'}).execute()
    await db.destroy()
    db = open(join(folder, 'other.db')) // afterEach closes this one
    expect(committedRows()).toEqual([])
  })

  it('keeps others out of a transaction begun with a statement on db.connection()', async () => {
    const own = db.connection().execute(async (connection) => {
      await sql`begin`.execute(connection)
      await connection.insertInto('notes').values({id: 1, body: 'mine'}).execute()
      await new Promise((resolve) => setTimeout(resolve, 30))
      await sql`rollback`.execute(connection)
    })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const other = insert(2, 'other')
    expect(await db.selectFrom('notes').selectAll().execute()).toEqual([]) // waited for the rollback, saw nothing of it
    await Promise.all([own, other])
    expect(committedRows()).toEqual([{id: 2, body: 'other'}])
  })

  it('stops a transaction that SQLite rolled back by itself from going on in autocommit', async () => {
    await sql`create table tags (id integer primary key, name text unique on conflict rollback)`.execute(db)
    const work = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({id: 1, body: 'first'}).execute()
      await sql`insert into tags (name) values ('a')`.execute(trx)
      await sql`insert into tags (name) values ('a')`.execute(trx).catch(() => undefined) // ends the transaction
      await trx.insertInto('notes').values({id: 2, body: 'after'}).execute()
    })
    await expect(work).rejects.toThrow('rolled back after an earlier error')
    expect(committedRows()).toEqual([])
    await insert(3) // and the database is free again
    expect(committedRows()).toHaveLength(1)
  })
})

describe('group commit with a constraint checked at COMMIT', () => {
  it('fails only the write that breaks a deferred foreign key', async () => {
    await sql`create table parents (id integer primary key)`.execute(db)
    await sql`create table children (id integer primary key, parent integer references parents(id) deferrable initially deferred)`.execute(
      db,
    )
    await sql`pragma foreign_keys = on`.execute(db)
    await sql`insert into parents (id) values (1)`.execute(db)
    const results = await Promise.allSettled([
      db.insertInto('notes').values({id: 1, body: 'a'}).execute(),
      db.executeQuery(db.insertInto('notes').values({id: 2, body: 'b'}).compile()),
      // a kysely insert, so that it joins the batch
      (db as unknown as Kysely<{children: {id: number; parent: number}}>)
        .insertInto('children')
        .values({id: 1, parent: 99})
        .execute(),
      db.insertInto('notes').values({id: 3, body: 'c'}).execute(),
    ])
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect(count('begin immediate')).toBe(1) // tried together first
    expect(committedRows()).toHaveLength(3)
  })
})
