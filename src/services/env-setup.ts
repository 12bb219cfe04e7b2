// `env setup`: creates or updates the .env file from the schema. Keeps every existing line,
// validates every value before anything is written, and writes once, atomically, with mode 0600.
import {chmod, lstat, readlink, stat} from 'node:fs/promises'
import {dirname, relative, resolve} from 'node:path'
import {
  appendEnvComment,
  commentOutEnvValue,
  formatEnvValue,
  hasCommentedEnvValue,
  parseEnvDocument,
  replaceEnvValue,
  serializeEnvDocument,
  setEnvValue,
  type EnvDocument,
} from '../core/config/env-file.js'
import {maskValue} from '../core/config/mask.js'
import {writeFileAtomic} from '../core/fs/atomic-write.js'
import {nonEmpty, validateVariable, type EnvironmentReport} from '../core/config/load.js'
import {describeDefault, findVariable, isRequired, VARIABLES, type VariableSpec} from '../core/config/schema.js'
import {StorybookError} from '../core/errors.js'
import {closestMatch} from '../core/text/closest.js'
import {shellQuote} from '../core/text/shell-quote.js'
import {ensureGitignored, type GitignoreUpdate} from '../core/project/gitignore.js'

export const ENV_FILE_MODE = 0o600

export interface ValueQuestion {
  spec: VariableSpec
  /** Prefilled answer. */
  suggestion: string | undefined
  /** The current value broke the rule (the value itself is not passed on). */
  replacingInvalid: boolean
  /** Returns true, or the message to show for a bad answer. */
  validate: (answer: string) => true | string
}

/** Asks a person for values; absent when nobody can answer (no TTY, --yes, --json). */
export interface Prompter {
  askValue(question: ValueQuestion): Promise<string>
  /** Hidden input; resolves to undefined when the person asks for a generated secret. */
  askSecret(question: ValueQuestion): Promise<string | undefined>
}

export type EnvChangeAction = 'added' | 'updated' | 'generated' | 'replaced-invalid'

export interface EnvChange {
  key: string
  action: EnvChangeAction
}

export interface EnvSetupResult {
  envFile: string
  created: boolean
  /** Keys that changed, never their values. */
  changes: EnvChange[]
  /** The file mode was wider than 0600 and was narrowed. */
  permissionsFixed: boolean
  /** .env is a link to a file that did not exist: the file written, where the link points (the link is kept). */
  linkTarget: string | undefined
  gitignore: GitignoreUpdate | null
  /** Still-open problems: values set in the process environment that break a rule, and keys nobody could fill. */
  warnings: string[]
}

export interface EnvSetupOptions {
  report: EnvironmentReport
  /** `--set KEY=VALUE`, in order. */
  assignments: string[]
  prompter: Prompter | undefined
}

const NEW_FILE_HEADER = [
  '# Storybook configuration, read by the storybook CLI and the API.',
  '# Created by `storybook env setup`; check it with `storybook env show`.',
  '# The process environment wins over this file. It holds secrets: keep it out of git.',
  '',
]

