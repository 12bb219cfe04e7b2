// Paths as the doctor shows them (relative to the project root when inside it) and as git and
// .gitignore speak them (root-relative, forward slashes).
import {access} from 'node:fs/promises'
import {dirname, isAbsolute, relative, sep} from 'node:path'
import {shellQuote} from '../../../core/text/shell-quote.js'

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
    if (
      (await access(folder).then(
        () => true,
        () => false,
      )) ||
      dirname(folder) === folder
    )
      return folder
  }
}

/** A path for a command typed in `cwd`: relative to it when that is shorter, quoted for the shell. */
export function commandPath(cwd: string, path: string): string {
  const fromHere = relative(cwd, path) || '.'
  return shellQuote(fromHere.length < path.length ? fromHere : path)
}

/** `command`, run in `folder` when that is not the current one. */
export function inFolder(cwd: string, folder: string, command: string): string {
  return relative(cwd, folder) === '' ? command : `cd ${commandPath(cwd, folder)} && ${command}`
}
