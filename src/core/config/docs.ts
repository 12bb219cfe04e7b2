// The configuration reference as a Markdown table, generated from the schema (README keeps a copy
// that a test compares with this).
import {ERROR_CODES, type ErrorCode} from '../errors.js'
import {describeDefault, VARIABLES} from './schema.js'

export function renderConfigTable(): string {
  const escape = (text: string) => text.replaceAll('|', '\\|')
  const rows = VARIABLES.map((spec) => {
    const notes = [spec.secret ? 'secret' : '', spec.environmentOnly ? 'environment only' : '']
      .filter(Boolean)
      .join(', ')
    const fallback = describeDefault(spec)
    const cells = [
      `\`${spec.key}\``,
      escape(spec.description),
      fallback ? `\`${escape(fallback)}\`` : '(none)',
      `\`${escape(spec.example)}\``,
      escape(spec.rule),
      notes,
    ]
    return `| ${cells.join(' | ')} |`
  })
  return [
    '| Variable | What it is | Default | Example | Rule | Notes |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

/** Exit codes as a Markdown table, from the error codes (plus success and unknown command). */
export function renderExitCodeTable(): string {
  const byExit = new Map<number, string[]>()
  for (const [code, {exitCode}] of Object.entries(ERROR_CODES))
    byExit.set(exitCode, [...(byExit.get(exitCode) ?? []), code])
  const rows: Array<[number, string]> = [
    [0, '| 0 | — | Success |'],
    ...[...byExit.entries()].map(([exitCode, codes]): [number, string] => {
      const meaning = codes.map((code) => ERROR_CODES[code as ErrorCode].summary).join('; ')
      return [exitCode, `| ${exitCode} | ${codes.map((code) => `\`${code}\``).join(', ')} | ${meaning} |`]
    }),
  ]
  const sorted = rows.sort(([a], [b]) => a - b).map(([, row]) => row)
  return ['| Exit code | Error codes | Meaning |', '| --- | --- | --- |', ...sorted].join('\n')
}
