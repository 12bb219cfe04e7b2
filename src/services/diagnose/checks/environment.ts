// Environment: the Node version, the lock file, node_modules, the native SQLite driver and the
// build output, all of the toolkit's own folder.
import {execFile} from 'node:child_process'
import {readFile, readdir, stat} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {dependencyProblem} from '../../setup-project.js'
import type {Check, CheckOutcome} from '../check.js'
import {checkInstalledTree, packageName, type InstalledTreeReport} from '../installed-tree.js'
import {inFolder} from './paths.js'

const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb']
const BUILD_OUTPUT = ['dist/cli.cjs', 'dist/server.cjs', 'dist/supervisor.cjs', 'oclif.manifest.json']
const SOURCE_FOLDERS = ['src', 'migrations']

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

export const environmentChecks: Check[] = [
  {
    id: 'node.version',
    title: 'Node.js version',
    category: 'environment',
    budgetMs: 2_000,
    run: async ({codeRoot, nodeVersion}) => {
      const manifest = JSON.parse(await readFile(join(codeRoot, 'package.json'), 'utf8')) as {engines?: {node?: string}}
      const range = manifest.engines?.node ?? '*'
      const {satisfies, minVersion} = await import('semver')
      if (satisfies(nodeVersion, range))
        return {status: 'pass', message: `Node ${nodeVersion} satisfies engines.node ${range}`}
      const wanted = nvmVersion(minVersion(range, {loose: true})?.version)
      return {
        status: 'fail',
        message: `Node ${nodeVersion} does not satisfy engines.node ${range}`,
        details: ['The toolkit and its native modules are built and tested for that range.'],
        fix: {
          command: wanted
            ? `nvm install ${wanted} && nvm use ${wanted}`
            : `nvm install --lts   # engines.node: ${range}`,
        },
      }
    },
  },
  {
    id: 'deps.lockfile',
    title: 'lock file',
    category: 'environment',
    budgetMs: 2_000,
    run: async ({codeRoot, cwd}) => {
      const found = (
        await Promise.all(LOCK_FILES.map(async (name) => ((await exists(join(codeRoot, name))) ? name : undefined)))
      ).filter(Boolean) as string[]
      if (found.length === 1 && found[0] === 'package-lock.json')
        return {status: 'pass', message: 'one lock file: package-lock.json'}
      if (found.length === 0)
        return {
          status: 'warn',
          message: 'no lock file: installs are not reproducible',
          fix: {command: inFolder(cwd, codeRoot, 'npm install')},
        }
      const others = found.filter((name) => name !== 'package-lock.json')
      return {
        status: 'fail',
        message: `${found.length === 1 ? 'the wrong lock file' : `${found.length} lock files`}: ${found.join(', ')}`,
        details: [
          'This project installs with npm from package-lock.json; ' +
            'another lock file means another package manager was used and the two disagree.',
        ],
        fix: {
          command: inFolder(
            cwd,
            codeRoot,
            `rm ${others.join(' ')} && npm ${found.includes('package-lock.json') ? 'ci' : 'install'}`,
          ),
        },
      }
    },
  },
  {
    id: 'deps.installed',
    title: 'dependencies',
    category: 'environment',
    budgetMs: 3_000,
    run: async ({codeRoot, cwd}) => {
      const fix = {command: inFolder(cwd, codeRoot, 'npm ci')}
      const [problem, tree] = await Promise.all([dependencyProblem(codeRoot), checkInstalledTree(codeRoot)])
      if (problem === 'node_modules is missing')
        return {status: 'fail', message: `node_modules is out of date: ${problem}`, fix}
      if (tree && (tree.missing.length > 0 || tree.wrongVersion.length > 0)) return treeOutcome(tree, fix)
      if (problem) return {status: 'fail', message: `node_modules is out of date: ${problem}`, fix}
      return {
        status: 'pass',
        message: tree
          ? `node_modules matches package-lock.json (${tree.checked} packages)`
          : 'node_modules holds every dependency (no package-lock.json to compare with)',
      }
    },
  },
  {
    id: 'deps.sqlite-driver',
    title: 'SQLite driver',
    category: 'environment',
    budgetMs: 5_000,
    // In a child process: a driver built for another Node throws on load (or can crash the process).
    // Not after deps.installed: the database checks wait for this one, and a missing package of the
    // web app must not hide them.
    run: async ({codeRoot, cwd, runNpm}) => {
      const problem = await sqliteDriverProblem(codeRoot)
      if (!problem) return {status: 'pass', message: 'better-sqlite3 loads and opens a database'}
      if (/Cannot find module 'better-sqlite3'/.test(problem))
        return {
          status: 'fail',
          message: 'better-sqlite3 is not installed',
          fix: {command: inFolder(cwd, codeRoot, 'npm ci')},
        }
      return {
        status: 'fail',
        message: `better-sqlite3 does not load: ${problem}`,
        details: ['A native module must be rebuilt after a Node upgrade (or an install made under another Node).'],
        fix: {
          command: inFolder(cwd, codeRoot, 'npm rebuild better-sqlite3'),
          apply: async () => {
            await runNpm(['rebuild', 'better-sqlite3'])
            return 'rebuilt better-sqlite3 for this Node'
          },
        },
      }
    },
  },
  {
    id: 'build.output',
    title: 'build output',
    category: 'environment',
    budgetMs: 3_000,
    run: async ({codeRoot, cwd}) => {
      const outputs = await Promise.all(
        BUILD_OUTPUT.map(async (file) => ({file, stats: await stat(join(codeRoot, file)).catch(() => undefined)})),
      )
      // Not applied by --fix: a build of the toolkit is for its developer to start (it may be mid-edit).
      const build = {command: inFolder(cwd, codeRoot, 'npm run build')}
      const missing = outputs.filter((output) => !output.stats).map((output) => output.file)
      if (missing.length > 0)
        return {status: 'fail', message: `build output missing: ${missing.join(', ')}`, fix: build}
      const newest = await newestSource(codeRoot)
      if (!newest) return {status: 'pass', message: 'built (no sources here to compare with)'}
      const oldest = Math.min(...outputs.map((output) => output.stats?.mtimeMs ?? 0))
      if (newest.mtimeMs <= oldest)
        return {status: 'pass', message: 'dist/ and oclif.manifest.json are newer than the sources'}
      const newerS = Math.round((newest.mtimeMs - oldest) / 1000)
      return {
        status: 'fail',
        message: `the sources changed after the last build (${relative(codeRoot, newest.path)}, ${newerS} s newer)`,
        details: ['bin/run.js runs dist/cli.cjs, so the change is not in effect until the build.'],
        fix: build,
      }
    },
  },
]

