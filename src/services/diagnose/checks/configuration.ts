// Configuration: the .env file exists, parses, passes the schema (naming variables, never their
// values), is kept out of git and is not readable by other users.
import {chmod, lstat, readFile, readlink, realpath, stat} from 'node:fs/promises'
import {dirname, isAbsolute, resolve} from 'node:path'
import {ensureGitignored, gitignorePatterns, isIgnoredBy} from '../../../core/project/gitignore.js'
import type {VariableSpec} from '../../../core/config/schema.js'
import type {Check, CheckFix, CheckOutcome} from '../check.js'
import type {DiagnoseContext} from '../context.js'
import {shellQuote} from '../../../core/text/shell-quote.js'
import {commandPath, displayPath, projectRelative} from './paths.js'

/** What stands at the .env path: the shapes env setup cannot simply write, or `usable` (a file, or nothing yet). */
type EnvFileShape =
  | {kind: 'usable'}
  | {kind: 'directory'}
  | {kind: 'unreadable'}
  | {kind: 'dangling-link'; target: string; resolved: string}

async function envFileShape(envFile: string, problem: string | undefined): Promise<EnvFileShape> {
  const found = await stat(envFile).catch(() => undefined)
  if (found?.isDirectory()) return {kind: 'directory'}
  if (found) return problem === undefined ? {kind: 'usable'} : {kind: 'unreadable'}
  const link = await lstat(envFile).catch(() => undefined)
  if (!link?.isSymbolicLink()) return {kind: 'usable'}
  const target = await readlink(envFile)
  return {kind: 'dangling-link', target, resolved: resolve(dirname(envFile), target)}
}

/** `mv .env .env.dir-backup && storybook env setup --yes`: a directory moved aside, nothing deleted. */
function directoryFix(context: DiagnoseContext): CheckFix {
  const here = commandPath(context.cwd, context.report.envFile)
  return {
    command: `mv ${here} ${commandPath(context.cwd, `${context.report.envFile}.dir-backup`)} && storybook env setup --yes`,
  }
}

/**
 * `env setup --yes`: creates .env, or adds the keys it lacks, with defaults and generated secrets.
 * Safe because it only adds; a value someone wrote is never changed by this fix. Not applied where
 * .env is a directory (it cannot be written) or a link to a missing file: that file may be lost or
 * on a drive not mounted, and a new SESSION_SECRET would log everyone out.
 */
function envSetupFix(context: DiagnoseContext, shape: EnvFileShape): CheckFix {
  const {report} = context
  if (shape.kind === 'directory') return directoryFix(context)
  // Its values are unknown, not missing: writing a new file would replace the one that holds them.
  if (shape.kind === 'unreadable') return {command: `ls -l ${commandPath(context.cwd, report.envFile)}`}
  if (shape.kind === 'dangling-link')
    return {
      command: `storybook env setup --yes   # creates ${commandPath(context.cwd, shape.resolved)}, keeps the link`,
    }
  return {
    command: 'storybook env setup --yes',
    apply: async () => {
      const {setupEnvironment} = await import('../../env-setup.js')
      const result = await setupEnvironment({report, assignments: [], prompter: undefined})
      const added = result.changes.map((change) => change.key)
      const addedList = added.length > 0 ? ` (${added.join(', ')})` : ''
      return `${result.created ? 'created' : 'updated'} ${displayPath(report.root, result.envFile)}${addedList}`
    },
  }
}