export async function setupEnvironment(options: EnvSetupOptions): Promise<EnvSetupResult> {
  const {report, prompter} = options
  const explicit = parseAssignments(options.assignments)
  const linkTarget = await danglingLinkTarget(report.envFile)
  const created = !report.envFileExists
  let document: EnvDocument = created ? parseEnvDocument(NEW_FILE_HEADER.join('\n') + '\n') : report.envDocument
  const changes: EnvChange[] = []
  const warnings: string[] = []
  const fromEnvironment = new Set(
    report.variables.filter((variable) => variable.source === 'environment').map((variable) => variable.spec.key),
  )

  for (const [key, value] of explicit) {
    if (fromEnvironment.has(key)) {
      warnings.push(
        `${key} is also set in the process environment, which wins over .env; unset it to use the new value`,
      )
    }
    if (document.values[key] === value) continue
    const spec = findVariable(key) as VariableSpec
    const old = nonEmpty(document.values[key])
    if (old !== undefined && !validateVariable(spec, old).valid) {
      // README: an invalid value that is replaced stays in the file as a comment.
      changes.push({key, action: 'replaced-invalid'})
      document = replaceEnvValue(document, key, value, invalidNote(spec))
      continue
    }
    changes.push({key, action: key in document.values ? 'updated' : 'added'})
    document = setEnvValue(document, key, value, spec.description)
  }

  for (const spec of VARIABLES) {
    if (spec.environmentOnly || explicit.has(spec.key)) continue
    const isValid = (value: string | undefined) => value !== undefined && validateVariable(spec, value).valid
    let current = nonEmpty(document.values[spec.key])
    let replacedInvalid = false
    if (current !== undefined && !isValid(current)) {
      if (prompter) {
        const ask = spec.secret || spec.generate ? prompter.askSecret : prompter.askValue
        const answer = await ask.call(prompter, question(spec, true))
        document = replaceEnvValue(document, spec.key, answer ?? (spec.generate?.() as string), invalidNote(spec))
        changes.push({key: spec.key, action: 'replaced-invalid'})
        continue
      }
      // Unattended: keep each invalid line as a comment (nothing the person wrote is lost). An
      // earlier assignment of the same key then takes effect again, if there is one.
      while (current !== undefined && !isValid(current)) {
        document = commentOutEnvValue(document, spec.key, invalidNote(spec))
        current = nonEmpty(document.values[spec.key])
      }
      replacedInvalid = true
    }
    if (current !== undefined) {
      if (replacedInvalid) changes.push({key: spec.key, action: 'replaced-invalid'})
      continue
    }

    if (spec.generate) {
      const answer = prompter ? await prompter.askSecret(question(spec, false)) : undefined
      document = setEnvValue(document, spec.key, answer ?? spec.generate(), spec.description)
      changes.push({
        key: spec.key,
        action: replacedInvalid ? 'replaced-invalid' : answer === undefined ? 'generated' : 'added',
      })
    } else if (isRequired(spec, {...document.values})) {
      const answer = prompter ? await prompter.askValue(question(spec, false)) : undefined
      if (answer === undefined) {
        warnings.push(`${spec.key} is required (${spec.rule}); set it with: storybook env setup --set ${spec.key}=…`)
        if (replacedInvalid) changes.push({key: spec.key, action: 'replaced-invalid'})
      } else {
        document = setEnvValue(document, spec.key, answer, spec.description)
        changes.push({key: spec.key, action: replacedInvalid ? 'replaced-invalid' : 'added'})
      }
    } else {
      if (replacedInvalid) changes.push({key: spec.key, action: 'replaced-invalid'})
      // A new file documents each default as a comment: the default stays in force (and follows
      // future releases) while the file shows what can be set.
      if (created && !hasCommentedEnvValue(document, spec.key)) {
        const fixedDefault = typeof spec.default === 'string' ? spec.default : undefined
        const label = describeDefault(spec)
        document = appendEnvComment(document, [
          `# ${spec.description}${fixedDefault === undefined && label ? ` (default: ${label})` : ''}`,
          `# ${spec.key}=${formatEnvValue(fixedDefault ?? spec.example)}`,
        ])
      }
    }
  }

  for (const variable of report.variables) {
    if (variable.source === 'environment' && !variable.valid) {
      warnings.push(
        `${variable.spec.key} is set in the process environment and ${variable.spec.rule}; ` +
          'the environment wins over .env, so fix or unset it in your shell',
      )
    }
  }

  let permissionsFixed = false
  if (created || changes.length > 0) {
    // A link whose file is missing: the file is created where it points, and the link stays.
    await writeFileAtomic(linkTarget ?? report.envFile, serializeEnvDocument(document), ENV_FILE_MODE)
  } else if (((await stat(report.envFile)).mode & 0o077) !== 0) {
    await chmod(report.envFile, ENV_FILE_MODE)
    permissionsFixed = true
  }
  const gitignore = await ensureGitignored(report.root, report.envFile)
  // The file a link points to holds the secrets too.
  const targetIgnored = linkTarget ? await ensureGitignored(report.root, linkTarget) : null
  return {
    envFile: report.envFile,
    linkTarget,
    created,
    changes,
    permissionsFixed,
    gitignore: targetIgnored?.added ? targetIgnored : gitignore,
    warnings,
  }
}

