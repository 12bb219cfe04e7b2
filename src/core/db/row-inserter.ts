// An insert of one row compiled once per database. kysely builds and compiles its query tree on
// every call, about 10 µs; on the API's hottest write (creating a character) that was an eighth
// of the request in `npm run bench`. The SQL is kysely's own, so both dialects get theirs.
import type {CompiledQuery, Insertable, Kysely} from 'kysely'
import type {Database} from './types.js'

export type RowInserter<T extends keyof Database> = (
  db: Kysely<Database>,
  row: Insertable<Database[T]>,
) => Promise<void>

export function rowInserter<T extends keyof Database & string>(
  table: T,
  columns: ReadonlyArray<keyof Insertable<Database[T]> & string>,
): RowInserter<T> {
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery>()
  return async (db, row) => {
    // A column left undefined is left out by kysely (the database default applies), not bound as NULL.
    if (columns.some((column) => row[column] === undefined)) {
      await db.insertInto(table).values(row).execute()
      return
    }
    let query = compiled.get(db)
    if (!query) {
      // Every value a parameter, in the order of `columns`: the parameters below fill them in.
      const placeholders = Object.fromEntries(columns.map((column) => [column, null])) as Insertable<Database[T]>
      query = db.insertInto(table).values(placeholders).compile()
      compiled.set(db, query)
    }
    await db.executeQuery({...query, parameters: columns.map((column) => row[column])})
  }
}
