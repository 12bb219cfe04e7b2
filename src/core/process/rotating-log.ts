// An append-only log file that rotates by size: log → log.1 → … → log.N, the oldest dropped.
import {closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'

export class RotatingLog {
  private descriptor: number
  private size: number

  constructor(
    readonly file: string,
    private readonly maxBytes = 10 * 1024 * 1024,
    private readonly keep = 5,
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
    rmSync(`${this.file}.${this.keep}`, {force: true})
    for (let index = this.keep - 1; index >= 1; index--) {
      try {
        renameSync(`${this.file}.${index}`, `${this.file}.${index + 1}`)
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(this.file, `${this.file}.1`)
    this.descriptor = openSync(this.file, 'a')
    this.size = 0
  }

  close(): void {
    closeSync(this.descriptor)
  }
}
