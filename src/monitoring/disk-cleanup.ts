// The dashboard's recovery when the state directory's disk fills: rotated logs past the generations
// kept and any log over the rotation size are cut (as `diagnose --fix` does), and backups beyond the
// newest few of each kind go. A running service's current log is left to its supervisor.
import {readdir, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'
import type {AppConfig} from '../core/config/load.js'
import {formatBytes} from '../core/output/bytes.js'
import {pruneBackups} from '../services/db-backup.js'
import {applyLogCleanup, planLogCleanup} from '../services/diagnose/log-trim.js'

/** With the disk full, fewer generations than the supervisor's 5 are kept. */
const LOG_GENERATIONS_KEPT = 2
/** Backups kept of each kind (storybook-…, pre-restore-…), newest first. */
const BACKUPS_KEPT = 3

export interface DiskCleanupOptions {
  config: Pick<AppConfig, 'state' | 'logMaxBytes'>
  /** Whether a service runs now (its current log is its supervisor's to rotate). */
  running: (service: string) => boolean
}

export async function freeDiskSpace(options: DiskCleanupOptions): Promise<string> {
  const {state, logMaxBytes} = options.config
  const names = await readdir(state.log).catch(() => [] as string[])
  const files = await Promise.all(
    names.map(async (name) => ({name, bytes: (await stat(join(state.log, name)).catch(() => undefined))?.size ?? 0})),
  )
  const plan = planLogCleanup(files, {keep: LOG_GENERATIONS_KEPT, maxBytes: logMaxBytes, running: options.running})
  const logs = await applyLogCleanup(state.log, plan)
  const backups = await Promise.all(
    ['storybook', 'pre-restore'].map(async (prefix) => {
      const before = await sizes(state.backups)
      const removed = await pruneBackups(state.backups, prefix, BACKUPS_KEPT).catch(() => [] as string[])
      return {removed, bytes: removed.reduce((total, name) => total + (before.get(name) ?? 0), 0)}
    }),
  )
  const removedBackups = backups.flatMap((entry) => entry.removed)
  const backupBytes = backups.reduce((total, entry) => total + entry.bytes, 0)
  const parts = [
    ...logs.removed.map((file) => `removed ${file.name}`),
    ...logs.trimmed.map((file) => `cut ${file.name} to ${formatBytes(file.after)}`),
    ...removedBackups.map((file) => `removed backup ${basename(file)}`),
  ]
  if (parts.length === 0) return 'nothing to remove: no rotated logs or backups past what is kept'
  return `${parts.join(', ')} (freed ${formatBytes(logs.freedBytes + backupBytes)})`
}

/** Each file's size, by its path. */
async function sizes(folder: string): Promise<Map<string, number>> {
  const names = await readdir(folder).catch(() => [] as string[])
  const entries = await Promise.all(
    names.map(async (name) => {
      const file = join(folder, name)
      return [file, (await stat(file).catch(() => undefined))?.size ?? 0] as const
    }),
  )
  return new Map(entries)
}
