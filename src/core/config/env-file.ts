// Reads and edits .env files line by line, so comments, order and unknown keys survive an edit.
// Values are parsed by dotenv's parser (quiet: parse never prints) so they mean what dotenv says.
import {randomBytes} from 'node:crypto'
import {constants} from 'node:fs'
import {chmod, open, readFile, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {parse} from 'dotenv'
import {StorybookError} from '../errors.js'

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

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*(?:=|:\s)(.*)$/

/** Splits a .env text into lines; a quoted value that spans lines stays one assignment. */
export function parseEnvDocument(text: string): EnvDocument {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const rawLines = text.split(/\r?\n/)
  const finalNewline = rawLines.length > 1 && rawLines.at(-1) === ''
  if (finalNewline || text === '') rawLines.pop()

  const lines: EnvLine[] = []
  for (let index = 0; index < rawLines.length; index++) {
    const line = rawLines[index] ?? ''
    const trimmed = line.trim()
    if (trimmed === '') {
      lines.push({kind: 'blank', text: line})
      continue
    }
    if (trimmed.startsWith('#')) {
      lines.push({kind: 'comment', text: line})
      continue
    }
    const match = ASSIGNMENT.exec(line)
    if (!match) {
      lines.push({kind: 'invalid', text: line, lineNumber: index + 1})
      continue
    }
    const key = match[1] as string
    const value = (match[2] ?? '').trimStart()
    const quote = value[0]
    let joined = line
    // A quoted value without its closing quote on this line continues on the next ones.
    if ((quote === '"' || quote === "'" || quote === '`') && !closesQuote(value.slice(1), quote)) {
      while (index + 1 < rawLines.length) {
        index++
        joined += eol + (rawLines[index] ?? '')
        if (closesQuote(rawLines[index] ?? '', quote)) break
      }
    }
    lines.push({kind: 'assignment', key, text: joined})
  }
  return {lines, values: parse(text), eol, finalNewline: finalNewline || rawLines.length === 0}
}

function closesQuote(rest: string, quote: string): boolean {
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\') i++
    else if (rest[i] === quote) return true
  }
  return false
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
  const text = `${key}=${formatEnvValue(value)}`
  const last = findLastAssignment(document, key)
  const lines = [...document.lines]
  if (last === -1) {
    if (lines.length > 0 && lines.at(-1)?.kind !== 'blank') lines.push({kind: 'blank', text: ''})
    if (comment) lines.push({kind: 'comment', text: `# ${comment}`})
    lines.push({kind: 'assignment', key, text})
  } else {
    lines[last] = {kind: 'assignment', key, text}
  }
  return {...document, lines, values: {...document.values, [key]: value}}
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
  const values = {...document.values}
  delete values[key]
  return {...document, lines, values}
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
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {exists: false, document: parseEnvDocument('')}
    throw new StorybookError('FILE_SYSTEM', `Cannot read ${path}: ${code ?? String(error)}.`, {
      reason: code === 'EISDIR' ? 'The path is a directory, not a file.' : 'The file exists but is not readable.',
      next: [`ls -l ${path}`, 'storybook env setup --env-file <another file>'],
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

/** Writes a file atomically: a temporary file in the same folder, fsync, rename. */
export async function writeFileAtomic(path: string, contents: string, mode = 0o600): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL
  try {
    const handle = await open(temporary, flags, mode)
    try {
      await handle.writeFile(contents, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await chmod(temporary, mode) // the umask may have narrowed or widened open()'s mode
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    throw new StorybookError('FILE_SYSTEM', `Cannot write ${path}: ${code ?? String(error)}.`, {
      reason: 'The folder must exist and be writable.',
      next: [`ls -ld ${dirname(path)}`],
      cause: error,
    })
  }
}
