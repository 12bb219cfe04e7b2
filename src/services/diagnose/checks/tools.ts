// Tools: the programs that the doctor's fixes and the toolkit's commands call (git for the drift
// and .gitignore fixes, tmux for --separate-terminals, pg_dump for backups on PostgreSQL). Missing
// ones are warnings: nothing is broken until that command is typed, but then its fix would fail.
import {access, constants} from 'node:fs/promises'
import {delimiter, join} from 'node:path'
import type {Environment} from '../../../core/config/load.js'
import type {Check} from '../check.js'
import type {DiagnoseContext} from '../context.js'

interface Tool {
  name: string
  /** What needs it, said to the person who lacks it. */
  neededBy: string
  /** The package that holds it, per package manager. */
  packages: {apt: string; brew: string; winget: string}
  applies?: (context: DiagnoseContext) => boolean
}

const TOOLS: Tool[] = [
  {
    name: 'git',
    neededBy: 'the fixes for drift (git diff migrations/) and for .gitignore, and the checks of what git tracks',
    packages: {apt: 'git', brew: 'git', winget: 'Git.Git'},
  },
  {
    name: 'tmux',
    neededBy: 'storybook start --separate-terminals inside tmux (else a terminal emulator opens each service)',
    packages: {apt: 'tmux', brew: 'tmux', winget: 'tmux'},
  },
  {
    name: 'pg_dump',
    neededBy: 'storybook db backup on PostgreSQL',
    packages: {apt: 'postgresql-client', brew: 'libpq', winget: 'PostgreSQL.PostgreSQL'},
    applies: (context) => context.config.database.dialect === 'postgres',
  },
]

/**
 * The program's path on PATH, or undefined; looked up without spawning anything (a shell's
 * `command -v` would cost a process per tool). On Windows each PATHEXT extension is tried.
 */
export async function findOnPath(
  name: string,
  env: Environment,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  const folders = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : ['']
  for (const folder of folders) {
    for (const extension of extensions) {
      const path = join(folder, name + extension)
      const mode = platform === 'win32' ? constants.F_OK : constants.X_OK
      if (
        await access(path, mode).then(
          () => true,
          () => false,
        )
      )
        return path
    }
  }
  return undefined
}

function installCommand(tool: Tool, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `brew install ${tool.packages.brew}`
  if (platform === 'win32') return `winget install ${tool.packages.winget}`
  return `sudo apt-get install ${tool.packages.apt}   # or your distribution's package manager`
}

function toolCheck(tool: Tool, platform: NodeJS.Platform): Check {
  return {
    id: `tools.${tool.name}`,
    title: tool.name,
    category: 'environment',
    // The lookup takes a millisecond, but its answer waits its turn behind the checks that parse
    // package-lock.json and every installed manifest on this thread: on a busy machine, seconds.
    budgetMs: 5_000,
    ...(tool.applies ? {applies: tool.applies} : {}),
    run: async (context) => {
      const path = await findOnPath(tool.name, context.env, platform)
      if (path) return {status: 'pass', message: `${tool.name} is installed (${path})`}
      return {
        status: 'warn',
        message: `${tool.name} is not on PATH: ${tool.neededBy} will fail`,
        fix: {command: installCommand(tool, platform)},
      }
    },
  }
}

export const toolChecks = (platform: NodeJS.Platform = process.platform): Check[] =>
  TOOLS.map((tool) => toolCheck(tool, platform))
