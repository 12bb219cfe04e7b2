// A per-project lock for start, stop and restart: a file created exclusively, holding the
// holder's kernel identity, so a lock left by a dead process is recognised and taken over.
import {mkdir, open, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {StorybookError} from '../errors.js'
import {identityOf, isSameProcess, type ProcessIdentity} from './identity.js'

export async function withProjectLock<T>(runDir: string, work: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  await mkdir(runDir, {recursive: true})
  const file = join(runDir, 'lock')
  const me = identityOf(process.pid) as ProcessIdentity
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(JSON.stringify(me))
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = await readFile(file, 'utf8').then((text) => JSON.parse(text) as ProcessIdentity, () => undefined)
    // A lock whose holder is gone (or that cannot be read) is stale: remove it and try again.
    if (!holder || !isSameProcess(holder)) {
      await rm(file, {force: true})
      continue
    }
    if (Date.now() > deadline) {
      throw new StorybookError('TIMEOUT', `Another storybook command (PID ${holder.pid}) has held the project lock for ${timeoutMs / 1000} s.`, {
        next: ['storybook status'],
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50))
  }
  try {
    return await work()
  } finally {
    await rm(file, {force: true})
  }
}
