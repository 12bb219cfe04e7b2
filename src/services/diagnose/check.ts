// The doctor's checks as data, and the runner that runs them concurrently: each check has a time
// budget, and one that throws or hangs is reported as failed instead of stopping the others.
import type {DiagnoseContext} from './context.js'

export type CheckStatus = 'pass' | 'warn' | 'fail'
export type CheckCategory = 'environment' | 'configuration' | 'database' | 'services' | 'repository'

export const CATEGORY_TITLES: Record<CheckCategory, string> = {
  environment: 'Environment',
  configuration: 'Configuration',
  database: 'Database',
  services: 'Services',
  repository: 'Repository hygiene',
}

export interface CheckFix {
  /** The command a person types to fix it. */
  command: string
  /**
   * Present when `--fix` may apply it: only fixes that cannot lose data and touch no process that
   * storybook did not start. Resolves to a sentence saying what was done.
   */
  apply?: () => Promise<string>
}

export interface CheckOutcome {
  status: CheckStatus
  message: string
  /** More lines for --verbose and JSON: each problem, alternatives, measurements. */
  details?: string[]
  fix?: CheckFix
}

export interface Check {
  id: string
  /** What it looks at, in a few words ("database integrity"). */
  title: string
  category: CheckCategory
  /** Longest the check may take; past it the check is reported as failed. */
  budgetMs: number
  /** Configuration variables it relies on: when one is invalid the check is not run (it would test a guess). */
  needs?: string[]
  /** Checks that must not have failed first (the database must open before its migrations are read). */
  after?: string[]
  /** Whether the check means anything for this setup (SQLite-only checks on PostgreSQL do not). */
  applies?: (context: DiagnoseContext) => boolean
  run(context: DiagnoseContext): Promise<CheckOutcome>
}

/** One check's result: the `--json` shape (PRODUCT.md), plus details and timing. */
export interface CheckResult {
  id: string
  title: string
  category: CheckCategory
  status: CheckStatus
  message: string
  /** The command that fixes it, or null. */
  fix: string | null
  /** `--fix` can apply that command by itself. */
  autoFix: boolean
  /** Not run, because something it depends on failed or is invalid (reported as a warning). */
  skipped: boolean
  details: string[]
  durationMs: number
}

export interface CheckRun {
  result: CheckResult
  /** The fix `--fix` may apply, kept out of the JSON. */
  apply: (() => Promise<string>) | undefined
}

export interface Summary {
  pass: number
  warn: number
  fail: number
  /** How many of the warnings are checks that were not run. */
  skipped: number
}

/** Runs every applicable check at once; a check waits only for the checks named in its `after`. */
export async function runChecks(
  checks: readonly Check[],
  context: DiagnoseContext,
  now: () => number = () => performance.now(),
): Promise<CheckRun[]> {
  const applicable = checks.filter((check) => check.applies?.(context) ?? true)
  const byId = new Map(applicable.map((check) => [check.id, check]))
  const runs = new Map<string, Promise<CheckRun>>()
  const start = (check: Check): Promise<CheckRun> => {
    let run = runs.get(check.id)
    if (!run) {
      run = (async () => {
        const invalid = (check.needs ?? []).filter((key) => context.invalid.has(key))
        if (invalid.length > 0)
          return skipped(
            check,
            `not checked while ${invalid.join(', ')} ${invalid.length === 1 ? 'is' : 'are'} invalid`,
          )
        for (const id of check.after ?? []) {
          const prerequisite = byId.get(id)
          if (!prerequisite) continue
          const earlier = (await start(prerequisite)).result
          if (earlier.status === 'fail' || earlier.skipped)
            return skipped(check, `not checked until ${prerequisite.title} passes`)
        }
        return timed(check, context, now)
      })()
      runs.set(check.id, run)
    }
    return run
  }
  return Promise.all(applicable.map(start))
}

async function timed(check: Check, context: DiagnoseContext, now: () => number): Promise<CheckRun> {
  const started = now()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<CheckOutcome>((resolve) => {
    // One more turn of the event loop before giving up: after a synchronous stretch (SQLite work
    // blocks the thread) the timer and the check's own answer become due together.
    timer = setTimeout(
      () =>
        setImmediate(() => resolve({status: 'fail', message: `the check did not finish within ${check.budgetMs} ms`})),
      check.budgetMs,
    )
  })
  let outcome: CheckOutcome
  try {
    outcome = await Promise.race([check.run(context), deadline])
  } catch (error) {
    outcome = {status: 'fail', message: `the check itself failed: ${(error as Error).message ?? String(error)}`}
  } finally {
    clearTimeout(timer)
  }
  return {
    result: {
      id: check.id,
      title: check.title,
      category: check.category,
      status: outcome.status,
      message: outcome.message,
      fix: outcome.fix?.command ?? null,
      autoFix: Boolean(outcome.fix?.apply),
      skipped: false,
      details: outcome.details ?? [],
      durationMs: Math.round((now() - started) * 10) / 10,
    },
    apply: outcome.fix?.apply,
  }
}

function skipped(check: Check, message: string): CheckRun {
  return {
    result: {
      id: check.id,
      title: check.title,
      category: check.category,
      status: 'warn',
      message: `${check.title}: ${message}`,
      fix: null,
      autoFix: false,
      skipped: true,
      details: [],
      durationMs: 0,
    },
    apply: undefined,
  }
}

export function summarize(results: readonly CheckResult[]): Summary {
  const count = (status: CheckStatus) => results.filter((result) => result.status === status).length
  return {
    pass: count('pass'),
    warn: count('warn'),
    fail: count('fail'),
    skipped: results.filter((result) => result.skipped).length,
  }
}
