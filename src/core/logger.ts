// The pino logger factory for the CLI and the server: JSON lines to files, readable lines on a
// terminal, level from LOG_LEVEL, secrets redacted. pino is imported lazily to keep start-up fast.
import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import type {DestinationStream, Logger} from 'pino'
import {maskUrlPassword} from './config/mask.js'
import type {LogLevel} from './config/schema.js'

export type {Logger} from 'pino'

export type LogTarget =
  /** Readable, coloured when `color`, for people at a terminal. */
  | {kind: 'pretty'; fd: 1 | 2; color: boolean}
  /** JSON lines to a file descriptor (a pipe or a log collector). */
  | {kind: 'json'; fd: 1 | 2}
  /** JSON lines appended to a file; the folder is created. */
  | {kind: 'file'; path: string}
  /** Any stream, for tests. */
  | {kind: 'stream'; stream: DestinationStream}

export interface LoggerOptions {
  name: string
  level: LogLevel
  target: LogTarget
}

const SECRET_KEYS = [
  'password',
  'token',
  'sessionSecret',
  'apiKey',
  'SESSION_SECRET',
  'IMAGE_API_KEY',
  'authorization',
  'cookie',
]
/** Keys whose values may hold a URL with a password: masked, not removed, so the host stays readable. */
const URL_KEYS = ['url', 'databaseUrl', 'DATABASE_URL', 'IMAGE_API_URL']

/** Paths whose values never reach a log line, at the top level and two levels down (e.g. config.image.apiKey). */
export const REDACTED_PATHS = [...SECRET_KEYS, ...URL_KEYS].flatMap((key) => [key, `*.${key}`, `*.*.${key}`])

function censor(value: unknown, path: string[]): unknown {
  const key = path.at(-1) ?? ''
  if (URL_KEYS.includes(key) && typeof value === 'string') return maskUrlPassword(value)
  return '[redacted]'
}

export async function createLogger(options: LoggerOptions): Promise<Logger> {
  const {default: pino} = await import('pino')
  const base = {
    name: options.name,
    level: options.level,
    redact: {paths: REDACTED_PATHS, censor},
  }
  const {target} = options
  switch (target.kind) {
    case 'pretty': {
      const {default: pretty} = await import('pino-pretty')
      // sync: a worker-thread transport would cost start-up time and lose lines on exit.
      return pino(base, pretty({destination: target.fd, sync: true, colorize: target.color, ignore: 'pid,hostname'}))
    }
    case 'json': {
      return pino(base, pino.destination({dest: target.fd, sync: true}))
    }
    case 'file': {
      mkdirSync(dirname(target.path), {recursive: true})
      return pino(base, pino.destination({dest: target.path, append: true, sync: false}))
    }
    case 'stream': {
      return pino(base, target.stream)
    }
  }
}
