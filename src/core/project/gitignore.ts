// Keeps generated and secret files out of git by checking and extending the root .gitignore.
import {readFile, stat} from 'node:fs/promises'
import {isAbsolute, join, relative, sep} from 'node:path'
import {writeFileAtomic} from '../config/env-file.js'

export interface GitignoreUpdate {
  path: string
  /** The pattern that was added, or null when the file was already ignored. */
  added: string | null
}

/** The patterns of a .gitignore text: trimmed, without blanks, comments or negations. */
export function gitignorePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'))
}

/**
 * Whether a .gitignore pattern list covers a root-relative path. It understands the plain forms
 * people write for one file (`name`, `/name`, `name*`, `*.ext`); for anything cleverer it says no,
 * and the caller adds an exact line, which is harmless.
 */
export function isIgnoredBy(patterns: string[], relativePath: string): boolean {
  const path = relativePath.split(sep).join('/')
  const name = path.split('/').at(-1) ?? path
  return patterns.some((raw) => {
    const anchored = raw.startsWith('/')
    const pattern = raw.replace(/^\//, '').replace(/\/$/, '')
    const target = anchored || pattern.includes('/') ? path : name
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('[^/]*')}$`)
    return regex.test(target) || path.startsWith(`${pattern}/`)
  })
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}

/** Adds `file` to `<root>/.gitignore` unless a pattern already covers it. Files outside the root are left alone. */
export async function ensureGitignored(root: string, file: string): Promise<GitignoreUpdate | null> {
  const relativePath = relative(root, file)
  if (relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)) return null
  const path = join(root, '.gitignore')
  let text = ''
  let mode = 0o644
  try {
    text = await readFile(path, 'utf8')
    mode = (await stat(path)).mode & 0o777
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (isIgnoredBy(gitignorePatterns(text), relativePath)) return {path, added: null}
  const pattern = `/${relativePath.split(sep).join('/')}`
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  await writeFileAtomic(path, `${text}${separator}${pattern}\n`, mode)
  return {path, added: pattern}
}
