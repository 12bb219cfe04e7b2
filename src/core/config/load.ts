// Loads the configuration once: process environment, then the .env file, then defaults,
// validated against the schema. Commands receive the result; nothing else reads process.env.
import {statSync} from 'node:fs'
import {isAbsolute, resolve} from 'node:path'
import {cleanEnv} from 'envalid'
import {ConfigInvalidError, NotFoundError, StorybookError, type ConfigProblem} from '../errors.js'
import {envDocumentWarnings, parseEnvDocument, readEnvFile, type EnvDocument, type EnvFileWarning} from './env-file.js'
import {findProjectRoot, statePaths, type StatePaths} from './paths.js'
import {isRequired, VARIABLES, type ImageProvider, type LogLevel, type NodeEnv, type VariableSpec} from './schema.js'

export type Environment = Readonly<Record<string, string | undefined>>
export type ValueSource = 'environment' | '.env' | 'default' | 'missing' | 'flag'

export interface ResolvedVariable {
  spec: VariableSpec
  /** The raw value in effect, or undefined when unset. */
  raw: string | undefined
  source: ValueSource
  valid: boolean
  /** The broken rule (never the value) when invalid. */
  error: string | undefined
  /** The validated value, typed by the validator. */
  parsed: unknown
}

export interface EnvironmentReport {
  root: string
  envFile: string
  envFileExists: boolean
  /** The .env file as read, for editors that must keep its lines. */
  envDocument: EnvDocument
  envFileWarnings: EnvFileWarning[]
  /** Why the .env file could not be read, when the caller asked to go on without it (the doctor). */
  envFileProblem?: string
  stateDir: string
  variables: ResolvedVariable[]
}

export interface LoadEnvironmentOptions {
  env: Environment
  cwd: string
  /** `--env-file`, which wins over STORYBOOK_ENV_FILE. */
  envFile?: string | undefined
  /** A .env path that was named explicitly must exist, unless the caller is about to create it. */
  allowMissingEnvFile?: boolean
  /** Go on without a .env file that cannot be read (a directory, a pipe, no permission), saying why. */
  tolerateUnreadableEnvFile?: boolean
}

export async function loadEnvironment(options: LoadEnvironmentOptions): Promise<EnvironmentReport> {
  const {env, cwd} = options
  const root = findProjectRoot(cwd, nonEmpty(env.STORYBOOK_ROOT))
  // A flag is typed here and now, so it is relative to the working directory; an exported
  // variable must name the same file from every folder, so it is relative to the project root.
  const named = nonEmpty(options.envFile) ?? nonEmpty(env.STORYBOOK_ENV_FILE)
  const envFile = nonEmpty(options.envFile)
    ? resolve(cwd, options.envFile as string)
    : resolve(root, nonEmpty(env.STORYBOOK_ENV_FILE) ?? '.env')
  let envFileProblem: string | undefined
  const {exists, document} = await readEnvFile(envFile).catch((error: unknown) => {
    if (!options.tolerateUnreadableEnvFile || !(error instanceof StorybookError)) throw error
    envFileProblem = `${error.message}${error.reason ? ` ${error.reason}` : ''}`
    return {exists: true, document: parseEnvDocument('')}
  })
  if (named && !exists && !options.allowMissingEnvFile) {
    throw new NotFoundError(`The env file ${envFile} does not exist.`, {
      reason: options.envFile ? 'It was named by --env-file.' : 'It was named by STORYBOOK_ENV_FILE.',
      next: [`STORYBOOK_ENV_FILE=${named} storybook env setup`],
    })
  }
  return {
    root,
    envFile,
    envFileExists: exists,
    envDocument: document,
    envFileWarnings: envDocumentWarnings(document),
    ...(envFileProblem === undefined ? {} : {envFileProblem}),
    ...resolveVariables({
      env,
      fileValues: document.values,
      root,
      envFile,
      envFileFromFlag: Boolean(nonEmpty(options.envFile)),
    }),
  }
}

