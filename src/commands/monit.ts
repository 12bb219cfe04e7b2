import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../core/cli/base-command.js'
import {formatCommand} from '../core/cli/invocation.js'
import {toLenientConfig} from '../core/config/load.js'
import {UsageError} from '../core/errors.js'
import type {MonitoringHistory} from '../monitoring/history.js'
import {readHistory} from '../services/alerts.js'
import {plainLines, renderScreen} from '../services/monit/render.js'
import {runPlainLoop, type MonitSample} from '../services/monit/plain.js'
import {MonitSampler} from '../services/monit/sampler.js'
import {runTerminalLoop} from '../services/monit/terminal.js'

const MONIT = '<%= config.bin %> <%= command.id %>'

export default class Monit extends BaseCommand<typeof Monit> {
  static override summary = 'Watch every service live in the terminal: CPU, memory, restarts, health, logs, alerts'
  static override description =
    'Like pm2 monit. On a terminal: a full-screen view of every service (state, PID, CPU, memory, restarts, health ' +
    'latency, sparklines of CPU and memory), the last log lines of the selected service and the open alerts, ' +
    'refreshed every --interval seconds; ↑/↓ or j/k select a service, q or Ctrl-C quits. The sparklines show the ' +
    "dashboard's last minute when it has been collecting (storybook start dashboard), else what monit sampled " +
    'since it started. NO_COLOR or --no-color drops the colours (▶ marks the selected service). Off a terminal (or with ' +
    '--no-tty, or TERM=dumb): one plain line per service per round, no escape codes.'

  static override examples = [
    {command: MONIT, description: 'The live view; q quits'},
    {command: `${MONIT} --no-tty --interval 5`, description: 'A plain line per service every 5 seconds, for a log'},
    {command: `${MONIT} --count 3 | grep api`, description: 'Three rounds, then stop'},
    {
      command: `${MONIT} --json --count 5`,
      description:
        'One document after 5 rounds: {"samples":[{"time","services":[…as status --json],"alerts","trendSource"}]}',
    },
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'Services to watch (default: all)', required: false})}
  static override flags = {
    interval: Flags.integer({description: 'Seconds between rounds', default: 1, min: 1}),
    count: Flags.integer({description: 'Stop after this many rounds (default: until q or Ctrl-C)', min: 1}),
    tty: Flags.boolean({
      allowNo: true,
      description: 'The full-screen view (default: when stdin and stdout are terminals)',
    }),
  }

  public async run(): Promise<{samples: MonitSample[]} | undefined> {
    const json = this.jsonEnabled()
    if (json && this.flags.count === undefined)
      throw new UsageError('--json prints one document at the end, so it needs --count.', {
        next: ['storybook monit --json --count 5', 'storybook monit --no-tty'],
      })
    const {createServicesContext, lastLogLines, selectServices, servicesStatus, stateOnlyConfigWarning} =
      await import('../services/services.js')
    const {config, invalid} = toLenientConfig(await this.loadEnvironment({allowMissingEnvFile: true}))
    const warning = stateOnlyConfigWarning(invalid)
    if (warning) this.note(`${warning} (${formatCommand('storybook env check')})`)
    const context = createServicesContext({config, toolkitRoot: this.config.root, env: process.env})
    const services = selectServices(this.positional, {withOptional: true})
    const {default: Database} = await import('better-sqlite3')
    let history: MonitoringHistory | undefined
    const sampler = new MonitSampler({
      statuses: () => servicesStatus(context, services),
      history: () => (history ??= readHistory(config, (file, options) => new Database(file, options))),
      logLines: (service, count) => lastLogLines(config, service, count),
      now: Date.now,
    })
    try {
      const tty =
        this.flags.tty ?? (Boolean(process.stdout.isTTY && process.stdin.isTTY) && process.env.TERM !== 'dumb')
      if (tty && !json) {
        await runTerminalLoop({
          io: {input: process.stdin, output: process.stdout},
          intervalMs: this.flags.interval * 1_000,
          ...(this.flags.count === undefined ? {} : {count: this.flags.count}),
          round: (selected) => sampler.round(selected),
          draw: (round, selected, size) => renderScreen(round, {selected, ...size, style: this.style}),
        })
        return undefined
      }
      const samples: MonitSample[] = []
      await runPlainLoop({
        round: () => sampler.round(undefined),
        onRound: ({time, services, alerts, trendSource}) => {
          if (json) samples.push({time, services, alerts, trendSource})
          else this.print(plainLines({time, services, alerts}).join('\n'))
        },
        intervalMs: this.flags.interval * 1_000,
        ...(this.flags.count === undefined ? {} : {count: this.flags.count}),
        signals: process,
      })
      return {samples}
    } finally {
      history?.close()
    }
  }
}
