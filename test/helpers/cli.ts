// Runs the built CLI (bin/run.js) as a child process against a temporary project root and
// state directory, and returns what a script calling it would see.
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {VARIABLES} from '../../src/core/config/schema.js'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CLI = join(REPO_ROOT, 'bin', 'run.js')

export interface CliResult<T = unknown> {
  stdout: string
  stderr: string
  exitCode: number | null
  /** stdout parsed as JSON when it is a JSON document, else undefined. */
  json: T | undefined
}

export interface RunOptions {
  cwd?: string
  /** Added to (or, with undefined, removed from) the child's environment. */
  env?: Record<string, string | undefined>
  input?: string
  timeoutMs?: number
}

/** Variables of ours, and colour switches, that would leak from the test runner into the child. */
// npm_command: the CLI words its suggestions for `npx storybook` when npx started it; a test run
// through `npx vitest` must not make every CLI it runs look started by npx.
const SCRUBBED = [
  ...VARIABLES.map((variable) => variable.key),
  ...['NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'CI', 'TERM', 'npm_command'],
]

/**
 * PATH without folders that hold a `storybook` (say, after `npm link`): suggested commands then read
 * `npx storybook …` on every machine, whatever its user installed.
 */
function withoutStorybookOnPath(path: string | undefined): string {
  return (path ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '' && !existsSync(join(folder, 'storybook')))
    .join(delimiter)
}

export function runCli<T = unknown>(args: string[], options: RunOptions = {}): Promise<CliResult<T>> {
  const env: Record<string, string | undefined> = {...process.env, PATH: withoutStorybookOnPath(process.env.PATH)}
  for (const key of SCRUBBED) delete env[key]
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`storybook ${args.join(' ')} did not finish in ${options.timeoutMs ?? 20_000} ms\n${stderr}`))
    }, options.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({stdout, stderr, exitCode, json: parseJson<T>(stdout)})
    })
    child.stdin.end(options.input ?? '')
  })
}

function parseJson<T>(text: string): T | undefined {
  if (!text.trimStart().startsWith('{')) return undefined
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

export interface TempProject {
  root: string
  stateDir: string
  envFile: string
  /** Runs the CLI with this project as STORYBOOK_ROOT and its state directory. */
  run<T = unknown>(args: string[], options?: RunOptions): Promise<CliResult<T>>
  writeEnv(text: string): Promise<void>
  readEnv(): Promise<string>
  cleanup(): Promise<void>
}

/** A throwaway project: a folder whose package.json marks it as the Storybook project. */
export async function createTempProject(): Promise<TempProject> {
  const root = await mkdtemp(join(tmpdir(), 'storybook-test-'))
  const stateDir = join(root, 'state')
  await mkdir(stateDir)
  await writeFile(join(root, 'package.json'), JSON.stringify({name: 'storybook-toolkit', private: true}))
  const envFile = join(root, '.env')
  return {
    root,
    stateDir,
    envFile,
    run: (args, options = {}) =>
      runCli(args, {
        cwd: options.cwd ?? root,
        ...options,
        env: {STORYBOOK_ROOT: root, STORYBOOK_STATE_DIR: stateDir, ...options.env},
      }),
    writeEnv: (text) => writeFile(envFile, text),
    readEnv: () => readFile(envFile, 'utf8'),
    cleanup: () => rm(root, {recursive: true, force: true}),
  }
}
