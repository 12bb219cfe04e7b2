// Turns one stored service log line (pino JSON, or anything else a process printed) into one
// readable line: local time, level, message and the fields worth reading. Used by `storybook logs`
// and by unified mode for every line, so it is a plain function with no dependencies to load.
import type {ChalkInstance} from 'chalk'

export interface LogLineOptions {
  /** The colours to use: a command's `this.style` (a level-0 Chalk writes no escape codes). */
  style: ChalkInstance
  /** Print an error's stack, indented, on the lines below. */
  verbose?: boolean
  /** The current time, which decides whether a line's date is shown (only when not today). */
  now?: Date | number
}

/** pino's numeric levels. */
export const LOG_LEVELS = {trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60} as const
export type LogLevelName = keyof typeof LOG_LEVELS

const LABELS: Record<number, string> = {10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL'}
/** Fields shown in their own way, or not worth a column (pid and hostname are the same on every line). */
const SHOWN_APART = new Set([
  ...['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v'],
  ...['reqId', 'req', 'res', 'responseTime', 'err'],
])

type LogRecord = Record<string, unknown>

/** The line as a JSON object, or undefined when it is not one (plain text, a cut-off line, an array). */
export function parseLogLine(line: string): LogRecord | undefined {
  // Cheap test first: most non-JSON lines never reach JSON.parse.
  if (line.trimStart()[0] !== '{') return undefined
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : undefined
  } catch {
    return undefined
  }
}

/** A line's numeric level; lines that are not pino records count as info. */
export function logLevelOf(line: string): number {
  return levelNumber(parseLogLine(line)?.level) ?? LOG_LEVELS.info
}

function levelNumber(level: unknown): number | undefined {
  if (typeof level === 'number') return level
  if (typeof level === 'string' && level in LOG_LEVELS) return LOG_LEVELS[level as LogLevelName]
  return undefined
}

export function formatLogLine(line: string, options: LogLineOptions): string {
  const record = parseLogLine(line)
  const level = levelNumber(record?.level)
  // Not a pino record: shown exactly as the process wrote it.
  if (!record || level === undefined) return line
  const {style} = options
  const parts: string[] = []
  const time = timeOf(record.time)
  if (time) parts.push(style.dim(formatTime(time, new Date(options.now ?? Date.now()))))
  const label = LABELS[level] ?? `L${level}`
  // Padded outside the colour, so that a coloured label is the same escape-wrapped word everywhere.
  parts.push(levelStyle(style, level)(label) + ' '.repeat(Math.max(0, 5 - label.length)))
  const error = errorOf(record.err)
  const message = typeof record.msg === 'string' ? record.msg : undefined
  const text = error && error.message !== message ? [message, error.text].filter(Boolean).join(': ') : message
  if (text) parts.push(text)
  parts.push(...requestParts(record, style), ...otherFields(record, style))
  if (typeof record.reqId === 'string' || typeof record.reqId === 'number') parts.push(style.dim(String(record.reqId)))
  const first = parts.join(' ')
  if (!options.verbose || !error?.stack) return first
  return `${first}\n${style.dim(error.stack.replace(/^/gm, '    '))}`
}

function timeOf(value: unknown): Date | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/** Local HH:MM:SS.mmm, with the date in front when the line is not from today. */
function formatTime(time: Date, now: Date): string {
  const clock =
    `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}` + `.${pad(time.getMilliseconds(), 3)}`
  const sameDay =
    time.getFullYear() === now.getFullYear() && time.getMonth() === now.getMonth() && time.getDate() === now.getDate()
  return sameDay ? clock : `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${clock}`
}

function levelStyle(style: ChalkInstance, level: number): ChalkInstance {
  if (level >= 60) return style.bgRed.white
  if (level >= 50) return style.red
  if (level >= 40) return style.yellow
  if (level >= 30) return style.green
  if (level >= 20) return style.blue
  return style.gray
}

function errorOf(value: unknown): {message: string; text: string; stack?: string} | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const {type, message, stack} = value as {type?: unknown; message?: unknown; stack?: unknown}
  if (typeof message !== 'string') return undefined
  // "TypeError: x" says more than "x"; a plain Error's type says nothing.
  const text = typeof type === 'string' && type !== 'Error' ? `${type}: ${message}` : message
  return {message, text, ...(typeof stack === 'string' ? {stack} : {})}
}

/** Fastify's request fields: method and URL of the request, status and time of the response. */
function requestParts(record: LogRecord, style: ChalkInstance): string[] {
  const parts: string[] = []
  const req = record.req as {method?: unknown; url?: unknown} | undefined
  if (typeof req?.method === 'string') parts.push(style.bold(req.method))
  if (typeof req?.url === 'string') parts.push(req.url)
  const status = (record.res as {statusCode?: unknown} | undefined)?.statusCode
  if (typeof status === 'number') parts.push(statusStyle(style, status)(String(status)))
  if (typeof record.responseTime === 'number') parts.push(`${Number(record.responseTime.toFixed(2))} ms`)
  return parts
}

function statusStyle(style: ChalkInstance, status: number): ChalkInstance {
  if (status >= 500) return style.red
  if (status >= 400) return style.yellow
  if (status >= 300) return style.cyan
  return style.green
}

/** Every other field as key=value: the context a log call added (`{swept: 2}`, `{signal}`). */
function otherFields(record: LogRecord, style: ChalkInstance): string[] {
  const parts: string[] = []
  for (const key in record) {
    if (SHOWN_APART.has(key)) continue
    const value = record[key]
    const shown = typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
    parts.push(`${style.dim(`${key}=`)}${shown}`)
  }
  return parts
}