/**
 * What to give nvm for the lowest version a range allows: `20.19` for 20.19.0 (nvm takes the newest
 * 20.19.x, which satisfies the range too), `22` for 22.0.0, the whole version when it has a patch.
 */
export function nvmVersion(lowest: string | undefined): string | undefined {
  const match = lowest ? /^(\d+)\.(\d+)\.(\d+)$/.exec(lowest) : null
  if (!match) return undefined
  const [, major, minor, patch] = match
  if (patch !== '0') return `${major}.${minor}.${patch}`
  return minor === '0' ? major : `${major}.${minor}`
}

/** The installed tree's differences from the lock file: how many, the first few by name, each in the details. */
function treeOutcome(tree: InstalledTreeReport, fix: {command: string}): CheckOutcome {
  const {missing, wrongVersion} = tree
  const first = [...missing, ...wrongVersion].slice(0, 3).map((problem) => packageName(problem.path))
  const more = missing.length + wrongVersion.length - first.length
  const counts = [
    missing.length > 0 ? `${missing.length} missing` : '',
    wrongVersion.length > 0 ? `${wrongVersion.length} at another version` : '',
  ].filter(Boolean)
  const examples = `${first.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
  return {
    status: 'fail',
    message: `node_modules does not match package-lock.json: ${counts.join(', ')} (${examples})`,
    details: [
      ...missing.map((problem) => `${problem.path}: missing (the lock file has ${problem.expected})`),
      ...wrongVersion.map(
        (problem) =>
          `${problem.path}: ${problem.found || 'unreadable package.json'}, the lock file has ${problem.expected}`,
      ),
      'A package that is not installed fails only when it is first loaded, as when a service starts.',
    ],
    fix,
  }
}

/** Loads better-sqlite3 in a separate Node process and opens an in-memory database; the error, if any. */
function sqliteDriverProblem(codeRoot: string): Promise<string | undefined> {
  const script = "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], {cwd: codeRoot, timeout: 4_000}, (error, _stdout, stderr) => {
      if (!error) return resolve(undefined)
      if (error.signal) return resolve(`loading it crashed Node (${error.signal})`)
      resolve(driverLoadError(stderr) ?? error.message.split('\n')[0] ?? 'it does not load')
    })
  })
}

/**
 * The one line that says why the driver does not load: bindings lists every path it tried (14
 * lines) after "Could not locate the bindings file. Tried:", which is the line kept, without "Tried:".
 */
export function driverLoadError(stderr: string): string | undefined {
  const line = stderr.split('\n').find((text) => /^\w*Error/.test(text.trim())) ?? stderr.trim().split('\n')[0]
  if (!line) return undefined
  return line
    .trim()
    .replace(/^Error: /, '')
    .replace(/\.?\s*Tried:$/, '')
}

async function newestSource(codeRoot: string): Promise<{path: string; mtimeMs: number} | undefined> {
  let newest: {path: string; mtimeMs: number} | undefined
  for (const folder of SOURCE_FOLDERS) {
    const entries = await readdir(join(codeRoot, folder), {recursive: true, withFileTypes: true}).catch(() => [])
    await Promise.all(
      entries
        .filter((entry) => entry.isFile() && /\.(ts|tsx|js|json)$/.test(entry.name))
        .map(async (entry) => {
          const path = join(entry.parentPath, entry.name)
          const {mtimeMs} = await stat(path)
          if (!newest || mtimeMs > newest.mtimeMs) newest = {path, mtimeMs}
        }),
    )
  }
  return newest
}