/** Resolves and validates every variable: pure, so editors can re-check values before writing. */
export function resolveVariables(input: {
  env: Environment
  fileValues: Readonly<Record<string, string>>
  root: string
  envFile: string
  envFileFromFlag?: boolean
}): {stateDir: string; variables: ResolvedVariable[]} {
  const {env, fileValues, root} = input
  const pick = (spec: VariableSpec): {raw: string | undefined; source: ValueSource} => {
    const fromEnv = nonEmpty(env[spec.key])
    if (fromEnv !== undefined) return {raw: fromEnv, source: 'environment'}
    if (spec.environmentOnly) return {raw: undefined, source: 'default'}
    const fromFile = nonEmpty(fileValues[spec.key])
    if (fromFile !== undefined) return {raw: fromFile, source: '.env'}
    return {raw: undefined, source: 'missing'}
  }

  const stateDirRaw = pick(VARIABLES.find((spec) => spec.key === 'STORYBOOK_STATE_DIR') as VariableSpec).raw
  const stateDir = resolveStateDir(root, stateDirRaw ?? 'var', env.HOME)
  const picked = VARIABLES.map((spec) => ({spec, ...pick(spec)}))
  const rawValues = Object.fromEntries(picked.map(({spec, raw}) => [spec.key, raw ?? defaultFor(spec, stateDir)]))

  const variables = picked.map(({spec, raw, source}): ResolvedVariable => {
    if (spec.environmentOnly) {
      const effective = spec.key === 'STORYBOOK_ROOT' ? root : input.envFile
      const effectiveSource: ValueSource = spec.key === 'STORYBOOK_ENV_FILE' && input.envFileFromFlag ? 'flag' : source
      return {spec, raw: raw ?? effective, source: effectiveSource, valid: true, error: undefined, parsed: effective}
    }
    if (spec.key === 'STORYBOOK_STATE_DIR' && isExistingFile(stateDir)) {
      return {
        spec,
        raw: raw ?? 'var',
        source: raw === undefined ? 'default' : source,
        valid: false,
        error: spec.rule,
        parsed: undefined,
      }
    }
    const fallback = defaultFor(spec, stateDir)
    const value = raw ?? fallback
    const effectiveSource: ValueSource = raw === undefined && fallback !== undefined ? 'default' : source
    if (value === undefined) {
      const required = isRequired(spec, rawValues)
      return {
        spec,
        raw: undefined,
        source: 'missing',
        valid: !required,
        error: required ? `required; ${spec.rule}` : undefined,
        parsed: undefined,
      }
    }
    return {spec, raw: value, source: effectiveSource, ...validateVariable(spec, value)}
  })
  return {stateDir, variables}
}

export function validateVariable(
  spec: VariableSpec,
  value: string,
): {valid: boolean; error: string | undefined; parsed: unknown} {
  let failed = false
  const cleaned = cleanEnv(
    {[spec.key]: value},
    {[spec.key]: spec.validator()},
    {
      reporter: ({errors}) => {
        failed = Object.keys(errors).length > 0
      },
    },
  ) as Record<string, unknown>
  return failed
    ? {valid: false, error: spec.rule, parsed: undefined}
    : {valid: true, error: undefined, parsed: cleaned[spec.key]}
}

function defaultFor(spec: VariableSpec, stateDir: string): string | undefined {
  return typeof spec.default === 'function' ? spec.default({stateDir}) : spec.default
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** The state directory, absolute: relative paths from the project root, `~/` from the home folder. */
function resolveStateDir(root: string, raw: string, home: string | undefined): string {
  if ((raw === '~' || raw.startsWith('~/')) && home) return resolve(home, raw.slice(2))
  return resolve(root, raw)
}

function isExistingFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory()
  } catch {
    return false // missing is fine: it is created on first use
  }
}

export type DatabaseConfig = {dialect: 'sqlite'; url: string; file: string} | {dialect: 'postgres'; url: string}

/** The validated, typed configuration that commands and the server receive. */
export interface AppConfig {
  root: string
  envFile: string
  nodeEnv: NodeEnv
  logLevel: LogLevel
  state: StatePaths
  api: {host: string; port: number}
  web: {port: number}
  dashboard: {
    port: number
    host: string
    token: string | undefined
    intervalMs: number
    retention: {fineMs: number; coarseMs: number}
  }
  alerts: {
    webhookUrl: string | undefined
    slackWebhookUrl: string | undefined
    smtpUrl: string | undefined
    emailTo: string | undefined
    emailFrom: string
  }
  database: DatabaseConfig
  sessionSecret: string
  image: {provider: ImageProvider; apiUrl: string | undefined; apiKey: string | undefined}
  rateLimit: {max: number; authMax: number; windowMs: number}
  shutdownGraceMs: number
  healthCheck: {intervalMs: number; retries: number}
  logMaxBytes: number
}

