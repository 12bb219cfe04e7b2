// The command_not_found hook. On a terminal, @oclif/plugin-not-found runs next and offers to run
// the closest command; where nobody can answer (a pipe, CI) this hook names it and stops there.
import {Errors, toConfiguredId, type Hook} from '@oclif/core'
import {closestMatch} from '../text/closest.js'

export const commandNotFound: Hook<'command_not_found'> = async function (options) {
  if (process.stdin.isTTY) return
  const visible = options.config.commands.filter((command) => !command.hidden)
  const ids = [...visible.map((command) => command.id), ...visible.flatMap((command) => command.aliases)]
  const suggestion = closestMatch(options.id, ids)
  const bin = options.config.bin
  // plugin-not-found has already warned that the command does not exist; add what to type instead.
  const message = suggestion
    ? `Did you mean "${toConfiguredId(suggestion, options.config)}"?\nNext: ${bin} ${toConfiguredId(suggestion, options.config)} --help`
    : `Next: ${bin} --help lists the commands`
  throw new Errors.CLIError(message, {exit: 127})
}
