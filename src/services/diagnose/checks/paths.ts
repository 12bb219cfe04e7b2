// Paths as the doctor shows them (relative to the project root when inside it) and as git and
// .gitignore speak them (root-relative, forward slashes).
import {access} from 'node:fs/promises'
import {dirname, isAbsolute, relative, sep} from 'node:path'

/** Root-relative with forward slashes, or undefined for a path outside the root. */
export function projectRelative(root: string, path: string): string | undefined {
  const inside = relative(root, path)
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? undefined : inside.split(sep).join('/')
}

/** What a person would type from the project root: relative inside it, absolute outside. */
export const displayPath = (root: string, path: string) => projectRelative(root, path) ?? path

/** The path itself if it exists, else its nearest existing ancestor (what will hold it once created). */
export async function nearestExisting(path: string): Promise<string> {
  for (let folder = path; ; folder = dirname(folder)) {
    if ((await access(folder).then(() => true, () => false)) || dirname(folder) === folder) return folder
  }
}
