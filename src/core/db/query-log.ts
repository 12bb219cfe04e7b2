// kysely's log hook, turned into the observer the API's query timings use; nothing when there is none.
import type {KyselyConfig} from 'kysely'
import type {QueryObserver} from './connection.js'

export function queryLog(onQuery: QueryObserver | undefined): Pick<KyselyConfig, 'log'> {
  if (!onQuery) return {}
  return {
    log: (event) =>
      onQuery({sql: event.query.sql, durationMs: event.queryDurationMillis, failed: event.level === 'error'}),
  }
}
