// `diagnose`: the doctor. Runs every check, and with `fix` applies the safe fixes (each once, in
// registry order, after asking when it may ask) and runs the checks again to report the result.
import {runChecks, summarize, type Check, type CheckResult, type Summary} from './check.js'
import {configurationChecks} from './checks/configuration.js'
import {databaseChecks} from './checks/database.js'
import {environmentChecks} from './checks/environment.js'
import {repositoryChecks} from './checks/repository.js'
import {servicesChecks} from './checks/services.js'
import {toolChecks} from './checks/tools.js'
import {createDiagnoseContext, type DiagnoseContextOptions} from './context.js'
import {buildReport, type ShareableReport} from './report.js'
import {UsageError} from '../../core/errors.js'
import {closestMatch} from '../../core/text/closest.js'

/** Every check, in the order they are shown and their fixes applied (a .env before the migration that needs it). */
export function allChecks(): Check[] {
  return [
    ...environmentChecks,
    ...toolChecks(),
    ...configurationChecks,
    ...databaseChecks,
    ...servicesChecks(),
    ...repositoryChecks,
  ]
}

/**
 * The checks that `names` ask for (categories such as `database`, check ids such as `db.lock`, or an
 * id prefix such as `services.api`), in registry order, with the checks they depend on; every
 * check when `names` is empty. An unknown name is a usage error that lists the known ones.
 */
export function selectChecks(names: readonly string[], checks: readonly Check[] = allChecks()): Check[] {
  if (names.length === 0) return [...checks]
  const matches = (check: Check, name: string) =>
    check.category === name || check.id === name || check.id.startsWith(`${name}.`)
  const unknown = names.filter((name) => !checks.some((check) => matches(check, name)))
  if (unknown.length > 0) {
    const categories = [...new Set(checks.map((check) => check.category))]
    const known = [...categories, ...checks.map((check) => check.id)]
    const suggestions = unknown
      .map((name) => closestMatch(name, known))
      .filter((name): name is string => name !== undefined)
    throw new UsageError(`No check or category is named ${unknown.map((name) => `"${name}"`).join(', ')}.`, {
      reason: `Categories: ${categories.join(', ')}. Checks: ${checks.map((check) => check.id).join(', ')}.`,
      next: [
        suggestions.length > 0
          ? `storybook diagnose ${suggestions.join(' ')}`
          : `storybook diagnose ${categories[0] ?? ''}`.trim(),
        'storybook diagnose --json   # every check with its id',
      ],
    })
  }
  const chosen = new Set(checks.filter((check) => names.some((name) => matches(check, name))).map((check) => check.id))
  // A check runs only after what it depends on, so that comes along.
  for (let grew = true; grew;) {
    grew = false
    for (const check of checks) {
      if (!chosen.has(check.id)) continue
      for (const id of check.after ?? []) {
        if (chosen.has(id)) continue
        chosen.add(id)
        grew = true
      }
    }
  }
  return checks.filter((check) => chosen.has(check.id))
}

export interface PlannedFix {
  /** The checks this fix answers (one command can answer several, such as db migrate). */
  checks: string[]
  command: string
}

export interface FixResult extends PlannedFix {
  /** `planned`: --dry-run, listed and not applied. */
  outcome: 'applied' | 'failed' | 'declined' | 'planned'
  message: string
}

export interface DiagnoseOptions extends DiagnoseContextOptions {
  checks?: readonly Check[]
  /** --report: add the versions and a redacted text to paste into a bug report. */
  report?: boolean
  /** The home folder that the report shows as ~ (the user's by default). */
  home?: string
  /** Present for --fix. */
  fix?: {
    /** Whether to apply this fix (asks on a terminal; true with --yes or without a terminal). */
    confirm: (fix: PlannedFix) => Promise<boolean>
    /** --dry-run: list the fixes that would be applied, apply (and ask) nothing. */
    dryRun?: boolean
    onProgress?: (message: string) => void
  }
}

export interface DiagnoseResult {
  checks: CheckResult[]
  summary: Summary
  durationMs: number
  /** With --fix: each fix tried, and the summary before them. */
  fixes?: FixResult[]
  before?: Summary
  /** With --report. */
  report?: ShareableReport
}

export async function diagnose(options: DiagnoseOptions): Promise<DiagnoseResult> {
  const checks = options.checks ?? allChecks()
  const first = await runOnce(checks, options)
  if (!options.fix) return first.result
  const planned = new Map<string, PlannedFix & {apply: () => Promise<string>}>()
  for (const run of first.runs) {
    if (run.result.status === 'pass' || !run.apply || !run.result.fix) continue
    const same = planned.get(run.result.fix)
    if (same) same.checks.push(run.result.id)
    else planned.set(run.result.fix, {checks: [run.result.id], command: run.result.fix, apply: run.apply})
  }
  if (options.fix.dryRun) {
    const listed = [...planned.values()].map(({checks, command}): FixResult => ({
      checks,
      command,
      outcome: 'planned',
      message: 'would be applied (--dry-run: nothing was changed)',
    }))
    return {...first.result, fixes: listed}
  }
  const fixes: FixResult[] = []
  for (const {apply, ...fix} of planned.values()) {
    if (!(await options.fix.confirm(fix))) {
      fixes.push({...fix, outcome: 'declined', message: 'not applied (declined)'})
      continue
    }
    options.fix.onProgress?.(`fixing ${fix.checks.join(', ')}: ${fix.command}`)
    try {
      fixes.push({...fix, outcome: 'applied', message: await apply()})
    } catch (error) {
      // One failed fix must not stop the others; the second run shows what is still wrong.
      fixes.push({...fix, outcome: 'failed', message: (error as Error).message})
    }
  }
  if (!fixes.some((fix) => fix.outcome === 'applied')) return {...first.result, fixes}
  const second = await runOnce(checks, options)
  return {...second.result, fixes, before: first.result.summary}
}

async function runOnce(checks: readonly Check[], options: DiagnoseOptions) {
  const started = performance.now()
  const context = await createDiagnoseContext(options)
  try {
    const runs = await runChecks(checks, context)
    const results = runs.map((run) => run.result)
    const summary = summarize(results)
    const report = options.report
      ? await buildReport({context, checks: results, summary, ...(options.home ? {home: options.home} : {})})
      : undefined
    const result: DiagnoseResult = {
      checks: results,
      summary,
      durationMs: Math.round(performance.now() - started),
      ...(report ? {report} : {}),
    }
    return {runs, result}
  } finally {
    await context.close()
  }
}
