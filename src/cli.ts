// The CLI's single entry: every command, exported for oclif's explicit discovery, and `run`,
// which bin/run.js calls. Bundled into dist/cli.cjs so that start-up loads one file.
import {execute, settings} from '@oclif/core'
export {commandNotFound} from './core/cli/command-not-found.js'
import EnvCheck from './commands/env/check.js'
import EnvSetup from './commands/env/setup.js'
import EnvShow from './commands/env/show.js'

export const COMMANDS = {
  'env:check': EnvCheck,
  'env:setup': EnvSetup,
  'env:show': EnvShow,
}

export async function run(binDir: string): Promise<void> {
  // Commands are prebuilt; never look for TypeScript sources (which costs time and can pick stale code).
  settings.enableAutoTranspile = false
  await execute({dir: binDir})
}