const invalidNote = (spec: VariableSpec) => `storybook env setup: the value below broke the rule "${spec.rule}"`

/**
 * Where a link at the .env path points when that file does not exist (undefined otherwise). The
 * atomic write follows a link only to a file that exists; to a missing one it would replace the link.
 */
async function danglingLinkTarget(envFile: string): Promise<string | undefined> {
  const link = await lstat(envFile).catch(() => undefined)
  if (!link) return undefined
  if (link.isDirectory()) {
    throw new StorybookError('FILE_SYSTEM', `${envFile} is a directory, not a file.`, {
      reason: 'storybook keeps its settings in a file at that path.',
      next: [`mv ${shellQuote(envFile)} ${shellQuote(`${envFile}.dir-backup`)} && storybook env setup --yes`],
    })
  }
  if (!link.isSymbolicLink() || (await stat(envFile).catch(() => undefined))) return undefined
  return resolve(dirname(envFile), await readlink(envFile))
}

function question(spec: VariableSpec, replacingInvalid: boolean): ValueQuestion {
  return {
    spec,
    suggestion: typeof spec.default === 'string' ? spec.default : undefined,
    replacingInvalid,
    validate: (answer) => validateVariable(spec, answer).valid || spec.rule,
  }
}

/** Parses and validates every `--set KEY=VALUE`; all problems are reported together, without secret values. */
export function parseAssignments(assignments: string[]): Map<string, string> {
  const values = new Map<string, string>()
  const problems: string[] = []
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=')
    if (equals <= 0) {
      problems.push(`"${assignment}" is not KEY=VALUE`)
      continue
    }
    const key = assignment.slice(0, equals).trim()
    const value = assignment.slice(equals + 1)
    const spec = findVariable(key)
    if (!spec) {
      const suggestion = closestMatch(
        key.toUpperCase(),
        VARIABLES.map((variable) => variable.key),
      )
      problems.push(`${key} is not a known variable${suggestion ? `; did you mean ${suggestion}?` : ''}`)
    } else if (spec.environmentOnly) {
      problems.push(`${key} is read from the process environment only and cannot be set in .env`)
    } else if (!validateVariable(spec, value).valid) {
      problems.push(`${key} ${spec.rule}${spec.secret ? '' : ` (got "${maskValue(value, false)}")`}`)
    } else {
      values.set(key, value)
    }
  }
  if (problems.length > 0) {
    const list = problems.map((problem) => `  ${problem}`).join('\n')
    throw new StorybookError(
      'VALIDATION_FAILED',
      `Nothing was written; --set has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list}`,
      {
        next: ['storybook env show', 'storybook env setup --set KEY=VALUE'],
        details: {problems},
      },
    )
  }
  return values
}

/** A one-line summary of what changed, for people: keys only, never values. */
export function describeEnvSetup(result: EnvSetupResult, root: string): string[] {
  const file = relative(root, result.envFile) || result.envFile
  const lines: string[] = []
  if (result.changes.length === 0 && !result.created) {
    lines.push(`${file} is up to date; nothing changed.`)
  } else {
    const through = result.linkTarget ? ` through the link ${file} (the link is kept)` : ''
    const written = result.linkTarget ? relative(root, result.linkTarget) || result.linkTarget : file
    lines.push(`${result.created ? 'Created' : 'Updated'} ${written}${through} (mode 0600).`)
    const byAction = new Map<EnvChangeAction, string[]>()
    for (const change of result.changes)
      byAction.set(change.action, [...(byAction.get(change.action) ?? []), change.key])
    const labels: Record<EnvChangeAction, string> = {
      added: 'Added',
      updated: 'Updated',
      generated: 'Generated',
      'replaced-invalid': 'Replaced invalid (old line kept as a comment)',
    }
    for (const [action, keys] of byAction) lines.push(`  ${labels[action]}: ${keys.join(', ')}`)
  }
  if (result.created) lines.push('  Defaults are listed in it as comments: uncomment a line to change a setting.')
  if (result.permissionsFixed) lines.push(`Narrowed the permissions of ${file} to 0600.`)
  if (result.gitignore?.added) lines.push(`Added ${result.gitignore.added} to .gitignore.`)
  return lines
}
