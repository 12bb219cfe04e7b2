// Reads and edits .env files line by line, so comments, order and unknown keys survive an edit.
// Values are parsed by dotenv's parser (quiet: parse never prints) so they mean what dotenv says.
import {readFile, stat} from 'node:fs/promises'
import {parse} from 'dotenv'
import {StorybookError} from '../errors.js'
import {shellQuote} from '../text/shell-quote.js'

export type EnvLine =
  | {kind: 'blank'; text: string}
  | {kind: 'comment'; text: string}
  | {kind: 'assignment'; key: string; text: string}
  | {kind: 'invalid'; text: string; lineNumber: number}

export interface EnvDocument {
  lines: EnvLine[]
  /** The parsed values, as dotenv reads them (the last assignment of a key wins). */
  values: Record<string, string>
  eol: '\n' | '\r\n'
  /** True when the file ended with a newline; kept on write. */
  finalNewline: boolean
}

export interface EnvFileWarning {
  lineNumber: number
  message: string
}

/**
 * dotenv's own line expression (lib/main.js), with indices: the lines an assignment spans are
 * exactly the ones dotenv reads as its value, so an edit never cuts a value apart or swallows
 * the lines after an unclosed quote.
 */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm

/** Splits a .env text into lines; a quoted value that spans lines stays one assignment. */
export function parseEnvDocument(text: string): EnvDocument {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const normalized = text.replace(/\r\n?/g, '\n')
  const rawLines = normalized.split('\n')
  const finalNewline = rawLines.length > 1 && rawLines.at(-1) === ''
  if (finalNewline || normalized === '') rawLines.pop()

  const lineStarts: number[] = []
  let offset = 0
  for (const line of rawLines) {
    lineStarts.push(offset)
    offset += line.length + 1
  }
  const lineAt = (position: number): number => {
    let low = 0
    let high = lineStarts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((lineStarts[middle] ?? 0) <= position) low = middle
      else high = middle - 1
    }
    return low
  }

  // First line of each assignment, with its key and last line.
  const assignments = new Map<number, {key: string; lastLine: number}>()
  for (const match of normalized.matchAll(DOTENV_LINE)) {
    const keySpan = match.indices?.[1]
    if (!keySpan || match[1] === undefined) continue
    const valueEnd = match.indices?.[2]?.[1] ?? keySpan[1]
    const first = lineAt(keySpan[0])
    assignments.set(first, {key: match[1], lastLine: lineAt(Math.max(keySpan[0], valueEnd - 1))})
  }

  const lines: EnvLine[] = []
  for (let index = 0; index < rawLines.length; index++) {
    const line = rawLines[index] ?? ''
    const assignment = assignments.get(index)
    if (assignment) {
      lines.push({
        kind: 'assignment',
        key: assignment.key,
        text: rawLines.slice(index, assignment.lastLine + 1).join(eol),
      })
      index = assignment.lastLine
    } else if (line.trim() === '') {
      lines.push({kind: 'blank', text: line})
    } else if (line.trim().startsWith('#')) {
      lines.push({kind: 'comment', text: line})
    } else {
      lines.push({kind: 'invalid', text: line, lineNumber: index + 1})
    }
  }
  return {lines, values: parse(normalized), eol, finalNewline: finalNewline || rawLines.length === 0}
}

/** Lines that are neither blank, comments nor KEY=VALUE. Reported by line number, never by content. */
export function envDocumentWarnings(document: EnvDocument): EnvFileWarning[] {
  return document.lines.flatMap((line) =>
    line.kind === 'invalid'
      ? [{lineNumber: line.lineNumber, message: `line ${line.lineNumber} is not KEY=VALUE and is ignored`}]
      : [],
  )
}

const SAFE_UNQUOTED = /^[\w.\-:/@%+,~^!?*[\]{}()|&<>\\]*$/

/** Writes a value so that dotenv parses it back unchanged. */
export function formatEnvValue(value: string): string {
  if (SAFE_UNQUOTED.test(value)) return value
  // A backslash just before the closing quote would escape it, hence the endsWith checks.
  const oneLine = !/[\r\n]/.test(value) && !value.endsWith('\\')
  if (oneLine && !value.includes("'")) return `'${value}'`
  if (!value.includes('"') && !value.includes('\\') && !value.includes('\r')) {
    return `"${value.replaceAll('\n', '\\n')}"`
  }
  if (oneLine && !value.includes('`')) return `\`${value}\``
  throw new StorybookError('VALIDATION_FAILED', 'This value cannot be written to a .env file.', {
    reason: 'It mixes quote characters with line breaks or backslashes, which dotenv cannot read back.',
    next: ['Choose a value without line breaks, or without one of the quote characters'],
  })
}

/** Sets KEY to a value: the effective (last) assignment is replaced in place, else a line is appended. */
export function setEnvValue(document: EnvDocument, key: string, value: string, comment?: string): EnvDocument {
  const last = findLastAssignment(document, key)
  const exported = last !== -1 && /^\s*export\s/.test(document.lines[last]?.text ?? '')
  const text = `${exported ? 'export ' : ''}${key}=${formatEnvValue(value)}`
  const lines = [...document.lines]
  if (last === -1) {
    if (lines.length > 0 && lines.at(-1)?.kind !== 'blank') lines.push({kind: 'blank', text: ''})
    if (comment) lines.push({kind: 'comment', text: `# ${comment}`})
    lines.push({kind: 'assignment', key, text})
  } else {
    lines[last] = {kind: 'assignment', key, text}
  }
  return withValues({...document, lines})
}