export const configurationChecks: Check[] = [
  {
    id: 'config.env-file',
    title: '.env file',
    category: 'configuration',
    budgetMs: 2_000,
    run: async (context) => {
      const {report} = context
      const name = displayPath(report.root, report.envFile)
      const here = commandPath(context.cwd, report.envFile)
      const shape = await envFileShape(report.envFile, report.envFileProblem)
      if (shape.kind === 'directory') {
        return {
          status: 'fail',
          message: `${name} is a directory, not a file`,
          details: ['storybook reads its settings from a file there; move the directory aside to create it.'],
          fix: directoryFix(context),
        }
      }
      if (report.envFileProblem) {
        return {
          status: 'fail',
          message: `${name} cannot be read: ${report.envFileProblem}`,
          fix: {command: `ls -l ${here}`},
        }
      }
      if (shape.kind === 'dangling-link') {
        return {
          status: 'fail',
          message: `${name} is a link to ${shape.target}, which does not exist`,
          details: [
            `If ${shape.target} was moved or is on a drive that is not mounted, restore it: ` +
              'a new file means a new SESSION_SECRET, which logs everyone out.',
            'To start a new one where the link points (the link stays): storybook env setup --yes',
          ],
          fix: envSetupFix(context, shape),
        }
      }
      if (!report.envFileExists) {
        const create = envSetupFix(context, shape)
        // Every value may come from the environment (CI); without .env and without them it cannot start.
        return context.invalid.size === 0
          ? {
              status: 'warn',
              message: `${name} does not exist; every value comes from the environment or a default`,
              fix: create,
            }
          : {
              status: 'fail',
              message: `${name} does not exist`,
              details: ['The API needs SESSION_SECRET, which has no default.'],
              fix: create,
            }
      }
      const set = Object.keys(report.envDocument.values).length
      const unparsed = report.envFileWarnings.length
      if (unparsed > 0) {
        return {
          status: 'warn',
          message: `${name} has ${unparsed} line${unparsed === 1 ? '' : 's'} that do not parse (ignored)`,
          details: report.envFileWarnings.map((warning) => warning.message),
          fix: {command: `\${EDITOR:-vi} ${here}`},
        }
      }
      return {status: 'pass', message: `${name} exists and parses (${set} variable${set === 1 ? '' : 's'} set)`}
    },
  },
  {
    id: 'config.valid',
    title: 'configuration values',
    category: 'configuration',
    budgetMs: 1_000,
    run: async (context) => {
      const {report} = context
      const invalid = report.variables.filter((variable) => !variable.valid)
      if (invalid.length === 0)
        return {status: 'pass', message: `all ${report.variables.length} variables pass the schema`}
      const fromEnvironment = invalid.filter((variable) => variable.source === 'environment')
      const inFile = invalid.filter((variable) => variable.source !== 'environment')
      const describe = (variable: (typeof invalid)[number]) =>
        variable.raw === undefined
          ? `${variable.spec.key} is missing: ${variable.spec.rule}`
          : `${variable.spec.key} is invalid: ${variable.spec.rule} (from ${variable.source})`
      // Missing values that env setup can generate (SESSION_SECRET) are safe to fill; a wrong value is yours to choose.
      const onlyGeneratable = invalid.every((variable) => variable.raw === undefined && variable.spec.generate)
      const unread = report.envFileProblem
        ? [`${displayPath(report.root, report.envFile)} cannot be read, so the values it holds are not known here.`]
        : []
      const setFlags = inFile.map((variable) => `--set ${variable.spec.key}=${suggestedValue(variable.spec, report)}`)
      const setCommand = `storybook env setup ${setFlags.join(' ')}`
      const commands = [
        fromEnvironment.length > 0 ? `unset ${fromEnvironment.map((variable) => variable.spec.key).join(' ')}` : '',
        inFile.length === 0
          ? ''
          : inFile.every((variable) => variable.spec.default !== undefined || variable.spec.generate)
            ? setCommand
            : `storybook env setup   # asks for ${inFile.map((variable) => variable.spec.key).join(', ')}`,
      ]
      const fix: CheckFix = onlyGeneratable
        ? envSetupFix(context, await envFileShape(report.envFile, report.envFileProblem))
        : {command: commands.filter(Boolean).join(' && ')}
      return {
        status: 'fail',
        message:
          invalid.length === 1
            ? describe(invalid[0] as (typeof invalid)[number])
            : `${invalid.length} variables are invalid: ${invalid.map((variable) => variable.spec.key).join(', ')}`,
        details: [
          ...unread,
          ...(invalid.length === 1 ? [] : invalid.map(describe)),
          ...(fromEnvironment.length > 0
            ? [
                'Set in the process environment, which wins over .env (unset, the .env value or the default applies): ' +
                  `${fromEnvironment.map((variable) => variable.spec.key).join(', ')}.`,
              ]
            : []),
          ...(onlyGeneratable || inFile.length === 0
            ? []
            : [
                commands.includes(setCommand)
                  ? 'Only you can choose these values, so --fix leaves them alone: ' +
                    'the fix sets the defaults; storybook env setup asks instead.'
                  : `Only you can choose these values, so --fix leaves them alone. Without prompts: ${setCommand}`,
              ]),
        ],
        fix,
      }
    },
  },
  {
    id: 'config.env-ignored',
    title: '.env kept out of git',
    category: 'configuration',
    budgetMs: 5_000,
    after: ['config.env-file'],
    applies: ({report}) => readable(report) && projectRelative(report.root, report.envFile) !== undefined,
    run: async (context) => {
      const {report} = context
      // A link is safe only if the file it points to is kept out of git too.
      const target = await realpath(report.envFile)
      const paths = [
        ...new Set(
          [report.envFile, target]
            .map((file) => projectRelative(report.root, file))
            .filter((path): path is string => path !== undefined),
        ),
      ]
      const git = await context.git()
      const tracked = await git.tracked(paths)
      if (tracked.length > 0) {
        const files = tracked.map((path) => commandPath(context.cwd, `${report.root}/${path}`)).join(' ')
        return {
          status: 'fail',
          message: `${tracked.join(', ')} ${tracked.length === 1 ? 'is' : 'are'} tracked by git: the secrets are in the history`,
          details: ['Untrack it, then make a new SESSION_SECRET (the committed one must count as public).'],
          fix: {
            command: `git rm --cached ${files} && storybook env setup --set SESSION_SECRET=$(openssl rand -base64 32)`,
          },
        }
      }
      return ignoreOutcome(context, paths, `${paths.join(' and ')} ${paths.length === 1 ? 'is' : 'are'} ignored by git`)
    },
  },
  {
    id: 'config.env-permissions',
    title: '.env permissions',
    category: 'configuration',
    budgetMs: 1_000,
    after: ['config.env-file'],
    applies: ({report}) => readable(report) && process.platform !== 'win32',
    run: async (context) => {
      const {report} = context
      const name = displayPath(report.root, report.envFile)
      const mode = (await stat(report.envFile)).mode & 0o777
      const octal = mode.toString(8).padStart(3, '0')
      if ((mode & 0o077) === 0) return {status: 'pass', message: `${name} is readable by you only (mode ${octal})`}
      const fix = {
        command: `chmod 600 ${commandPath(context.cwd, report.envFile)}`,
        apply: async () => (await chmod(report.envFile, 0o600), `${name} is now mode 600`),
      }
      if (mode & 0o004)
        return {
          status: 'fail',
          message: `${name} is readable by every user of this machine (mode ${octal}); it holds secrets`,
          fix,
        }
      return {status: 'warn', message: `${name} is readable by your group (mode ${octal}); it holds secrets`, fix}
    },
  },
]

