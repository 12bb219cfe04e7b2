// Services: no stale state files, each service's port free or held by that service, each running
// service healthy (with its latency), and a writable log directory of a sensible size.
import {access, constants, readdir, rm, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {isPortOpen, probeHttp} from '../../../core/process/port-probe.js'
import {SERVICES, type ServiceSpec} from '../../../core/process/registry.js'
import {LOG_KEEP} from '../../../core/process/rotating-log.js'
import {listStateFiles, stateFile} from '../../../core/process/state.js'
import {portHolder, treeHoldsPort} from '../../service-runtime.js'
import type {Check, CheckOutcome} from '../check.js'
import {applyLogCleanup, planLogCleanup, type CleanupResult} from '../log-trim.js'
import type {DiagnoseContext} from '../context.js'
import {formatBytes} from '../../../core/output/bytes.js'
import {commandPath, displayPath, nearestExisting} from './paths.js'

const LOG_DIRECTORY_LIMIT = 200 * 1024 * 1024

const stateFilesCheck: Check = {
  id: 'services.state-files',
  title: 'state files',
  category: 'services',
  budgetMs: 3_000,
  needs: ['STORYBOOK_STATE_DIR'],
  run: async (context) => {
    const {config} = context
    const notFolder = await notADirectory(config.state.run)
    if (notFolder) return notFolder(context, 'storybook cannot record what it starts')
    const names = await listStateFiles(config.state.run)
    const isKnown = (name: string) => SERVICES.some((service) => service.name === name)
    const stale: StaleRecord[] = []
    const strays: string[] = []
    for (const name of names) {
      const live = await context.liveState(name)
      if (live.kind === 'stale')
        stale.push({
          name,
          reason: live.reason,
          orphaned: isKnown(name) && live.orphan !== null && live.state !== undefined,
        })
      else if (isKnown(name)) continue
      else if (live.kind === 'ours')
        strays.push(`${name}: no service has that name any more, but its PID ${live.state.supervisor.pid} still runs`)
      else stale.push({name, reason: 'no service has that name any more', orphaned: false})
    }
    if (stale.length === 0 && strays.length === 0) {
      return {
        status: 'pass',
        message:
          names.length === 0
            ? 'no state files (nothing running)'
            : `${names.length} state file${names.length === 1 ? '' : 's'}, each of a live process`,
      }
    }
    if (stale.length === 0)
      return {
        status: 'warn',
        message: `state of a service that no longer exists: ${strays.join('; ')}`,
        fix: {command: 'storybook status'},
      }
    return staleStateOutcome(context, stale, strays)
  },
}

type StaleRecord = {name: string; reason: string; orphaned: boolean}

/**
 * Stale records, and the one fix for them all: restart what still serves without its supervisor,
 * stop (clear) the records of known services, remove the files of services that no longer exist.
 */
function staleStateOutcome(context: DiagnoseContext, stale: StaleRecord[], strays: string[]): CheckOutcome {
  const {config, cwd} = context
  const isKnown = (name: string) => SERVICES.some((service) => service.name === name)
  const known = stale.filter((entry) => isKnown(entry.name)).map((entry) => entry.name)
  // A service still serving without its supervisor is restarted (under one), not stopped: the
  // port and health checks say the same, and one fix answers all three.
  const orphaned = stale.filter((entry) => entry.orphaned).map((entry) => entry.name)
  const dead = known.filter((name) => !orphaned.includes(name))
  const unknownFiles = stale
    .filter((entry) => !isKnown(entry.name))
    .map((entry) => stateFile(config.state.run, entry.name))
  const restart = orphaned.length > 0 ? restartFix(context, orphaned) : undefined
  const commands = [
    ...(restart ? [restart.command] : []),
    ...(dead.length > 0 ? [`storybook stop ${dead.join(' ')}`] : []),
    ...(unknownFiles.length > 0 ? [`rm ${unknownFiles.map((file) => commandPath(cwd, file)).join(' ')}`] : []),
  ]
  const details = [
    ...stale.map(
      (entry) => `${displayPath(context.report.root, stateFile(config.state.run, entry.name))}: ${entry.reason}`,
    ),
    ...strays,
    ...(orphaned.length > 0
      ? [
          `Without its supervisor nothing restarts ${orphaned.join(', ')} if it crashes, and its log is not written: ` +
            'restart stops it (its identity proved) and starts it again under one.',
        ]
      : []),
    'Removing a stale file signals nothing, except a service that its recorded identity proves storybook started.',
  ]
  const staleNames = stale.map((entry) => entry.name).join(', ')
  const one = orphaned.length === 1
  const staleFiles = `stale state file${stale.length === 1 ? '' : 's'}`
  return {
    // Only a service that serves without its supervisor: a warning, as its port and health checks say.
    status: orphaned.length === stale.length && strays.length === 0 ? 'warn' : 'fail',
    message:
      orphaned.length === stale.length
        ? `${orphaned.join(', ')} ${one ? 'runs' : 'run'} without ${one ? 'its supervisor' : 'their supervisors'} (${staleFiles})`
        : `${staleFiles}: ${staleNames}`,
    details,
    fix: {
      command: commands.join(' && '),
      apply: async () => {
        const {stopServices} = await import('../../stop-services.js')
        const services = SERVICES.filter((service) => dead.includes(service.name))
        // stop on a stale record removes it, and stops only an orphan whose identity proves it is ours.
        const timeoutMs = config.shutdownGraceMs + 2_000
        if (services.length > 0) await stopServices(context.services, services, {timeoutMs, force: false})
        for (const file of unknownFiles) await rm(file, {force: true, recursive: true})
        const restarted = restart ? [await restart.apply()] : []
        const removed = [...dead, ...unknownFiles.map((file) => basename(file, '.json'))]
        return [...restarted, ...(removed.length > 0 ? [`removed the stale state of ${removed.join(', ')}`] : [])].join(
          '; ',
        )
      },
    },
  }
}

/**
 * `storybook restart <services>` for services that serve without their supervisor: each orphan is
 * stopped once its recorded identity proves it is ours, then started again under a supervisor on
 * the port it ran on (adopting it is not possible: its output went to the supervisor that died).
 */
function restartFix(context: DiagnoseContext, names: string[]): {command: string; apply: () => Promise<string>} {
  return {
    command: `storybook restart ${names.join(' ')}`,
    apply: async () => {
      const [{stopServices}, {startServices}] = await Promise.all([
        import('../../stop-services.js'),
        import('../../start-services.js'),
      ])
      const services = SERVICES.filter((service) => names.includes(service.name))
      const ports: Record<string, number> = {}
      for (const service of services) {
        const live = await context.liveState(service.name)
        if (live.kind === 'stale' && live.state) ports[service.name] = live.state.port
      }
      const timeoutMs = context.config.shutdownGraceMs + 2_000
      const stopped = await stopServices(context.services, services, {timeoutMs, force: false})
      const started = await startServices(context.services, services, {ports})
      return started
        .map((service) => {
          const old = stopped.find((entry) => entry.name === service.name)?.pid
          const orphanStopped = old ? `; the orphan, PID ${old}, was stopped` : ''
          return `restarted ${service.name} under a supervisor on port ${service.port} (PID ${service.pid ?? '?'}${orphanStopped})`
        })
        .join('; ')
    },
  }
}

/**
 * A state folder that is a file (or something else) where a directory should be: the check's
 * answer, or undefined when it is a directory or does not exist yet.
 */
async function notADirectory(
  path: string,
): Promise<((context: DiagnoseContext, consequence: string) => CheckOutcome) | undefined> {
  const found = await stat(path).catch(() => undefined)
  if (!found || found.isDirectory()) return undefined
  return (context, consequence) => {
    const here = commandPath(context.cwd, path)
    return {
      status: 'fail',
      message: `${displayPath(context.report.root, path)} is a file, not a directory: ${consequence}`,
      fix: {command: `mv ${here} ${here}.bak`},
    }
  }
}

/** The first port from `port` up that nothing listens on (a suggestion to type, so it is checked first). */
async function freePortNear(port: number): Promise<number> {
  for (let candidate = port + 1; candidate < Math.min(port + 50, 65_536); candidate++) {
    if (!(await isPortOpen('127.0.0.1', candidate, 100))) return candidate
  }
  return port + 1
}

function portCheck(service: ServiceSpec): Check {
  return {
    id: `services.${service.name}.port`,
    title: `${service.name} port`,
    category: 'services',
    budgetMs: 3_000,
    needs: [service.portVariable, 'STORYBOOK_STATE_DIR'],
    run: async (context) => {
      const live = await context.liveState(service.name)
      const port = live.kind === 'ours' ? live.state.port : service.port(context.config)
      const same = live.kind === 'ours' ? [] : portClash(context, service.portVariable, port)
      if (same.length > 0) {
        const {other, command} = await movePortFix(context, service.portVariable, port)
        return {
          status: 'fail',
          message: `port ${port} (${service.portVariable}) is also ${same.join(' and ')}`,
          details: [`Two services cannot listen on one port; ${other} is free.`],
          fix: {command},
        }
      }
      const owner = await portHolder(context.services, port)
      if (!owner) return {status: 'pass', message: `port ${port} (${service.portVariable}) is free`}
      if (live.kind === 'ours' && live.child && (await treeHoldsPort(context.services, live.child, port))) {
        return {
          status: 'pass',
          message: `port ${port} is held by ${service.name} (PID ${live.child.pid}), started by storybook`,
        }
      }
      const orphanInfo =
        live.kind === 'stale' && live.orphan
          ? await context.services.platform.processes.processInfo(live.orphan.pid)
          : undefined
      if (orphanInfo && (await treeHoldsPort(context.services, orphanInfo, port))) {
        return {
          status: 'warn',
          message: `port ${port} is held by ${service.name} (PID ${owner.pid}), started by storybook, whose supervisor is gone`,
          details: ['Nothing restarts it if it crashes, and its log is no longer written.'],
          fix: restartFix(context, [service.name]),
        }
      }
      const who = owner ? `PID ${owner.pid} (${owner.command})` : 'a process of another user'
      const other = await freePortNear(port)
      const variable = context.report.variables.find((entry) => entry.spec.key === service.portVariable)
      return {
        status: 'fail',
        message: `port ${port} (${service.portVariable}) is held by ${who}, not started by storybook`,
        details: [
          `${service.name} cannot start while it is taken. ` +
            `Either stop that process or move ${service.name} to another port (${other} is free).`,
          ...(owner ? [`To stop it: storybook stop ${service.name} --force   # stops PID ${owner.pid}`] : []),
        ],
        // A value from the environment wins over .env, so the fix goes where the value comes from.
        fix: {
          command:
            variable?.source === 'environment'
              ? `export ${service.portVariable}=${other}`
              : `storybook env setup --set ${service.portVariable}=${other}`,
        },
      }
    },
  }
}

function healthCheck(service: ServiceSpec): Check {
  return {
    id: `services.${service.name}.health`,
    title: `${service.name} health`,
    category: 'services',
    budgetMs: 3_000,
    needs: ['STORYBOOK_STATE_DIR'],
    run: async (context): Promise<CheckOutcome> => {
      const live = await context.liveState(service.name)
      if (live.kind === 'stale' && live.orphan && live.state) {
        const answer = await probeHttp(`http://127.0.0.1:${live.state.port}${service.healthPath}`, 2_000)
        const answers = answer.ok ? 'answers' : 'does not answer'
        return {
          status: 'warn',
          message: `${service.name} (PID ${live.orphan.pid}) ${answers} ${service.healthPath}, but runs without its supervisor`,
          fix: restartFix(context, [service.name]),
        }
      }
      if (live.kind === 'stopped' || live.kind === 'stale')
        return {status: 'pass', message: `${service.name} is not running`}
      if (live.kind === 'crashed') {
        const {lastExit} = live.state
        return {
          status: 'fail',
          message: `${service.name} crashed and was given up: ${live.state.reason ?? 'no reason kept'}`,
          details: [
            lastExit
              ? `last exit: code ${lastExit.code ?? '-'}, signal ${lastExit.signal ?? '-'}, at ${lastExit.at}`
              : 'no exit recorded',
          ],
          fix: {command: `storybook logs ${service.name} -n 50   # then: storybook start ${service.name}`},
        }
      }
      const url = `http://127.0.0.1:${live.state.port}${service.healthPath}`
      const started = performance.now()
      const answer = await probeHttp(url, 2_000)
      const latency = Math.round((performance.now() - started) * 10) / 10
      const pid = live.child?.pid ?? live.state.supervisor.pid
      const dropped = live.state.logDropped?.lines
        ? [
            `Its supervisor dropped ${live.state.logDropped.lines} log lines (${live.state.logDropped.error}): is the disk full?`,
          ]
        : []
      if (answer.ok && dropped.length > 0) {
        return {
          status: 'warn',
          message: `${service.name} (PID ${pid}) answers, but its log is not being written`,
          details: dropped,
          fix: {command: `df -h ${commandPath(context.cwd, context.config.state.log)}`},
        }
      }
      if (answer.ok && service.readyPath) {
        // /health says the process answers; /ready says it can serve (database reachable, migrations current).
        const notReady = await readinessProblem(`http://127.0.0.1:${live.state.port}${service.readyPath}`)
        if (notReady) {
          return {
            status: 'fail',
            message:
              `${service.name} (PID ${pid}) answers ${service.healthPath} but is not ready: ` +
              `${service.readyPath} ${notReady.summary}`,
            details: notReady.details,
            fix: {command: notReady.fix ?? `storybook logs ${service.name} -n 50`},
          }
        }
      }
      if (answer.ok) {
        const ready = service.readyPath ? ` and is ready (${service.readyPath})` : ''
        return {
          status: latency > 500 ? 'warn' : 'pass',
          message: `${service.name} (PID ${pid}, ${live.state.mode}) answers ${service.healthPath} in ${latency} ms${ready}`,
          ...(latency > 500
            ? {fix: {command: `storybook status ${service.name}   # slow: check its CPU and event loop`}}
            : {}),
        }
      }
      if (live.state.status === 'starting') {
        // Between a crash and its restart (or still booting): the supervisor is at work.
        const {lastExit} = live.state
        const again = lastExit ? ` again after exiting with code ${lastExit.code ?? '-'}` : ''
        return {
          status: 'warn',
          message: `${service.name} is starting${again}; it does not answer yet`,
          fix: {command: `storybook logs ${service.name} -f`},
        }
      }
      return {
        status: 'fail',
        message: `${service.name} (PID ${pid}) does not answer ${url}: ${answer.problem}`,
        details:
          live.state.restarts > 0
            ? [`It has been restarted ${live.state.restarts} time${live.state.restarts === 1 ? '' : 's'}.`]
            : [],
        fix: {command: `storybook logs ${service.name} -n 50   # then: storybook restart ${service.name}`},
      }
    },
  }
}

/**
 * What a readiness URL says is wrong, or undefined when it answers 2xx. Its body names each part
 * (`{"ready":false,"checks":{"migrations":"1 pending migration: run storybook db migrate"}}`).
 */
async function readinessProblem(
  url: string,
): Promise<{summary: string; details: string[]; fix: string | undefined} | undefined> {
  let response: Response
  try {
    response = await fetch(url, {signal: AbortSignal.timeout(2_000)})
  } catch (error) {
    return {summary: `does not answer: ${(error as Error).message}`, details: [], fix: undefined}
  }
  if (response.ok) return undefined
  const body = (await response.json().catch(() => undefined)) as {checks?: Record<string, string>} | undefined
  const failing = Object.entries(body?.checks ?? {}).filter(([, value]) => value !== 'ok')
  // The server's own words end with what to run ("...: run storybook db migrate").
  const fix = failing.map(([, value]) => /: run (storybook .+)$/.exec(value)?.[1]).find(Boolean)
  return {
    summary: `answers HTTP ${response.status}${failing.length > 0 ? ` (${failing.map(([name]) => name).join(', ')})` : ''}`,
    details: failing.map(([name, value]) => `${name}: ${value}`),
    fix,
  }
}

const logDirectoryCheck: Check = {
  id: 'services.logs',
  title: 'log directory',
  category: 'services',
  budgetMs: 2_000,
  needs: ['STORYBOOK_STATE_DIR'],
  run: async (context) => {
    const {config, report} = context
    const folder = config.state.log
    const name = displayPath(report.root, folder)
    const notFolder = await notADirectory(folder)
    if (notFolder) return notFolder(context, 'services cannot write their logs')
    const exists = await access(folder).then(
      () => true,
      () => false,
    )
    const writable = await access(await nearestExisting(folder), constants.W_OK).then(
      () => true,
      () => false,
    )
    if (!writable)
      return {
        status: 'fail',
        message: `the log directory ${name} is not writable`,
        fix: {command: `ls -ld ${commandPath(context.cwd, await nearestExisting(folder))}`},
      }
    if (!exists) return {status: 'pass', message: `${name} will be created on the first start`}
    const files = await Promise.all(
      (await readdir(folder)).map(async (file) => ({
        file,
        bytes: (await stat(join(folder, file)).catch(() => undefined))?.size ?? 0,
      })),
    )
    return logSizeOutcome(context, folder, files)
  },
}

/** Whether the logs stay within their sizes; the fix deletes surplus generations and cuts oversized files. */
async function logSizeOutcome(
  context: DiagnoseContext,
  folder: string,
  files: Array<{file: string; bytes: number}>,
): Promise<CheckOutcome> {
  const {config} = context
  const name = displayPath(context.report.root, folder)
  const total = files.reduce((sum, entry) => sum + entry.bytes, 0)
  const running = new Set<string>()
  for (const service of SERVICES) if ((await context.liveState(service.name)).kind === 'ours') running.add(service.name)
  // A log past the rotation size, or generations beyond the ones kept: left by a tool, an older version or a crash.
  const plan = planLogCleanup(
    files.map((entry) => ({name: entry.file, bytes: entry.bytes})),
    {keep: LOG_KEEP, maxBytes: config.logMaxBytes, running: (service) => running.has(service)},
  )
  const message = `${name} is writable and holds ${formatBytes(total)} in ${files.length} file${files.length === 1 ? '' : 's'}`
  const oversized = [...plan.trim, ...plan.busy].map((entry) => entry.name)
  if (oversized.length === 0 && plan.remove.length === 0 && total <= LOG_DIRECTORY_LIMIT)
    return {status: 'pass', message}
  const problems = [
    oversized.length > 0 ? `over ${formatBytes(config.logMaxBytes)}: ${oversized.join(', ')}` : '',
    plan.remove.length > 0
      ? `generations beyond the ${LOG_KEEP} kept: ${plan.remove.map((entry) => entry.name).join(', ')}`
      : '',
    total > LOG_DIRECTORY_LIMIT ? `over ${formatBytes(LOG_DIRECTORY_LIMIT)} in all` : '',
  ]
  const summary = `${message}: ${problems.filter(Boolean).join('; ')}`
  const busy = plan.busy.map((entry) => `${entry.name} is left alone: its service runs, and its supervisor rotates it`)
  if (plan.trim.length === 0 && plan.remove.length === 0) {
    // Nothing the fix may touch: the person decides what to delete.
    return {
      status: 'warn',
      message: summary,
      details: busy,
      fix: {command: `du -sh ${commandPath(context.cwd, folder)}/*`},
    }
  }
  const does = [
    plan.remove.length > 0 ? `deletes ${plan.remove.map((entry) => entry.name).join(', ')}` : '',
    plan.trim.length > 0
      ? `keeps the newest ${formatBytes(plan.keepBytes)} of ${plan.trim.map((entry) => entry.name).join(', ')}`
      : '',
  ].filter(Boolean)
  return {
    status: 'warn',
    message: summary,
    details: [`The fix ${does.join(' and ')} (in ${name}/); nothing else.`, ...busy],
    fix: {
      command: `storybook diagnose services.logs --fix   # ${does.join('; ')}`,
      apply: async () => describeCleanup(await applyLogCleanup(folder, plan)),
    },
  }
}

function describeCleanup(result: CleanupResult): string {
  const parts = [
    ...result.removed.map((entry) => `deleted ${entry.name} (${formatBytes(entry.bytes)})`),
    ...result.trimmed.map(
      (entry) => `cut ${entry.name} from ${formatBytes(entry.bytes)} to its newest ${formatBytes(entry.after)}`,
    ),
  ]
  if (parts.length === 0) return 'nothing to do: the files changed meanwhile'
  return `${parts.join('; ')}: ${formatBytes(result.freedBytes)} freed`
}

/** The other port settings (of every service, and the reserved ones) whose value is `port` too. */
function portClash(context: DiagnoseContext, variable: string, port: number): string[] {
  return [
    ...SERVICES.map((other) => ({variable: other.portVariable, port: other.port(context.config)})),
    ...RESERVED_PORTS.map((other) => ({variable: other.variable, port: other.port(context)})),
  ]
    .filter((other) => other.variable !== variable && other.port === port && !context.invalid.has(other.variable))
    .map((other) => other.variable)
    .filter((other, index, all) => all.indexOf(other) === index)
}

/** The fix that moves a port setting to a free port, where its value comes from (the environment wins over .env). */
async function movePortFix(
  context: DiagnoseContext,
  variable: string,
  port: number,
): Promise<{other: number; command: string}> {
  const other = await freePortNear(port)
  const source = context.report.variables.find((entry) => entry.spec.key === variable)?.source
  return {
    other,
    command:
      source === 'environment' ? `export ${variable}=${other}` : `storybook env setup --set ${variable}=${other}`,
  }
}

/** Ports the configuration reserves for services that are not in the registry yet (PRODUCT.md: the web app, the dashboard). */
const RESERVED_PORTS: ReadonlyArray<{service: string; variable: string; port: (context: DiagnoseContext) => number}> = [
  {service: 'web', variable: 'WEB_PORT', port: ({config}) => config.web.port},
  {service: 'dashboard', variable: 'DASHBOARD_PORT', port: ({config}) => config.dashboard.port},
]

/**
 * A reserved port: free, or held by the service it is for. Another of our services, or a process
 * storybook did not start, on it is a warning (that service cannot start there), with a free port.
 */
function reservedPortCheck(reserved: (typeof RESERVED_PORTS)[number], services: readonly ServiceSpec[]): Check {
  const {service, variable} = reserved
  return {
    id: `services.${service}.port`,
    title: `${service} port`,
    category: 'services',
    budgetMs: 3_000,
    needs: [variable, 'STORYBOOK_STATE_DIR'],
    run: async (context) => {
      const port = reserved.port(context)
      const same = portClash(context, variable, port)
      const move = async (problem: string, details: string[] = []): Promise<CheckOutcome> => {
        const {other, command} = await movePortFix(context, variable, port)
        return {
          status: same.length > 0 ? 'fail' : 'warn',
          message: `port ${port} (${variable}) ${problem}`,
          details: [...details, `The ${service} service cannot listen there; ${other} is free.`],
          fix: {command},
        }
      }
      if (same.length > 0) return move(`is also ${same.join(' and ')}`)
      const owner = await portHolder(context.services, port)
      if (!owner) return {status: 'pass', message: `port ${port} (${variable}) is free`}
      for (const other of services) {
        const live = await context.liveState(other.name)
        if (live.kind === 'ours' && live.child && (await treeHoldsPort(context.services, live.child, port)))
          return move(`is held by ${other.name} (PID ${owner.pid}), started by storybook on it`, [
            `To move ${other.name}: storybook restart ${other.name} --${other.name}-port ${other.port(context.config)}`,
          ])
      }
      return move(`is held by PID ${owner.pid} (${owner.command}), not started by storybook`)
    },
  }
}

export const servicesChecks = (options: {services?: readonly ServiceSpec[]} = {}): Check[] => {
  const services = options.services ?? SERVICES
  // A reserved port whose service has joined the registry is checked as that service's port.
  const reserved = RESERVED_PORTS.filter(
    (entry) => !services.some((service) => service.portVariable === entry.variable || service.name === entry.service),
  )
  return [
    stateFilesCheck,
    ...services.flatMap((service) => [portCheck(service), healthCheck(service)]),
    ...reserved.map((entry) => reservedPortCheck(entry, services)),
    logDirectoryCheck,
  ]
}
