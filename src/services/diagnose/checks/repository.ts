// Repository hygiene: the state directory (PID and state files, logs, the SQLite database,
// backups) and a database kept elsewhere in the project are ignored by git and not tracked.
import {join} from 'node:path'
import type {Check} from '../check.js'
import {ignoreOutcome} from './configuration.js'
import {commandPath, projectRelative} from './paths.js'

export const repositoryChecks: Check[] = [
  {
    id: 'repo.gitignore',
    title: 'runtime files ignored by git',
    category: 'repository',
    budgetMs: 5_000,
    needs: ['STORYBOOK_STATE_DIR', 'DATABASE_URL'],
    run: async (context) => {
      const {config, report} = context
      const root = report.root
      // Representative files of each kind: git answers for files, and a folder rule covers them.
      const state = projectRelative(root, config.state.root)
      const samples = state
        ? [
            join(config.state.run, 'api.json'),
            join(config.state.log, 'api.log'),
            join(config.state.data, 'storybook.db'),
            join(config.state.backups, 'storybook.db'),
          ]
        : []
      const database = config.database.dialect === 'sqlite' ? projectRelative(root, config.database.file) : undefined
      const paths = [
        ...samples.map((file) => projectRelative(root, file) as string),
        ...(database && !(state && database.startsWith(`${state}/`)) ? [database] : []),
      ]
      if (paths.length === 0)
        return {status: 'pass', message: 'the state directory and the database are outside the project'}
      const git = await context.git()
      const tracked = await git.tracked([...(state ? [state] : []), ...(database ? [database] : [])])
      if (tracked.length > 0) {
        const more = tracked.length > 5 ? ` and ${tracked.length - 5} more` : ''
        // Files under the state directory are untracked as the directory, once.
        const untrack = new Set(tracked.map((file) => (state && file.startsWith(`${state}/`) ? state : file)))
        const untrackPaths = [...untrack].map((path) => commandPath(context.cwd, join(root, path)))
        return {
          status: 'fail',
          message: `git tracks runtime files: ${tracked.slice(0, 5).join(', ')}${more}`,
          details: ['Logs, PID files and the database change on every run and may hold personal data.'],
          fix: {command: `git rm -r --cached ${untrackPaths.join(' ')}`},
        }
      }
      const patternOf = (path: string) => (state && path.startsWith(`${state}/`) ? `/${state}/` : `/${path}*`)
      // The samples stand for the state directory: named as such, not as files that may not exist yet.
      const describeMissing = (missing: string[]) =>
        [
          ...new Set(
            missing.map((path) =>
              state && path.startsWith(`${state}/`) ? `${state}/ (state files, logs, database, backups)` : path,
            ),
          ),
        ].join(', ')
      return ignoreOutcome(
        context,
        paths,
        `${state ? `${state}/ (state files, logs, database, backups)` : 'the database'} is ignored by git`,
        patternOf,
        describeMissing,
      )
    },
  },
]
