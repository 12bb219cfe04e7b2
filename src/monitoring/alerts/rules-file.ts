// The project's alert rules: the defaults (rules.ts), changed by src/monitoring/alert-rules.json when the
// team keeps one: {"rules": [...]} replaces defaults of the same name and adds new ones, {"disable":
// ["backup-old"]} turns defaults off, {"routing": {"groupWaitMs": 2000, ...}} changes how notifications
// are grouped and repeated. A file that is not valid stops the dashboard with every problem.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {StorybookError} from '../../core/errors.js'
import {DEFAULT_ROUTING, type RoutingOptions} from './dispatcher.js'
import {DEFAULT_RULES, validateRules, type AlertRule} from './rules.js'

export const RULES_FILE = join('src', 'monitoring', 'alert-rules.json')

export interface EffectiveRule extends AlertRule {
  source: 'default' | 'file'
}

export interface AlertConfig {
  rules: EffectiveRule[]
  routing: RoutingOptions
  /** The project's file, when there is one. */
  file?: string
}

const ROUTING_TIMES = ['groupWaitMs', 'groupIntervalMs', 'repeatIntervalMs'] as const
const GROUP_LABELS: ReadonlyArray<string> = ['rule', 'instance', 'severity']

interface RulesFile {
  rules?: unknown
  disable?: unknown
  routing?: Partial<Record<keyof RoutingOptions, unknown>>
}

export async function loadAlertConfig(root: string): Promise<AlertConfig> {
  const file = join(root, RULES_FILE)
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw new StorybookError('FILE_SYSTEM', `Cannot read ${file}: ${error.message}`)
  })
  const defaults = DEFAULT_RULES.map((rule) => ({...rule, source: 'default' as const}))
  if (text === undefined) return {rules: defaults, routing: DEFAULT_ROUTING}
  let parsed: RulesFile
  try {
    parsed = JSON.parse(text) as RulesFile
  } catch (error) {
    throw invalid(file, [`not JSON: ${(error as Error).message}`])
  }
  const {rules, problems} = validateRules(parsed.rules ?? [])
  const disable = parsed.disable ?? []
  const routing = {...DEFAULT_ROUTING, ...parsed.routing}
  const messages = [
    ...problems.map((problem) => `${problem.rule}: ${problem.field} must be ${problem.problem}`),
    ...(Array.isArray(disable)
      ? disable
          .filter((name) => !DEFAULT_RULES.some((rule) => rule.name === name))
          .map((name) => `disable: ${String(name)} is not a default rule`)
      : ['disable must be a list of rule names']),
    ...ROUTING_TIMES.filter((key) => !(Number.isInteger(routing[key]) && (routing[key] as number) >= 0)).map(
      (key) => `routing: ${key} must be a whole number of milliseconds`,
    ),
    ...(Array.isArray(routing.groupBy) && routing.groupBy.every((label) => GROUP_LABELS.includes(label as string))
      ? []
      : [`routing: groupBy must list some of ${GROUP_LABELS.join(', ')}`]),
  ]
  if (messages.length > 0) throw invalid(file, messages)
  const own = new Map(rules.map((rule) => [rule.name, {...rule, source: 'file' as const}]))
  return {
    rules: [
      ...defaults
        .filter((rule) => !(disable as string[]).includes(rule.name))
        .map((rule) => own.get(rule.name) ?? rule),
      ...[...own.values()].filter((rule) => !DEFAULT_RULES.some((known) => known.name === rule.name)),
    ],
    routing: routing as RoutingOptions,
    file,
  }
}

function invalid(file: string, problems: string[]): StorybookError {
  return new StorybookError(
    'CONFIG_INVALID',
    `${file} is not valid:\n${problems.map((line) => `  ${line}`).join('\n')}`,
    {
      details: {file, problems},
      next: ['storybook alerts list   # shows the rules in effect once the file is valid'],
    },
  )
}
