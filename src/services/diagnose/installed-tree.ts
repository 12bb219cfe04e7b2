// The installed dependency tree against package-lock.json: every package the lock file lists, not
// only the direct dependencies, since a missing transitive one (avvio under fastify) passes a
// top-level check and then crashes `start`. One read of each installed package.json, all at once.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

interface LockEntry {
  version?: string
  link?: boolean
  optional?: boolean
  devOptional?: boolean
  dev?: boolean
  inBundle?: boolean
}

export interface TreeProblem {
  /** The lock file's key, such as node_modules/fastify/node_modules/avvio. */
  path: string
  expected: string
  /** The installed version, or undefined when the package is not there. */
  found: string | undefined
}

export interface InstalledTreeReport {
  /** How many packages of the lock file were compared. */
  checked: number
  missing: TreeProblem[]
  wrongVersion: TreeProblem[]
}

/**
 * Compares `root`/node_modules with `root`/package-lock.json; undefined when there is no lock file
 * (nothing to compare with). Optional packages that are absent are not problems: npm skips those
 * built for another platform.
 */
export async function checkInstalledTree(root: string): Promise<InstalledTreeReport | undefined> {
  const text = await readFile(join(root, 'package-lock.json'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (text === undefined) return undefined
  const lock = JSON.parse(text) as {packages?: Record<string, LockEntry>}
  // lockfileVersion 1 has no `packages`: nothing exact to compare, so nothing is reported.
  // The root ("") and workspace folders ("web") are sources, not installs; a link's target is its workspace.
  const entries = Object.entries(lock.packages ?? {}).filter(
    ([path, entry]) => /(^|\/)node_modules\//.test(path) && !entry.link,
  )
  const report: InstalledTreeReport = {checked: entries.length, missing: [], wrongVersion: []}
  await Promise.all(
    entries.map(async ([path, entry]) => {
      const found = await installedVersion(join(root, path, 'package.json'))
      const expected = entry.version ?? '*'
      if (found === undefined) {
        if (!entry.optional && !entry.inBundle) report.missing.push({path, expected, found})
      } else if (entry.version !== undefined && found !== entry.version) {
        report.wrongVersion.push({path, expected, found})
      }
    }),
  )
  const byPath = (a: TreeProblem, b: TreeProblem) => a.path.localeCompare(b.path)
  report.missing.sort(byPath)
  report.wrongVersion.sort(byPath)
  return report
}

async function installedVersion(manifest: string): Promise<string | undefined> {
  const text = await readFile(manifest, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  try {
    return String((JSON.parse(text) as {version?: unknown}).version ?? '')
  } catch {
    // A damaged package.json is as good as a missing package: npm ci replaces it.
    return ''
  }
}

/** The package name of a lock key: node_modules/a/node_modules/@s/b is @s/b. */
export function packageName(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
}