/** Values as dotenv reads the edited text: an earlier duplicate of a key takes effect again when the last one goes. */
function withValues(document: EnvDocument): EnvDocument {
  return {...document, values: parse(serializeEnvDocument(document).replace(/\r\n?/g, '\n'))}
}

/** Whether the file documents KEY as a commented-out line (`# KEY=…`), as `env setup` writes defaults. */
export function hasCommentedEnvValue(document: EnvDocument, key: string): boolean {
  const pattern = new RegExp(`^#\\s*(?:export\\s+)?${key.replace(/[.]/g, '\\.')}=`)
  return document.lines.some((line) => line.kind === 'comment' && pattern.test(line.text.trim()))
}

/** Appends lines (comments, blanks) as they are. */
export function appendEnvComment(document: EnvDocument, texts: string[]): EnvDocument {
  const lines = [...document.lines]
  if (lines.length > 0 && lines.at(-1)?.kind !== 'blank') lines.push({kind: 'blank', text: ''})
  for (const text of texts) lines.push({kind: 'comment', text})
  return {...document, lines}
}

/** Comments out the effective assignment of KEY, keeping its text so nothing is lost. */
export function commentOutEnvValue(document: EnvDocument, key: string, note: string): EnvDocument {
  const last = findLastAssignment(document, key)
  if (last === -1) return document
  const lines = [...document.lines]
  const old = lines[last] as EnvLine
  const commented = old.text
    .split(document.eol)
    .map((line) => `# ${line}`)
    .join(document.eol)
  lines.splice(last, 1, {kind: 'comment', text: `# ${note}`}, {kind: 'comment', text: commented})
  return withValues({...document, lines})
}

/**
 * Sets KEY to `value` in place of its last assignment, which stays above it as a comment after
 * `note` (the line a person wrote is never lost); appended like setEnvValue when KEY has no line.
 */
export function replaceEnvValue(document: EnvDocument, key: string, value: string, note: string): EnvDocument {
  const last = findLastAssignment(document, key)
  if (last === -1) return setEnvValue(document, key, value)
  const exported = /^\s*export\s/.test(document.lines[last]?.text ?? '')
  const commented = commentOutEnvValue(document, key, note)
  const lines = [...commented.lines]
  // commentOutEnvValue put the note and the old line where the assignment was: the new one follows them.
  lines.splice(last + 2, 0, {
    kind: 'assignment',
    key,
    text: `${exported ? 'export ' : ''}${key}=${formatEnvValue(value)}`,
  })
  return withValues({...commented, lines})
}

function findLastAssignment(document: EnvDocument, key: string): number {
  for (let i = document.lines.length - 1; i >= 0; i--) {
    const line = document.lines[i]
    if (line?.kind === 'assignment' && line.key === key) return i
  }
  return -1
}

export function serializeEnvDocument(document: EnvDocument): string {
  const body = document.lines.map((line) => line.text).join(document.eol)
  return document.lines.length > 0 && document.finalNewline ? body + document.eol : body
}

export interface EnvFileContents {
  exists: boolean
  document: EnvDocument
}

export async function readEnvFile(path: string): Promise<EnvFileContents> {
  let text: string
  try {
    // A FIFO or a device would block the read forever: only a regular file (or a link to one) is read.
    const kind = await stat(path)
    if (kind.isDirectory()) {
      throw new StorybookError('FILE_SYSTEM', `${path} is a directory, not a file.`, {
        reason: 'storybook reads its settings from a file at that path; nothing in the directory is read.',
        next: [`mv ${shellQuote(path)} ${shellQuote(`${path}.dir-backup`)} && storybook env setup --yes`],
      })
    }
    if (!kind.isFile()) {
      throw new StorybookError('FILE_SYSTEM', `${path} is not a regular file.`, {
        reason: 'It is a pipe, socket or device; a .env file must be a plain text file.',
        next: [`ls -l ${path}`, 'STORYBOOK_ENV_FILE=<another file> storybook env setup'],
      })
    }
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (error instanceof StorybookError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {exists: false, document: parseEnvDocument('')}
    throw new StorybookError('FILE_SYSTEM', `Cannot read ${path}: ${code ?? String(error)}.`, {
      reason: code === 'EISDIR' ? 'The path is a directory, not a file.' : 'The file exists but is not readable.',
      next: [`ls -l ${path}`, 'STORYBOOK_ENV_FILE=<another file> storybook env setup'],
      cause: error,
    })
  }
  if (text.includes('\0')) {
    throw new StorybookError('CONFIG_INVALID', `${path} is not a text file.`, {
      reason: 'It contains NUL bytes, so it cannot be a .env file.',
      next: [`mv ${path} ${path}.broken`, 'storybook env setup'],
    })
  }
  return {exists: true, document: parseEnvDocument(text.replace(/^\uFEFF/, ''))}
}
