// An append-only log file that rotates by size: log → log.1 → … → log.N, the oldest dropped.
// The supervisor's life depends on it, so it never throws: a log deleted under it is opened
// again, and lines that cannot be written (a full or failing disk) are dropped and counted.
import {closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'

/** A log file rotates past this size, and this many older generations are kept. */
export const LOG_ROTATE_BYTES = 10 * 1024 * 1024
export const LOG_KEEP = 5

export interface DroppedLines {
  lines: number
  /** The last error, e.g. ENOSPC. */
  error: string
}

export interface RotatingLogOptions {
  maxBytes?: number
  keep?: number
  /** Told each time lines are dropped, with the running count. */
  onDrop?: (dropped: DroppedLines) => void
  clock?: () => number
}

/** How often the file's path is compared with the open file, to notice that it was deleted or replaced. */
const REOPEN_CHECK_MS = 1_000

export class RotatingLog {
  private descriptor: number | undefined
  private size = 0
  private checkedAt = 0
  dropped: DroppedLines = {lines: 0, error: ''}

  constructor(
    readonly file: string,
    private readonly options: RotatingLogOptions = {},
  ) {
    this.open()
  }

  write(chunk: Buffer | string): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    try {
      this.reopenIfMoved()
      if (this.descriptor === undefined) this.open()
      if (this.size > 0 && this.size + data.length > (this.options.maxBytes ?? LOG_ROTATE_BYTES)) this.rotate()
      if (this.descriptor === undefined)
        throw Object.assign(new Error('the log file cannot be opened'), {code: this.dropped.error || 'EIO'})
      writeSync(this.descriptor, data)
      this.size += data.length
    } catch (error) {
      this.drop(data, error)
    }
  }

  private drop(data: Buffer, error: unknown): void {
    let lines = 0
    for (const byte of data) if (byte === 10) lines++
    this.dropped = {
      lines: this.dropped.lines + Math.max(lines, 1),
      error: (error as NodeJS.ErrnoException).code ?? String(error),
    }
    this.options.onDrop?.(this.dropped)
  }

  private open(): void {
    try {
      mkdirSync(dirname(this.file), {recursive: true})
      this.descriptor = openSync(this.file, 'a', 0o600)
      this.size = fstatSync(this.descriptor).size
    } catch (error) {
      this.descriptor = undefined
      this.dropped = {...this.dropped, error: (error as NodeJS.ErrnoException).code ?? String(error)}
    }
  }

  /** Someone deleted or moved the file (rm, logrotate without copytruncate): write to the path again. */
  private reopenIfMoved(): void {
    const now = (this.options.clock ?? Date.now)()
    if (this.descriptor === undefined || now - this.checkedAt < REOPEN_CHECK_MS) return
    this.checkedAt = now
    let moved: boolean
    try {
      moved = statSync(this.file).ino !== fstatSync(this.descriptor).ino
    } catch {
      moved = true
    }
    if (moved) {
      this.closeQuietly()
      this.open()
    }
  }

  private rotate(): void {
    this.closeQuietly()
    try {
      rotateLogFile(this.file, this.options.keep ?? LOG_KEEP)
    } catch {
      // the file was deleted meanwhile: there is nothing to move aside
    }
    this.open()
  }

  private closeQuietly(): void {
    if (this.descriptor === undefined) return
    try {
      closeSync(this.descriptor)
    } catch {
      // already closed
    }
    this.descriptor = undefined
  }

  close(): void {
    this.closeQuietly()
  }
}

/** Shifts log → log.1 → … → log.<keep>; the oldest generation is dropped. */
export function rotateLogFile(file: string, keep = LOG_KEEP): void {
  rmSync(`${file}.${keep}`, {force: true})
  for (let index = keep - 1; index >= 1; index--) {
    try {
      renameSync(`${file}.${index}`, `${file}.${index + 1}`)
    } catch {
      // that generation does not exist yet
    }
  }
  renameSync(file, `${file}.1`)
}