export function configProblems(report: EnvironmentReport): ConfigProblem[] {
  return report.variables
    .filter((variable) => !variable.valid)
    .map((variable) => ({
      key: variable.spec.key,
      rule: variable.spec.rule,
      source: variable.source,
      missing: variable.raw === undefined,
    }))
}

/** The typed configuration, or a ConfigInvalidError listing every problem at once. */
export function toAppConfig(report: EnvironmentReport): AppConfig {
  const problems = configProblems(report)
  if (problems.length > 0) throw new ConfigInvalidError(problems, report.envFile)
  const value = (key: string): unknown => report.variables.find((variable) => variable.spec.key === key)?.parsed
  const text = (key: string) => value(key) as string
  const optionalText = (key: string) => value(key) as string | undefined
  const number = (key: string) => value(key) as number
  const databaseUrl = text('DATABASE_URL')
  return {
    root: report.root,
    envFile: report.envFile,
    nodeEnv: text('NODE_ENV') as NodeEnv,
    logLevel: text('LOG_LEVEL') as LogLevel,
    state: statePaths(report.stateDir),
    api: {host: text('API_HOST'), port: number('API_PORT')},
    web: {port: number('WEB_PORT')},
    dashboard: {
      port: number('DASHBOARD_PORT'),
      host: text('DASHBOARD_HOST'),
      token: optionalText('DASHBOARD_TOKEN'),
      intervalMs: number('MONITOR_INTERVAL_MS'),
      retention: {fineMs: number('MONITOR_FINE_RETENTION_MS'), coarseMs: number('MONITOR_COARSE_RETENTION_MS')},
    },
    alerts: {
      webhookUrl: optionalText('ALERT_WEBHOOK_URL'),
      slackWebhookUrl: optionalText('ALERT_SLACK_WEBHOOK_URL'),
      smtpUrl: optionalText('ALERT_SMTP_URL'),
      emailTo: optionalText('ALERT_EMAIL_TO'),
      emailFrom: text('ALERT_EMAIL_FROM'),
    },
    database: databaseConfig(databaseUrl, report.root),
    sessionSecret: text('SESSION_SECRET'),
    image: {
      provider: text('IMAGE_PROVIDER') as ImageProvider,
      apiUrl: optionalText('IMAGE_API_URL'),
      apiKey: optionalText('IMAGE_API_KEY'),
    },
    rateLimit: {
      max: number('RATE_LIMIT_MAX'),
      authMax: number('RATE_LIMIT_AUTH_MAX'),
      windowMs: number('RATE_LIMIT_WINDOW_MS'),
    },
    shutdownGraceMs: number('SHUTDOWN_GRACE_MS'),
    healthCheck: {intervalMs: number('HEALTHCHECK_INTERVAL_MS'), retries: number('HEALTHCHECK_RETRIES')},
    logMaxBytes: number('LOG_MAX_BYTES'),
  }
}

function databaseConfig(url: string, root: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    return {dialect: 'sqlite', url, file: isAbsolute(path) ? path : resolve(root, path)}
  }
  return {dialect: 'postgres', url}
}

export interface LenientConfig {
  /** The configuration with every invalid or missing value replaced by its default. */
  config: AppConfig
  /** The variables that were invalid or missing: whatever depends on them was not really configured. */
  invalid: string[]
}

/**
 * A configuration even when some values are invalid, for the doctor: it must still look at the
 * database when only API_PORT is wrong. Each invalid value is replaced by its default (or an empty
 * string when there is none), and the replaced keys are listed so that callers can tell.
 */
export function toLenientConfig(report: EnvironmentReport): LenientConfig {
  const invalid: string[] = []
  const variables = report.variables.map((variable): ResolvedVariable => {
    if (variable.valid) return variable
    invalid.push(variable.spec.key)
    const fallback = defaultFor(variable.spec, report.stateDir)
    const parsed = fallback === undefined ? '' : (validateVariable(variable.spec, fallback).parsed ?? '')
    return {...variable, valid: true, error: undefined, parsed}
  })
  return {config: toAppConfig({...report, variables}), invalid}
}
