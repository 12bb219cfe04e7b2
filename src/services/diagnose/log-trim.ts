// What the doctor's log fix does to a log folder: the generations beyond the ones kept are deleted,
// and a file over the rotation size keeps only its newest lines. Each file is named in the plan
// before anything is done, and the result says what each one became.
import {randomBytes} from 'node:crypto'
import {open, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

export interface LogFile {
  name: string
  bytes: number
}

export interface LogPlan {
  /** Generations past the ones kept (`api.log.6` with 5 kept): deleted. */
  remove: LogFile[]
  /** Files over the rotation size: cut to their newest `keepBytes`, from a line start. */
  trim: LogFile[]
  /** Current logs of running services: their supervisor rotates them, so they are left alone. */
  busy: LogFile[]
  keepBytes: number
}

/** The plan for the files of a log folder; `running` tells whether a service's current log is in use. */
export function planLogCleanup(
  files: readonly LogFile[],
  options: {keep: number; maxBytes: number; running: (service: string) => boolean},
): LogPlan {
  const plan: LogPlan = {remove: [], trim: [], busy: [], keepBytes: options.maxBytes}
  for (const file of files) {
    const match = /^(.+)\.log(?:\.(\d+))?$/.exec(file.name)
    if (!match) continue
    const generation = Number(match[2] ?? 0)
    if (generation > options.keep) plan.remove.push(file)
    else if (file.bytes <= options.maxBytes) continue
    else if (generation === 0 && options.running(match[1] as string)) plan.busy.push(file)
    else plan.trim.push(file)
  }
  return plan
}

export interface CleanupResult {
  removed: LogFile[]
  trimmed: Array<LogFile & {after: number}>
  freedBytes: number
}

/** Applies a plan in `folder`. A file that another process replaced meanwhile (a rotation) is left as it is. */
export async function applyLogCleanup(folder: string, plan: LogPlan): Promise<CleanupResult> {
  const result: CleanupResult = {removed: [], trimmed: [], freedBytes: 0}
  for (const file of plan.remove) {
    const bytes = (await stat(join(folder, file.name)).catch(() => undefined))?.size
    if (bytes === undefined) continue
    await rm(join(folder, file.name), {force: true})
    result.removed.push({name: file.name, bytes})
    result.freedBytes += bytes
  }
  for (const file of plan.trim) {
    const trimmed = await keepNewestBytes(join(folder, file.name), plan.keepBytes)
    if (!trimmed) continue
    result.trimmed.push({name: file.name, bytes: trimmed.before, after: trimmed.after})
    result.freedBytes += trimmed.before - trimmed.after
  }
  return result
}

/**
 * Rewrites `path` with only its last `keepBytes` bytes, starting after the first line break among
 * them so that no line is cut: a new file, renamed over the old one (readers see one or the other).
 */
export async function keepNewestBytes(
  path: string,
  keepBytes: number,
): Promise<{before: number; after: number} | undefined> {
  const before = await stat(path).catch(() => undefined)
  if (!before || before.size <= keepBytes) return undefined
  const source = await open(path, 'r')
  let tail: Buffer
  try {
    tail = Buffer.alloc(keepBytes)
    const {bytesRead} = await source.read(tail, 0, keepBytes, before.size - keepBytes)
    tail = tail.subarray(0, bytesRead)
  } finally {
    await source.close()
  }
  const lineStart = tail.indexOf(10)
  const kept = lineStart === -1 ? tail : tail.subarray(lineStart + 1)
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.trim`)
  const target = await open(temporary, 'wx', before.mode & 0o777)
  try {
    await target.writeFile(kept)
    await target.sync()
  } finally {
    await target.close()
  }
  const now = await stat(path).catch(() => undefined)
  if (!now || now.ino !== before.ino) {
    await rm(temporary, {force: true}) // rotated or removed meanwhile: not ours to overwrite
    return undefined
  }
  await rename(temporary, path)
  return {before: before.size, after: kept.length}
}
