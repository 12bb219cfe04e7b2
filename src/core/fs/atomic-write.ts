// Writes a file so that readers see the old contents or the new, never half of either.
import {randomBytes} from 'node:crypto'
import {constants} from 'node:fs'
import {chmod, open, realpath, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {StorybookError} from '../errors.js'

/**
 * A temporary file in the same folder, fsync, rename. A symlink is followed, so the file it
 * points to is replaced and the link stays a link.
 */
export async function writeFileAtomic(path: string, contents: string, mode = 0o600): Promise<void> {
  const target = await realpath(path).catch(() => path)
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL
  try {
    const handle = await open(temporary, flags, mode)
    try {
      await handle.writeFile(contents, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await chmod(temporary, mode) // the umask may have narrowed open()'s mode
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    throw new StorybookError('FILE_SYSTEM', `Cannot write ${path}: ${code ?? String(error)}.`, {
      reason:
        code === 'EISDIR' ? 'A directory stands where the file should be.' : 'The folder must exist and be writable.',
      next: [`ls -ld ${dirname(target)}`],
      cause: error,
    })
  }
}
