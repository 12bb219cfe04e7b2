// A per-project lock for start, stop and restart: an exclusive transaction on <state>/run/lock.db.
// SQLite waits for it, and the operating system releases it when its holder dies, so there is no
// stale lock to detect and no window in which two processes can both take it over.
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'

export async function withProjectLock<T>(runDir: string, work: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  await mkdir(runDir, {recursive: true})
  const {acquireFileLock} = await import('../db/sqlite.js')
  const release = acquireFileLock(join(runDir, 'lock.db'), timeoutMs)
  try {
    return await work()
  } finally {
    await release()
  }
}
