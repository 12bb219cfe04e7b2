import {Flags} from '@oclif/core'
import {BaseCommand} from '../../core/cli/base-command.js'
import type {DatabaseConfig} from '../../core/config/load.js'
import {StorybookError} from '../../core/errors.js'
import type {DbResetResult} from '../../services/db.js'
import type {StartedService} from '../../services/start-services.js'

/** What reset did, or that the question was answered No (a clean cancel, exit 0). */
export type DbResetOutcome = (DbResetResult & {cancelled: false; restarted: StartedService[]}) | {cancelled: true}

export default class DbReset extends BaseCommand<typeof DbReset> {
  static override summary = 'Drop every table and migrate again (asks first, or --yes)'
  static override description =
    'Deletes all data. Take a backup first if it matters: storybook db backup. Answering No changes nothing ' +
    'and exits 0. Refuses while a service that uses the database runs (storybook stop api first); --force ' +
    'stops it gracefully, resets, and starts it again in the background on the port it ran on.'

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Asks before deleting everything'},
    {
      command: '<%= config.bin %> <%= command.id %> --yes && <%= config.bin %> db seed',
      description: 'A fresh demo database',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --yes --force',
      description: 'Reset while the API runs: it is stopped for the reset and started again',
    },
  ]

  static override enableJsonFlag = true
  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Do not ask'}),
    force: Flags.boolean({description: 'Stop the services that use the database, reset, and start them again'}),
  }

  public async run(): Promise<DbResetOutcome> {
    const {resetDatabase} = await import('../../services/db.js')
    const {databaseGuard} = await import('../../services/db-guard.js')
    const {createServicesContext} = await import('../../services/service-runtime.js')
    const config = await this.loadConfig()
    const guard = databaseGuard({
      context: createServicesContext({config, toolkitRoot: this.config.root, env: process.env}),
      action: 'reset',
      command: `storybook db reset${this.flags.yes ? ' --yes' : ''}`,
      force: this.flags.force,
      onProgress: (message) => this.note(message),
    })
    // Refused before the question: a Yes must not lead to "refusing".
    await guard.check()
    if (!this.flags.yes && !(await this.confirmed(config.database))) {
      this.print('Nothing changed.')
      return {cancelled: true}
    }
    const {result, restarted} = await guard.run(() => resetDatabase({config}))
    if (result.damagedCopy)
      this.note(this.style.yellow(`The old database could not be opened; it was moved to ${result.damagedCopy}.`))
    const tables = `${result.dropped.length} table${result.dropped.length === 1 ? '' : 's'}`
    this.print(`Dropped ${tables} and applied ${result.migrate.applied.length} migrations.`)
    for (const service of restarted)
      this.print(`${service.name} started again on http://127.0.0.1:${service.port} (PID ${service.pid}).`)
    return {...result, cancelled: false, restarted}
  }

  /** Asks on a terminal; elsewhere --yes is needed. Ctrl-C at the question is an interruption (exit 130). */
  private async confirmed(database: DatabaseConfig): Promise<boolean> {
    if (!this.terminal.interactive || this.jsonEnabled()) {
      throw new StorybookError('USAGE', 'db reset deletes all data and needs confirmation.', {
        next: ['storybook db reset --yes'],
      })
    }
    const {confirm} = await import('@inquirer/prompts')
    const target = database.dialect === 'sqlite' ? database.file : 'the PostgreSQL database'
    return confirm({message: `Delete every table in ${target}?`, default: false}, {output: process.stderr})
  }
}
