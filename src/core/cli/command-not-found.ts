// The command_not_found hook. On a terminal, @oclif/plugin-not-found offers to run the closest
// command; where nobody can answer (a pipe, CI) this hook names it, and under --json it prints
// the error document, so scripts get the same contract as from any command.
import {Errors, toConfiguredId, type Hook} from '@oclif/core'
import {StorybookError, toErrorDocument} from '../errors.js'
import {closestMatch} from '../text/closest.js'

export const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const json = (options.argv ?? []).includes('--json') || process.argv.includes('--json')
  if (process.stdin.isTTY && !json) return
  const visible = options.config.commands.filter((command) => !command.hidden)
  const ids = [...visible.map((command) => command.id), ...visible.flatMap((command) => command.aliases)]
  const suggestion = closestMatch(options.id, ids)
  const bin = options.config.bin
  const typed = toConfiguredId(options.id, options.config)
  const suggested = suggestion ? toConfiguredId(suggestion, options.config) : undefined
  const error = new StorybookError('UNKNOWN_COMMAND', `"${typed}" is not a ${bin} command.${suggested ? ` Did you mean "${suggested}"?` : ''}`, {
    next: [suggested ? `${bin} ${suggested} --help` : `${bin} --help`],
    details: {command: typed, ...(suggested ? {suggestion: suggested} : {})},
  })
  if (json) {
    process.stdout.write(`${JSON.stringify(toErrorDocument(error), null, 2)}\n`)
    Errors.exit(error.exitCode)
  }
  // plugin-not-found has already warned that the command does not exist; add what to type instead.
  throw new Errors.CLIError(`${suggested ? `Did you mean "${suggested}"?\n` : ''}Next: ${error.next[0]}`, {exit: error.exitCode})
}
