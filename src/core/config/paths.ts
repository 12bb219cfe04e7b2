// Where the project and its runtime state live: the project root and the state directory layout.
import {readFileSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {NotFoundError, StorybookError} from '../errors.js'

/** The package name that marks this project's package.json. */
export const PROJECT_PACKAGE_NAME = 'storybook-toolkit'

export interface StatePaths {
  root: string
  run: string
  log: string
  data: string
  backups: string
}

export function statePaths(stateDir: string): StatePaths {
  return {
    root: stateDir,
    run: join(stateDir, 'run'),
    log: join(stateDir, 'log'),
    data: join(stateDir, 'data'),
    backups: join(stateDir, 'backups'),
  }
}

/** The nearest ancestor of `cwd` whose package.json is this project; `override` (STORYBOOK_ROOT) wins. */
export function findProjectRoot(cwd: string, override?: string): string {
  if (override) {
    const root = resolve(cwd, override)
    if (!isDirectory(root)) {
      throw new StorybookError('CONFIG_INVALID', `STORYBOOK_ROOT points to ${root}, which is not a directory.`, {
        reason: 'STORYBOOK_ROOT must name the project folder.',
        next: ['unset STORYBOOK_ROOT', 'export STORYBOOK_ROOT=/path/to/storybook'],
      })
    }
    return root
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (isProjectPackage(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) break
  }
  throw new NotFoundError(`No Storybook project found in ${cwd} or any folder above it.`, {
    reason: `The project root is the nearest folder whose package.json is named "${PROJECT_PACKAGE_NAME}".`,
    next: ['cd /path/to/storybook', 'export STORYBOOK_ROOT=/path/to/storybook'],
  })
}

function isProjectPackage(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as {name?: unknown}).name === PROJECT_PACKAGE_NAME
  } catch {
    return false // no package.json here, or not one we can read: keep looking upwards
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