/** The .env file exists and could be read (a directory or a pipe in its place cannot be checked further). */
const readable = (report: DiagnoseContext['report']) => report.envFileExists && report.envFileProblem === undefined

/**
 * A value to put in a copyable command: the default where there is one (what env setup leaves in
 * force: for DATABASE_URL the SQLite file, not the PostgreSQL example), a generated secret where
 * that works, never a real secret.
 */
export function suggestedValue(
  spec: VariableSpec,
  report: Pick<DiagnoseContext['report'], 'root' | 'stateDir'>,
): string {
  if (spec.generate) return '$(openssl rand -base64 32)'
  const fallback = typeof spec.default === 'function' ? spec.default({stateDir: report.stateDir}) : spec.default
  if (fallback !== undefined) {
    // sqlite:<file> is read relative to the project root: the short form where the file is inside it.
    const file = /^sqlite:(.+)$/.exec(fallback)?.[1]
    const value = file && isAbsolute(file) ? `sqlite:${displayPath(report.root, file)}` : fallback
    return shellQuote(value)
  }
  return spec.secret ? '<secret>' : shellQuote(spec.example)
}

/**
 * Whether git (or, outside a repository, the root .gitignore) ignores every path; the fix appends
 * what is missing to .gitignore. `patternOf` turns a path into the line to add.
 */
export async function ignoreOutcome(
  context: DiagnoseContext,
  paths: string[],
  passMessage: string,
  patternOf: (path: string) => string = (path) => `/${path}`,
  describe: (paths: string[]) => string = (paths) => paths.join(', '),
): Promise<CheckOutcome> {
  const {root} = context.report
  const git = await context.git()
  let notIgnored: string[]
  if (git.repository) {
    const ignored = await git.ignored(paths)
    notIgnored = paths.filter((path) => !ignored.has(path))
  } else {
    const patterns = gitignorePatterns(await readFile(`${root}/.gitignore`, 'utf8').catch(() => ''))
    notIgnored = paths.filter((path) => !isIgnoredBy(patterns, path))
  }
  if (notIgnored.length === 0)
    return {
      status: 'pass',
      message: git.repository ? passMessage : `${passMessage} (.gitignore; not a git repository yet)`,
    }
  const patterns = [...new Set(notIgnored.map(patternOf))]
  return {
    // Outside a repository nothing can be committed yet: a warning until `git init`.
    status: git.repository ? 'fail' : 'warn',
    message: `not ignored by git: ${describe(notIgnored)}`,
    fix: {
      // The leading newline keeps a last line without one from joining the first pattern.
      command: `printf '\\n%s\\n' ${patterns.map(shellQuote).join(' ')} >> ${commandPath(context.cwd, `${root}/.gitignore`)}`,
      apply: async () => {
        for (const pattern of patterns)
          await ensureGitignored(root, `${root}/${pattern.replace(/^\//, '').replace(/\/$/, '')}`, pattern)
        return `added ${patterns.join(', ')} to .gitignore`
      },
    },
  }
}
