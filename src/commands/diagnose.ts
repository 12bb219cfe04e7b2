import {Args, Flags} from '@oclif/core'
import {formatCommand} from '../core/cli/invocation.js'
import {BaseCommand} from '../core/cli/base-command.js'
import {ERROR_CODES} from '../core/errors.js'
import {CATEGORY_TITLES, type CheckResult} from '../services/diagnose/check.js'
import type {DiagnoseResult, PlannedFix} from '../services/diagnose/index.js'

export default class Diagnose extends BaseCommand<typeof Diagnose> {
  static override summary = 'Find every broken piece of the setup, say how to fix each, and fix the safe ones'
  static override description =
    'Checks the environment (Node, every installed package against package-lock.json, the SQLite driver, the ' +
    'build, the git, tmux and pg_dump that fixes call), the configuration (.env), the database (opens, integrity, ' +
    'journal mode, migrations, drift, locks, disk space), the services (their ports and WEB_PORT and DASHBOARD_PORT, ' +
    'state files, /health and /ready, ' +
    'logs) and what git ignores. --report prints versions and problems to paste into a bug report. ' +
    'Each problem comes with the command that fixes it. --fix applies ' +
    'the safe fixes (remove stale state files, restart a service whose supervisor died, back up the database then ' +
    'run pending migrations, create a missing .env, rebuild the native driver, delete old log generations and cut ' +
    'oversized logs, add .gitignore lines, narrow .env permissions), asking first on a terminal ' +
    'unless --yes (off a terminal it applies them), then checks again. Exit 13 (CHECKS_FAILED) if a check fails ' +
    '(with --strict, also on a warning), else 0; 1 stays a bug of the toolkit.'

  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %>',
      description: 'Every check, by category, with the fix under each problem',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --fix',
      description: 'Apply the safe fixes (asks before each), then check again',
    },
    {command: '<%= config.bin %> <%= command.id %> --fix --yes', description: 'Apply them without asking'},
    {
      command: '<%= config.bin %> <%= command.id %> --fix --dry-run',
      description: 'List the fixes --fix would apply, changing nothing',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --json --strict',
      description:
        'For CI: {"checks":[{"id","category","status","message","fix"}],"summary":{"pass","warn","fail"}}; exit 13 on any warning',
    },
    {command: '<%= config.bin %> <%= command.id %> --verbose', description: 'Details and timings of every check'},
    {
      command: '<%= config.bin %> <%= command.id %> --report',
      description: 'Versions and problems to paste into a bug report, home paths and secrets redacted',
    },
    {
      command: '<%= config.bin %> <%= command.id %> database services.api',
      description: 'Only the database checks and those of the api service',
    },
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {
    check: Args.string({
      description:
        'Only these categories (environment, configuration, database, services, repository) or checks (db.lock, services.api)',
      required: false,
    }),
  }

  static override flags = {
    fix: Flags.boolean({description: 'Apply the safe fixes, then run the checks again'}),
    yes: Flags.boolean({char: 'y', description: 'With --fix: do not ask before each fix', dependsOn: ['fix']}),
    'dry-run': Flags.boolean({
      description: 'With --fix: list the fixes it would apply, and apply nothing',
      dependsOn: ['fix'],
    }),
    strict: Flags.boolean({description: 'Exit 13 (CHECKS_FAILED) on warnings too'}),
    report: Flags.boolean({
      description:
        'Print a report to paste into a bug report: versions (toolkit and git commit, Node, npm, SQLite, OS) and ' +
        'the problems, with home-folder paths and secrets redacted (with --json: under "report")',
    }),
  }

  public async run(): Promise<DiagnoseResult> {
    const {diagnose, selectChecks} = await import('../services/diagnose/index.js')
    const checks = selectChecks(this.positional)
    const ask = this.flags.fix && !this.flags.yes && !this.flags['dry-run'] && this.terminal.interactive
    const result = await diagnose({
      checks,
      codeRoot: this.config.root,
      env: process.env,
      cwd: process.cwd(),
      envFile: this.flags['env-file'],
      report: this.flags.report,
      ...(this.flags.fix
        ? {
            fix: {
              confirm: (fix: PlannedFix) => (ask ? this.confirm(fix) : Promise.resolve(true)),
              dryRun: this.flags['dry-run'],
              onProgress: (message: string) => this.note(this.style.dim(message)),
            },
          }
        : {}),
    })
    if (!this.jsonEnabled()) this.print(result.report ? result.report.text : this.render(result))
    // Its own exit code: 1 is INTERNAL (a bug in the toolkit), which a CI script must tell apart.
    if (result.summary.fail > 0 || (this.flags.strict && result.summary.warn > 0))
      process.exitCode = ERROR_CODES.CHECKS_FAILED.exitCode
    return result
  }

  private async confirm(fix: PlannedFix): Promise<boolean> {
    const {confirm} = await import('@inquirer/prompts')
    return confirm(
      {message: `Fix ${fix.checks.join(', ')} with: ${formatCommand(fix.command)}?`, default: true},
      {output: process.stderr},
    )
  }

  private render(result: DiagnoseResult): string {
    const {style} = this
    const verbose = this.flags.verbose
    const fancy = this.terminal.color
    const mark = (check: CheckResult) => {
      if (check.skipped) return fancy ? style.dim('-') : '[skip]'
      if (check.status === 'pass') return fancy ? style.green('✓') : '[ok]  '
      if (check.status === 'warn') return fancy ? style.yellow('!') : '[warn]'
      return fancy ? style.red('✗') : '[FAIL]'
    }
    const lines: string[] = []
    const dryRun = result.fixes?.some((fix) => fix.outcome === 'planned') ?? false
    if (result.fixes && result.fixes.length > 0) {
      lines.push(style.bold(dryRun ? 'Fixes that --fix would apply (--dry-run: nothing was changed)' : 'Fixes'))
      for (const fix of result.fixes) {
        const symbol = fancy
          ? {
              applied: style.green('✓'),
              failed: style.red('✗'),
              declined: style.dim('-'),
              planned: style.cyan('•'),
            }[fix.outcome]
          : {applied: '[done]', failed: '[FAIL]', declined: '[skip]', planned: '[plan]'}[fix.outcome]
        lines.push(`  ${symbol} ${formatCommand(fix.command)}: ${fix.message}`)
      }
      if (dryRun) lines.push('')
      else lines.push('', style.dim('Checked again after the fixes:'), '')
    }
    for (const [category, title] of Object.entries(CATEGORY_TITLES)) {
      const checks = result.checks.filter((check) => check.category === category)
      if (checks.length === 0) continue
      lines.push(style.bold(title))
      for (const check of checks) {
        const timing = verbose ? style.dim(`  (${check.id}, ${check.durationMs} ms)`) : ''
        lines.push(`  ${mark(check)} ${check.message}${timing}`)
        // A problem always shows its details and fix; a passing check only with --verbose.
        if (verbose || check.status !== 'pass')
          for (const detail of check.details) lines.push(style.dim(`      ${detail}`))
        if (check.fix && check.status !== 'pass') {
          const autoFixHint = check.autoFix && !result.fixes ? style.dim('   (--fix applies it)') : ''
          lines.push(`      ${style.cyan('fix:')} ${formatCommand(check.fix)}${autoFixHint}`)
        }
      }
      lines.push('')
    }
    const {pass, warn, fail, skipped} = result.summary
    const counts = [
      `${pass} passed`,
      `${warn} warning${warn === 1 ? '' : 's'}${skipped > 0 ? ` (${skipped} not checked)` : ''}`,
      `${fail} failed`,
    ]
    const colour = fail > 0 ? style.red : warn > 0 ? style.yellow : style.green
    const {before} = result
    const beforeFixes = before
      ? style.dim(` (before the fixes: ${before.fail} failed, ${before.warn} warning${before.warn === 1 ? '' : 's'})`)
      : ''
    lines.push(`${colour(counts.join(', '))} ${style.dim(`in ${result.durationMs} ms`)}${beforeFixes}`)
    const fixable = new Set(
      result.checks.filter((check) => check.status !== 'pass' && check.autoFix).map((check) => check.fix),
    ).size
    if (fixable > 0 && !result.fixes)
      lines.push(
        `${fixable === 1 ? 'One fix' : `${fixable} fixes`} can be applied for you: ${formatCommand('storybook diagnose --fix')}`,
      )
    return lines.join('\n')
  }
}
