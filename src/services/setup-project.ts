// `setup-project`: a developer's first day in one command. Each step checks before it acts, so a
// second run finds everything done and says so. Steps are data; the command decides how to show them.
import {spawn} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {loadEnvironment, toAppConfig, type Environment} from '../core/config/load.js'
import {StorybookError} from '../core/errors.js'

export type StepStatus = 'done' | 'already' | 'skipped'

export interface StepOutcome {
  status: StepStatus
  message: string
}

export interface SetupStep {
  id: 'node' | 'dependencies' | 'env' | 'migrate' | 'seed'
  title: string
  run: () => Promise<StepOutcome>
}

export interface SetupProjectOptions {
  root: string
  env: Environment
  cwd: string
  envFile?: string | undefined
  skipInstall: boolean
  seed: boolean
  nodeVersion?: string
  /** Runs npm with these arguments in the project root (replaced in tests). */
  runNpm?: (args: string[]) => Promise<void>
}

export interface SetupProjectResult {
  steps: Array<{id: SetupStep['id']; title: string} & StepOutcome>
  /** True when no step had anything to do. */
  alreadySetUp: boolean
}

export function setupProjectSteps(options: SetupProjectOptions): SetupStep[] {
  const {root} = options
  const load = () =>
    loadEnvironment({env: options.env, cwd: options.cwd, envFile: options.envFile, allowMissingEnvFile: true})
  return [
    {
      id: 'node',
      title: 'Check the Node.js version',
      run: async () => {
        const version = options.nodeVersion ?? process.versions.node
        const range = ((await readJson(join(root, 'package.json'))) as {engines?: {node?: string}}).engines?.node ?? '*'
        const {satisfies} = await import('semver')
        if (!satisfies(version, range)) {
          throw new StorybookError(
            'CONFLICT',
            `Node ${version} does not satisfy the project's engines.node (${range}).`,
            {
              next: ['nvm install 20 && nvm use 20', 'storybook setup-project'],
            },
          )
        }
        return {status: 'already', message: `Node ${version} satisfies ${range}`}
      },
    },
    {
      id: 'dependencies',
      title: 'Install dependencies',
      run: async () => {
        if (options.skipInstall) return {status: 'skipped', message: 'skipped (--skip-install)'}
        const problem = await dependencyProblem(root)
        if (!problem) return {status: 'already', message: 'node_modules matches package-lock.json'}
        // npm ci installs exactly the lock file and never rewrites it; without a lock file, npm install.
        const hasLock = await stat(join(root, 'package-lock.json')).then(
          () => true,
          () => false,
        )
        await (options.runNpm ?? ((args) => runNpm(root, args)))([
          hasLock ? 'ci' : 'install',
          '--no-audit',
          '--no-fund',
        ])
        return {status: 'done', message: `installed (${problem})`}
      },
    },
    {
      id: 'env',
      title: 'Create .env',
      run: async () => {
        const report = await load()
        if (report.envFileExists) {
          toAppConfig(report) // a broken configuration stops here, listing every problem
          return {status: 'already', message: `${report.envFile} exists and is valid`}
        }
        const {setupEnvironment} = await import('./env-setup.js')
        const result = await setupEnvironment({report, assignments: [], prompter: undefined})
        return {status: 'done', message: `created ${result.envFile} with a generated SESSION_SECRET`}
      },
    },
    {
      id: 'migrate',
      title: 'Migrate the database',
      run: async () => {
        const {migrateDatabase} = await import('./db.js')
        const result = await migrateDatabase({config: toAppConfig(await load())})
        return result.applied.length === 0
          ? {status: 'already', message: `up to date (${result.current ?? 'no migrations'})`}
          : {status: 'done', message: `applied ${result.applied.length} migrations`}
      },
    },
    {
      id: 'seed',
      title: 'Seed demo data',
      run: async () => {
        if (!options.seed) return {status: 'skipped', message: 'skipped (--no-seed)'}
        const {seedDatabase} = await import('./db.js')
        const result = await seedDatabase({config: toAppConfig(await load())})
        const inserted = Object.values(result.inserted).reduce((sum, count) => sum + count, 0)
        return inserted === 0
          ? {status: 'already', message: 'demo data present'}
          : {status: 'done', message: `demo user ${result.email}`}
      },
    },
  ]
}

/** Why node_modules is out of date, or undefined when it matches the lock file. */
export async function dependencyProblem(root: string): Promise<string | undefined> {
  const lockPath = join(root, 'package-lock.json')
  const hiddenLockPath = join(root, 'node_modules', '.package-lock.json')
  const manifest = (await readJson(join(root, 'package.json'))) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  const lock = await stat(lockPath).catch(() => undefined)
  const hidden = await stat(hiddenLockPath).catch(() => undefined)
  if (!hidden) return 'node_modules is missing'
  if (lock && lock.mtimeMs > hidden.mtimeMs + 1000) return 'package-lock.json changed since the last install'
  const names = Object.keys({...manifest.dependencies, ...manifest.devDependencies})
  for (const name of names) {
    if (!(await stat(join(root, 'node_modules', name, 'package.json')).catch(() => undefined)))
      return `${name} is not installed`
  }
  return undefined
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new StorybookError('FILE_SYSTEM', `Cannot read ${path}: ${(error as Error).message}.`, {cause: error})
  }
}

/** Runs npm in `root`; a failure carries the last lines of its output. */
export function runNpm(root: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    let output = ''
    const child = spawn(npm, args, {cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32'})
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)))
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)))
    child.on('error', (error) =>
      reject(
        new StorybookError('EXTERNAL_FAILED', `Cannot run npm: ${error.message}.`, {
          next: ['npm install'],
          cause: error,
        }),
      ),
    )
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new StorybookError(
              'EXTERNAL_FAILED',
              `npm ${args.join(' ')} exited with ${code}:\n${output.trim().split('\n').slice(-10).join('\n')}`,
              {
                next: ['npm install', 'storybook setup-project --skip-install'],
                details: {command: `npm ${args.join(' ')}`},
              },
            ),
          ),
    )
  })
}
