// `env show`: every configuration variable with its effective value (secrets masked), where it
// came from, and whether it is valid.
import type {EnvironmentReport, ValueSource} from '../core/config/load.js'
import {maskValue} from '../core/config/mask.js'
import {describeDefault} from '../core/config/schema.js'

export interface EnvShowVariable {
  key: string
  /** The effective value; masked unless revealed; null when unset. */
  value: string | null
  source: ValueSource
  secret: boolean
  valid: boolean
  /** The broken rule when invalid, else null. */
  error: string | null
  description: string
  default: string | null
}

export interface EnvShowResult {
  root: string
  envFile: string
  envFileExists: boolean
  variables: EnvShowVariable[]
  /** Problems with the .env file itself (unparseable lines), by line number. */
  warnings: string[]
  summary: {total: number; invalid: number}
}

export function showEnvironment(report: EnvironmentReport, options: {reveal: boolean}): EnvShowResult {
  const variables = report.variables.map((variable): EnvShowVariable => {
    const {spec} = variable
    return {
      key: spec.key,
      value: variable.raw === undefined ? null : options.reveal ? variable.raw : maskValue(variable.raw, spec.secret),
      source: variable.source,
      secret: spec.secret,
      valid: variable.valid,
      error: variable.error ?? null,
      description: spec.description,
      default: describeDefault(spec) || null,
    }
  })
  return {
    root: report.root,
    envFile: report.envFile,
    envFileExists: report.envFileExists,
    variables,
    warnings: report.envFileWarnings.map((warning) => warning.message),
    summary: {total: variables.length, invalid: variables.filter((variable) => !variable.valid).length},
  }
}
