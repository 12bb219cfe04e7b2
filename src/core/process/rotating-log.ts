// An append-only log file that rotates by size: log → log.1 → … → log.N, the oldest dropped.
import {closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'

/** A log file rotates past this size, and this many older generations are kept. */
export const LOG_ROTATE_BYTES = 10 * 1024 * 1024
export const LOG_KEEP = 5

export class RotatingLog {
  private descriptor: number
  private size: number

  constructor(
    readonly file: string,
    private readonly maxBytes = LOG_ROTATE_BYTES,
    private readonly keep = LOG_KEEP,
  ) {
    mkdirSync(dirname(file), {recursive: true})
    this.descriptor = openSync(file, 'a')
    this.size = statSync(file).size
  }

  write(chunk: Buffer | string): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    if (this.size > 0 && this.size + data.length > this.maxBytes) this.rotate()
    writeSync(this.descriptor, data)
    this.size += data.length
  }

  private rotate(): void {
    closeSync(this.descriptor)
    rotateLogFile(this.file, this.keep)
    this.descriptor = openSync(this.file, 'a')
    this.size = 0
  }

  close(): void {
    closeSync(this.descriptor)
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
