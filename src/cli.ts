// The CLI's single entry: every command, exported for oclif's explicit discovery, and `run`,
// which bin/run.js calls. Bundled into dist/cli.cjs so that start-up loads one file.
import {execute, settings} from '@oclif/core'

export {commandNotFound, StorybookHelp} from './core/cli/command-not-found.js'
/** For the benchmark of the port-owner lookup. */
export {currentPlatform} from './core/process/platform/index.js'

/**
 * Every command, loaded on first use: oclif reads names, flags and help from the manifest, so a
 * run initialises only the command it runs (and --help none of them).
 */
export const COMMANDS = {
  get 'alerts:ack'() {
    return (require('./commands/alerts/ack.js') as {default: unknown}).default
  },
  get 'alerts:list'() {
    return (require('./commands/alerts/list.js') as {default: unknown}).default
  },
  get 'alerts:silence'() {
    return (require('./commands/alerts/silence.js') as {default: unknown}).default
  },
  get 'alerts:test'() {
    return (require('./commands/alerts/test.js') as {default: unknown}).default
  },
  get 'db:backup'() {
    return (require('./commands/db/backup.js') as {default: unknown}).default
  },
  get 'db:migrate'() {
    return (require('./commands/db/migrate.js') as {default: unknown}).default
  },
  get 'db:new'() {
    return (require('./commands/db/new.js') as {default: unknown}).default
  },
  get 'db:repair'() {
    return (require('./commands/db/repair.js') as {default: unknown}).default
  },
  get 'db:reset'() {
    return (require('./commands/db/reset.js') as {default: unknown}).default
  },
  get 'db:restore'() {
    return (require('./commands/db/restore.js') as {default: unknown}).default
  },
  get 'db:rollback'() {
    return (require('./commands/db/rollback.js') as {default: unknown}).default
  },
  get 'db:seed'() {
    return (require('./commands/db/seed.js') as {default: unknown}).default
  },
  get 'db:status'() {
    return (require('./commands/db/status.js') as {default: unknown}).default
  },
  get diagnose() {
    return (require('./commands/diagnose.js') as {default: unknown}).default
  },
  get 'env:check'() {
    return (require('./commands/env/check.js') as {default: unknown}).default
  },
  get 'env:setup'() {
    return (require('./commands/env/setup.js') as {default: unknown}).default
  },
  get 'env:show'() {
    return (require('./commands/env/show.js') as {default: unknown}).default
  },
  get 'integrate-migrations'() {
    return (require('./commands/integrate-migrations.js') as {default: unknown}).default
  },
  get logs() {
    return (require('./commands/logs.js') as {default: unknown}).default
  },
  get monit() {
    return (require('./commands/monit.js') as {default: unknown}).default
  },
  get restart() {
    return (require('./commands/restart.js') as {default: unknown}).default
  },
  get 'setup-project'() {
    return (require('./commands/setup-project.js') as {default: unknown}).default
  },
  get start() {
    return (require('./commands/start.js') as {default: unknown}).default
  },
  get status() {
    return (require('./commands/status.js') as {default: unknown}).default
  },
  get stop() {
    return (require('./commands/stop.js') as {default: unknown}).default
  },
}

export async function run(binDir: string, argv?: string[]): Promise<void> {
  // Commands are prebuilt; never look for TypeScript sources (which costs time and can pick stale code).
  settings.enableAutoTranspile = false
  await execute({dir: binDir, ...(argv ? {args: argv} : {})})
}
