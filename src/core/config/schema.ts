// The one environment schema: every variable the toolkit and the application read,
// with its description, example, default, secret flag and the rule it must follow.
import {randomBytes} from 'node:crypto'
import {host, makeValidator, port, str, type ValidatorSpec} from 'envalid'

export interface DefaultContext {
  /** The state directory, absolute. */
  stateDir: string
}

export interface VariableSpec {
  key: string
  description: string
  example: string
  /** A raw default; a function when it depends on other settings. */
  default?: string | ((context: DefaultContext) => string)
  /** How the default reads in docs when it is computed. */
  defaultLabel?: string
  secret: boolean
  /** The rule in words, shown when the value breaks it. */
  rule: string
  /** May stay unset (no default, not required). */
  optional?: boolean
  /** Read from the process environment only (it locates the .env file itself). */
  environmentOnly?: boolean
  /** Makes a fresh value for `env setup` (secrets). */
  generate?: () => string
  /** Required only when this holds for the other raw values. */
  requiredWhen?: (raw: Record<string, string | undefined>) => boolean
  validator: () => ValidatorSpec<unknown>
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export const NODE_ENVS = ['development', 'production', 'test'] as const
export type NodeEnv = (typeof NODE_ENVS)[number]
export const IMAGE_PROVIDERS = ['builtin', 'http'] as const
export type ImageProvider = (typeof IMAGE_PROVIDERS)[number]

export const SESSION_SECRET_MIN_LENGTH = 32

const databaseUrl = makeValidator<string>((input) => {
  if (/^postgres(ql)?:\/\/[^/]+/.test(input)) {
    new URL(input) // throws on a malformed URL
    return input
  }
  if (/^sqlite:.+/.test(input)) return input
  throw new Error('not a database URL')
})

const secret = makeValidator<string>((input) => {
  if (input.length < SESSION_SECRET_MIN_LENGTH) throw new Error('too short')
  return input
})

const smtpUrl = makeValidator<string>((input) => {
  const url = new URL(input)
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('not smtp')
  return input
})

const httpUrl = makeValidator<string>((input) => {
  const url = new URL(input)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
  return input
})

const integerAtLeast = (min: number) =>
  makeValidator<number>((input) => {
    if (!/^\d+$/.test(input) || Number(input) < min || !Number.isSafeInteger(Number(input))) {
      throw new Error(`not a whole number of at least ${min}`)
    }
    return Number(input)
  })
const positiveInteger = integerAtLeast(1)
const nonNegativeInteger = integerAtLeast(0)

const portRule = 'must be a whole number from 1 to 65535'

/** The schema, in the order `env show` and the README list it. */
export const VARIABLES: readonly VariableSpec[] = [
  {
    key: 'STORYBOOK_ROOT',
    description: 'Project root; found from the working directory when unset',
    example: '/home/me/storybook',
    defaultLabel: 'nearest folder whose package.json is this project',
    secret: false,
    rule: 'must be an existing directory',
    environmentOnly: true,
    validator: () => str({default: undefined}),
  },
  {
    key: 'STORYBOOK_ENV_FILE',
    description: 'The .env file to read and write (also `--env-file`)',
    example: '.env.local',
    defaultLabel: '<root>/.env',
    secret: false,
    rule: 'must be a file path',
    environmentOnly: true,
    validator: () => str({default: undefined}),
  },
  {
    key: 'STORYBOOK_STATE_DIR',
    description: 'Folder for state files, logs, the SQLite database and backups (relative to the root; ~/ for home)',
    example: 'var',
    default: 'var',
    secret: false,
    rule: 'must be a directory (or not exist yet), not a file',
    validator: () => str(),
  },
  {
    key: 'NODE_ENV',
    description: 'Runtime mode of the application',
    example: 'development',
    default: 'development',
    secret: false,
    rule: `must be one of: ${NODE_ENVS.join(', ')}`,
    validator: () => str({choices: NODE_ENVS}),
  },
  {
    key: 'LOG_LEVEL',
    description: 'Lowest level written to logs',
    example: 'info',
    default: 'info',
    secret: false,
    rule: `must be one of: ${LOG_LEVELS.join(', ')}`,
    validator: () => str({choices: LOG_LEVELS}),
  },
  {
    key: 'API_HOST',
    description: 'Address the API binds to',
    example: '127.0.0.1',
    default: '127.0.0.1',
    secret: false,
    rule: 'must be an IP address or host name',
    validator: () => host(),
  },
  {
    key: 'API_PORT',
    description: 'Port of the API',
    example: '8000',
    default: '8000',
    secret: false,
    rule: portRule,
    validator: () => port(),
  },
  {
    key: 'WEB_PORT',
    description: 'Port of the web app',
    example: '3000',
    default: '3000',
    secret: false,
    rule: portRule,
    validator: () => port(),
  },
  {
    key: 'DASHBOARD_PORT',
    description: 'Port of the monitoring dashboard',
    example: '8001',
    default: '8001',
    secret: false,
    rule: portRule,
    validator: () => port(),
  },
  {
    key: 'DATABASE_URL',
    description: 'Database: `sqlite:<file>` (relative to the root) or `postgres://user:password@host:port/db`',
    example: 'postgres://storybook:secret@127.0.0.1:5432/storybook',
    default: ({stateDir}) => `sqlite:${stateDir}/data/storybook.db`,
    defaultLabel: 'sqlite:<state dir>/data/storybook.db',
    secret: false,
    rule: 'must be sqlite:<file> or a postgres:// URL',
    validator: () => databaseUrl(),
  },
  {
    key: 'SESSION_SECRET',
    description:
      'Secret that keys the stored hashes of session tokens (changing it logs everyone out); `storybook env setup` generates one',
    example: 'a long random string',
    secret: true,
    rule: `must be at least ${SESSION_SECRET_MIN_LENGTH} characters`,
    generate: () => randomBytes(32).toString('base64url'),
    validator: () => secret(),
  },
  {
    key: 'IMAGE_PROVIDER',
    description: 'Illustration generator: `builtin` (offline SVG) or `http` (an OpenAI-style image API)',
    example: 'builtin',
    default: 'builtin',
    secret: false,
    rule: `must be one of: ${IMAGE_PROVIDERS.join(', ')}`,
    validator: () => str({choices: IMAGE_PROVIDERS}),
  },
  {
    key: 'IMAGE_API_URL',
    description: 'Image API endpoint, required when IMAGE_PROVIDER=http',
    example: 'https://images.example.com/v1/images/generations',
    secret: false,
    rule: 'must be an http(s) URL; required when IMAGE_PROVIDER=http',
    requiredWhen: (raw) => raw.IMAGE_PROVIDER === 'http',
    validator: () => httpUrl({default: undefined}),
  },
  {
    key: 'IMAGE_API_KEY',
    description: 'Key for the image API',
    example: 'sk-…',
    secret: true,
    rule: 'any string',
    optional: true,
    validator: () => str({default: undefined}),
  },
  {
    key: 'RATE_LIMIT_MAX',
    description: 'Requests per client per window on the API',
    example: '300',
    default: '300',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'RATE_LIMIT_AUTH_MAX',
    description: 'Login and register attempts per client per window',
    example: '10',
    default: '10',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'RATE_LIMIT_WINDOW_MS',
    description: 'Length of the rate-limit window in milliseconds',
    example: '60000',
    default: '60000',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'SHUTDOWN_GRACE_MS',
    description: 'How long servers may take to finish in-flight work on SIGTERM',
    example: '10000',
    default: '10000',
    secret: false,
    rule: 'must be a whole number of milliseconds (0 or more)',
    validator: () => nonNegativeInteger(),
  },
  {
    key: 'HEALTHCHECK_INTERVAL_MS',
    description: "How often a service's supervisor asks its health URL (a service that stops answering is restarted)",
    example: '10000',
    default: '10000',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'HEALTHCHECK_RETRIES',
    description: 'Failed health checks in a row after which the supervisor restarts a service',
    example: '3',
    default: '3',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'LOG_MAX_BYTES',
    description: 'Size at which a service log is rotated (5 older generations are kept)',
    example: '10485760',
    default: '10485760',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'DASHBOARD_HOST',
    description: 'Address the monitoring dashboard binds to (any other than 127.0.0.1 requires DASHBOARD_TOKEN)',
    example: '127.0.0.1',
    default: '127.0.0.1',
    secret: false,
    rule: 'must be an IP address or host name',
    validator: () => host(),
  },
  {
    key: 'DASHBOARD_TOKEN',
    description: 'Token the dashboard asks for when it binds beyond this machine; `storybook env setup` generates one',
    example: 'a long random string',
    secret: true,
    optional: true,
    rule: `must be at least ${SESSION_SECRET_MIN_LENGTH} characters`,
    generate: () => randomBytes(32).toString('base64url'),
    validator: () => secret({default: undefined}),
  },
  {
    key: 'MONITOR_INTERVAL_MS',
    description: 'How often the dashboard samples every service, the API and the disk',
    example: '1000',
    default: '1000',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'MONITOR_FINE_RETENTION_MS',
    description:
      'How long the dashboard keeps its 1-second points (its 1-minute averages: MONITOR_COARSE_RETENTION_MS)',
    example: '3600000',
    default: '3600000',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'MONITOR_COARSE_RETENTION_MS',
    description: 'How long the dashboard keeps its 1-minute averages',
    example: '604800000',
    default: '604800000',
    secret: false,
    rule: 'must be a whole number of at least 1',
    validator: () => positiveInteger(),
  },
  {
    key: 'ALERT_WEBHOOK_URL',
    description: "Webhook that receives alerts as Alertmanager's JSON",
    example: 'http://127.0.0.1:9093/hooks/storybook',
    secret: true,
    optional: true,
    rule: 'must be an http(s) URL',
    validator: () => httpUrl({default: undefined}),
  },
  {
    key: 'ALERT_SLACK_WEBHOOK_URL',
    description: 'Slack-compatible incoming webhook that receives alerts',
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    secret: true,
    optional: true,
    rule: 'must be an http(s) URL',
    validator: () => httpUrl({default: undefined}),
  },
  {
    key: 'ALERT_SMTP_URL',
    description: 'Mail server for alert e-mails (with ALERT_EMAIL_TO)',
    example: 'smtp://user:password@127.0.0.1:587',
    secret: true,
    optional: true,
    rule: 'must be an smtp:// or smtps:// URL',
    validator: () => smtpUrl({default: undefined}),
  },
  {
    key: 'ALERT_EMAIL_TO',
    description: 'Who receives alert e-mails (comma-separated addresses)',
    example: 'dev-team@example.com',
    secret: false,
    optional: true,
    rule: 'one or more e-mail addresses, comma-separated',
    validator: () => str({default: undefined}),
  },
  {
    key: 'ALERT_EMAIL_FROM',
    description: 'Sender of alert e-mails',
    example: 'storybook@localhost',
    default: 'storybook@localhost',
    secret: false,
    rule: 'an e-mail address',
    validator: () => str(),
  },
]

export function findVariable(key: string): VariableSpec | undefined {
  return VARIABLES.find((spec) => spec.key === key)
}

/** Whether a variable must have a value, given the other raw values (for `requiredWhen`). */
export function isRequired(spec: VariableSpec, rawValues: Readonly<Record<string, string | undefined>>): boolean {
  if (spec.optional || spec.environmentOnly || spec.default !== undefined) return false
  return spec.requiredWhen ? spec.requiredWhen(rawValues) : true
}

/** The default as it reads in docs and tables. */
export function describeDefault(spec: VariableSpec): string {
  if (spec.defaultLabel) return spec.defaultLabel
  if (typeof spec.default === 'string') return spec.default
  return spec.generate ? 'generated by env setup' : ''
}
