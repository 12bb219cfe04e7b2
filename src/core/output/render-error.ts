// Renders a StorybookError for people: what happened, why, and what to type next.
import type {ChalkInstance} from 'chalk'
import type {StorybookError} from '../errors.js'

export function renderError(error: StorybookError, options: {style: ChalkInstance; debug: boolean}): string {
  const {style} = options
  const lines = [`${style.red.bold('Error')} ${style.dim(`[${error.code}]`)} ${error.message}`]
  if (error.reason) lines.push(`${style.bold('Why:')} ${error.reason}`)
  if (error.next.length > 0) {
    lines.push(style.bold('Next:'))
    for (const step of error.next) lines.push(`  ${style.cyan(step)}`)
  }
  if (error.code === 'INTERNAL' && !options.debug) {
    lines.push(style.dim('This looks like a bug in storybook. Run again with --verbose for the stack trace.'))
  }
  if (options.debug && error.stack) {
    lines.push(style.dim(error.stack))
    const cause = error.cause
    if (cause instanceof Error && cause.stack) lines.push(style.dim(`Caused by: ${cause.stack}`))
  }
  return lines.join('\n')
}
