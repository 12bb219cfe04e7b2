// `diagnose --report`: the versions a bug report needs (the toolkit and its git commit, Node, npm,
// SQLite, the OS, the database) and the problems found, with paths under the home folder and
// secrets redacted, so that the text can be pasted into an issue as it is.
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {arch, homedir, platform, release, type as osType} from 'node:os'
import {join} from 'node:path'
import {MASK, maskUrlPassword} from '../../core/config/mask.js'
import type {CheckResult, Summary} from './check.js'
import type {DiagnoseContext} from './context.js'

export interface Versions {
  toolkit: {name: string; version: string}
  /** The toolkit's git commit (short), or null outside a git checkout. */
  git: {commit: string; dirty: boolean} | null
  node: string
  /** Null when npm is not on PATH or does not answer. */
  npm: string | null
  /** The SQLite library inside better-sqlite3, or null with the reason when the driver does not load. */
  sqlite: {library: string; driver: string} | {library: null; problem: string}
  os: {platform: string; release: string; arch: string; name: string}
  database: {dialect: string; location: string}
  project: string
  stateDir: string
}

export interface ShareableReport {
  versions: Versions
  /** The same, with the problems, as text to paste (Markdown). */
  text: string
}

/** Runs a program and resolves its trimmed stdout, or rejects. */
export type RunProgram = (file: string, args: string[], cwd: string) => Promise<string>

const runProgram: RunProgram = (file, args, cwd) =>
  new Promise((resolve, reject) => {
    execFile(file, args, {cwd, timeout: 5_000, encoding: 'utf8'}, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    )
  })

export interface ReportOptions {
  context: DiagnoseContext
  checks: readonly CheckResult[]
  summary: Summary
  home?: string
  run?: RunProgram
}

export async function buildReport(options: ReportOptions): Promise<ShareableReport> {
  const {context} = options
  const run = options.run ?? runProgram
  const redact = redactor({home: options.home ?? homedir(), secrets: secretValues(context)})
  const versions = redactStrings(await collectVersions(context, run), redact)
  return {versions, text: redact(renderReport(versions, options.checks, options.summary))}
}

async function collectVersions(context: DiagnoseContext, run: RunProgram): Promise<Versions> {
  const {codeRoot, config} = context
  const manifest = JSON.parse(await readFile(join(codeRoot, 'package.json'), 'utf8')) as {
    name?: string
    version?: string
  }
  const [npm, git, sqlite] = await Promise.all([
    run('npm', ['--version'], codeRoot).catch(() => null),
    gitCommit(codeRoot, run),
    sqliteVersions(codeRoot, run),
  ])
  const database = config.database
  return {
    toolkit: {name: manifest.name ?? 'unknown', version: manifest.version ?? 'unknown'},
    git,
    node: context.nodeVersion,
    npm,
    sqlite,
    os: {platform: platform(), release: release(), arch: arch(), name: osType()},
    database: {dialect: database.dialect, location: database.dialect === 'sqlite' ? database.file : database.url},
    project: context.report.root,
    stateDir: config.state.root,
  }
}

async function gitCommit(folder: string, run: RunProgram): Promise<Versions['git']> {
  try {
    const commit = await run('git', ['rev-parse', '--short', 'HEAD'], folder)
    const changes = await run('git', ['status', '--porcelain', '--untracked-files=no'], folder).catch(() => '')
    return {commit, dirty: changes !== ''}
  } catch {
    return null // not a git checkout (an npm install of the toolkit), or no git: the version says enough
  }
}

/** In a child process, as the doctor's driver check does: a driver built for another Node may crash on load. */
async function sqliteVersions(codeRoot: string, run: RunProgram): Promise<Versions['sqlite']> {
  const script =
    "const D=require('better-sqlite3');const db=new D(':memory:');" +
    "console.log(JSON.stringify({library:db.prepare('select sqlite_version() as v').get().v," +
    "driver:require('better-sqlite3/package.json').version}))"
  try {
    return JSON.parse(await run(process.execPath, ['-e', script], codeRoot)) as {library: string; driver: string}
  } catch (error) {
    const message = (error as Error).message.split('\n').find((line) => /Error/.test(line)) ?? 'does not load'
    return {library: null, problem: message.trim()}
  }
}

function renderReport(versions: Versions, checks: readonly CheckResult[], summary: Summary): string {
  const {toolkit, git, sqlite, os, database} = versions
  const rows: Array<[string, string]> = [
    [
      'toolkit',
      `${toolkit.name} ${toolkit.version}${git ? `, git ${git.commit}${git.dirty ? ' (uncommitted changes)' : ''}` : ''}`,
    ],
    ['node', versions.node],
    ['npm', versions.npm ?? 'not found'],
    [
      'sqlite',
      sqlite.library === null
        ? `driver does not load: ${sqlite.problem}`
        : `${sqlite.library} (better-sqlite3 ${sqlite.driver})`,
    ],
    ['os', `${os.name} ${os.release} ${os.arch}`],
    ['database', `${database.dialect}, ${database.location}`],
    ['project', versions.project],
    ['state', versions.stateDir],
    [
      'checks',
      `${summary.pass} passed, ${summary.warn} warning${summary.warn === 1 ? '' : 's'}, ${summary.fail} failed`,
    ],
  ]
  const width = Math.max(...rows.map(([name]) => name.length))
  const problems = checks.filter((check) => check.status !== 'pass')
  return [
    '### storybook diagnose --report',
    '',
    '```',
    ...rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`),
    ...(problems.length > 0 ? ['', 'problems:'] : []),
    ...problems.map(
      (check) =>
        `  [${check.status}] ${check.id}: ${check.message}${check.fix && !check.skipped ? `\n         fix: ${check.fix}` : ''}`,
    ),
    '```',
  ].join('\n')
}

/** The values of the schema's secret variables that are set (a short one would hide unrelated text). */
function secretValues(context: DiagnoseContext): string[] {
  return context.report.variables
    .filter((variable) => variable.spec.secret && variable.raw !== undefined && variable.raw.length >= 4)
    .map((variable) => variable.raw as string)
}

/**
 * Hides what a pasted report must not show: secret values, passwords and keys inside URLs, and the
 * home folder (it names the user), which becomes `~`.
 */
export function redactor(options: {home: string; secrets: readonly string[]}): (text: string) => string {
  const home = options.home.replace(/\/+$/, '')
  return (text) => {
    let out = text
    for (const secret of options.secrets) out = out.split(secret).join(MASK)
    out = out.replace(/[a-z][\w+.-]*:\/\/[^\s'"`]+/gi, (url) => maskUrlPassword(url))
    // Only whole path segments: /home/ann is not a prefix of /home/anna.
    if (home.length > 1) out = out.replace(new RegExp(`${escapeRegExp(home)}(?=/|$|[\\s'"\`),])`, 'g'), '~')
    return out
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function redactStrings<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((item: unknown) => redactStrings(item, redact)) as T
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item, redact)])) as T
  return value
}
