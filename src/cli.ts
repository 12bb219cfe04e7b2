// The CLI's single entry: every command, exported for oclif's explicit discovery, and `run`,
// which bin/run.js calls. Bundled into dist/cli.cjs so that start-up loads one file.
import {execute, settings} from '@oclif/core'
import DbBackup from './commands/db/backup.js'
import DbMigrate from './commands/db/migrate.js'
import DbNew from './commands/db/new.js'
import DbRepair from './commands/db/repair.js'
import DbReset from './commands/db/reset.js'
import DbRestore from './commands/db/restore.js'
import DbRollback from './commands/db/rollback.js'
import DbSeed from './commands/db/seed.js'
import DbStatus from './commands/db/status.js'
import EnvCheck from './commands/env/check.js'
import EnvSetup from './commands/env/setup.js'
import EnvShow from './commands/env/show.js'
import IntegrateMigrations from './commands/integrate-migrations.js'
import Logs from './commands/logs.js'
import Restart from './commands/restart.js'
import SetupProject from './commands/setup-project.js'
import Start from './commands/start.js'
import Status from './commands/status.js'
import Stop from './commands/stop.js'

export {commandNotFound} from './core/cli/command-not-found.js'

export const COMMANDS = {
  'db:backup': DbBackup,
  'db:migrate': DbMigrate,
  'db:new': DbNew,
  'db:repair': DbRepair,
  'db:reset': DbReset,
  'db:restore': DbRestore,
  'db:rollback': DbRollback,
  'db:seed': DbSeed,
  'db:status': DbStatus,
  'env:check': EnvCheck,
  'env:setup': EnvSetup,
  'env:show': EnvShow,
  'integrate-migrations': IntegrateMigrations,
  logs: Logs,
  restart: Restart,
  'setup-project': SetupProject,
  start: Start,
  status: Status,
  stop: Stop,
}

export async function run(binDir: string, argv?: string[]): Promise<void> {
  // Commands are prebuilt; never look for TypeScript sources (which costs time and can pick stale code).
  settings.enableAutoTranspile = false
  await execute({dir: binDir, ...(argv ? {args: argv} : {})})
}
