// Keeps generated and secret files out of git: asks git itself whether a path is ignored (it
// knows every rule, negations and nested files included), and appends to the root .gitignore.
import {spawnSync} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import {isAbsolute, join, relative, sep} from 'node:path'
import {StorybookError} from '../errors.js'
import {writeFileAtomic} from '../fs/atomic-write.js'

export interface GitignoreUpdate {
  path: string
  /** The pattern that was added, or null when the file was already ignored. */
  added: string | null
}

/**
 * True or false when git could answer; undefined outside a git work tree or without git.
 * `git check-ignore` exits 0 for ignored, 1 for not ignored, 128 for "not a repository".
 */
export function gitSaysIgnored(root: string, relativePath: string): boolean | undefined {
  const result = spawnSync('git', ['check-ignore', '-q', '--no-index', '--', relativePath], {
    cwd: root,
    stdio: 'ignore',
    timeout: 5_000,
  })
  if (result.status === 0) return true
  if (result.status === 1) return false
  return undefined
}

/** The patterns of a .gitignore text, trimmed, without blanks and comments (negations kept). */
export function gitignorePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/**
 * Whether patterns ignore a root-relative path, for projects that are not git repositories. It
 * understands the plain forms (`name`, `/name`, `name*`, `*.ext`, `dir/`) and negations; the last
 * matching pattern wins, as in git.
 */
export function isIgnoredBy(patterns: string[], relativePath: string): boolean {
  const path = relativePath.split(sep).join('/')
  const name = path.split('/').at(-1) ?? path
  let ignored = false
  for (const raw of patterns) {
    const negated = raw.startsWith('!')
    const body = negated ? raw.slice(1) : raw
    const anchored = body.startsWith('/')
    const pattern = body.replace(/^\//, '').replace(/\/$/, '')
    const target = anchored || pattern.includes('/') ? path : name
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('[^/]*')}$`)
    if (regex.test(target) || path.startsWith(`${pattern}/`)) ignored = !negated
  }
  return ignored
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Adds `file` to `<root>/.gitignore` (as `pattern`, by default its root-anchored path) unless it is
 * ignored already. Files outside the root are left alone.
 */
export async function ensureGitignored(root: string, file: string, pattern?: string): Promise<GitignoreUpdate | null> {
  const relativePath = relative(root, file)
  if (relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)) return null
  const path = join(root, '.gitignore')
  let text = ''
  let mode = 0o644
  try {
    text = await readFile(path, 'utf8')
    mode = (await stat(path)).mode & 0o777
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') {
      throw new StorybookError('FILE_SYSTEM', `Cannot read ${path}: ${code ?? String(error)}.`, {
        reason: `${relativePath} holds secrets and must be listed there.`,
        next: [`ls -ld ${path}`],
        cause: error,
      })
    }
  }
  const ignored = gitSaysIgnored(root, relativePath) ?? isIgnoredBy(gitignorePatterns(text), relativePath)
  if (ignored) return {path, added: null}
  const line = pattern ?? `/${relativePath.split(sep).join('/')}`
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  await writeFileAtomic(path, `${text}${separator}${line}\n`, mode)
  return {path, added: line}
}

export interface GitFacts {
  /** The project is inside a git work tree (and git is installed). */
  repository: boolean
  /** Of `paths` (root-relative), those git ignores. */
  ignored(paths: string[]): Promise<Set<string>>
  /** Of `paths` (files or folders, root-relative), the files git tracks. */
  tracked(paths: string[]): Promise<string[]>
}

/** Asks git about a project, without blocking (the doctor runs its checks concurrently). */
export async function gitFacts(root: string, signal?: AbortSignal): Promise<GitFacts> {
  const {execFile} = await import('node:child_process')
  const git = (args: string[]) =>
    new Promise<{code: number; stdout: string}>((resolve) => {
      // Short: the doctor asks git up to three questions within one check's budget.
      execFile('git', args, {cwd: root, timeout: 1_500, ...(signal ? {signal} : {})}, (error, stdout) => {
        const code = error
          ? typeof (error as {code?: unknown}).code === 'number'
            ? (error as {code: number}).code
            : 128
          : 0
        resolve({code, stdout})
      })
    })
  const lines = (text: string) => text.split('\n').filter(Boolean)
  const repository = (await git(['rev-parse', '--is-inside-work-tree'])).stdout.trim() === 'true'
  return {
    repository,
    ignored: async (paths) => {
      if (!repository || paths.length === 0) return new Set()
      // exit 0: some are ignored (listed), 1: none is
      return new Set(lines((await git(['check-ignore', '--no-index', '--', ...paths])).stdout))
    },
    tracked: async (paths) =>
      repository && paths.length > 0 ? lines((await git(['ls-files', '--', ...paths])).stdout) : [],
  }
}
