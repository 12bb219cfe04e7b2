// Services: no stale state files, each service's port free or held by that service, each running
// service healthy (with its latency), and a writable log directory of a sensible size.
import {get as httpGet} from 'node:http'
import {access, constants, readdir, rm, stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {isPortOpen} from '../../../core/process/port-probe.js'
import {currentPlatform} from '../../../core/process/platform/index.js'
import {SERVICES, type ServiceSpec} from '../../../core/process/registry.js'
import {LOG_KEEP, LOG_ROTATE_BYTES, rotateLogFile} from '../../../core/process/rotating-log.js'
import {listStateFiles, stateFile} from '../../../core/process/state.js'
import type {Check, CheckOutcome} from '../check.js'
import {formatBytes} from '../../../core/output/bytes.js'
import {displayPath, nearestExisting} from './paths.js'

const LOG_DIRECTORY_LIMIT = 200 * 1024 * 1024

const stateFilesCheck: Check = {
  id: 'services.state-files',
  title: 'state files',
  category: 'services',
  budgetMs: 3_000,
  needs: ['STORYBOOK_STATE_DIR'],
  run: async (context) => {
    const {config} = context
    const names = await listStateFiles(config.state.run)
    const stale: Array<{name: string; reason: string}> = []
    for (const name of names) {
      const live = await context.liveState(name)
      if (live.kind === 'stale') stale.push({name, reason: live.reason})
      else if (!SERVICES.some((service) => service.name === name)) stale.push({name, reason: 'no service has that name any more'})
    }
    if (stale.length === 0) return {status: 'pass', message: names.length === 0 ? 'no state files (nothing running)' : `${names.length} state file${names.length === 1 ? '' : 's'}, each of a live process`}
    const known = stale.filter((entry) => SERVICES.some((service) => service.name === entry.name)).map((entry) => entry.name)
    return {
      status: 'fail',
      message: `stale state file${stale.length === 1 ? '' : 's'}: ${stale.map((entry) => entry.name).join(', ')}`,
      details: [
        ...stale.map((entry) => `${displayPath(context.report.root, stateFile(config.state.run, entry.name))}: ${entry.reason}`),
        'A stale file is removed without signalling anything, except a service that its recorded identity proves is ours.',
      ],
      fix: {
        command: known.length === stale.length ? `storybook stop ${known.join(' ')}` : `rm ${stale.map((entry) => displayPath(context.report.root, stateFile(config.state.run, entry.name))).join(' ')}`,
        apply: async () => {
          const {stopServices} = await import('../../services.js')
          const services = SERVICES.filter((service) => known.includes(service.name))
          // stop on a stale record removes it (and stops only an orphan proven to be ours).
          if (services.length > 0) await stopServices({config, toolkitRoot: context.codeRoot, env: {...context.env}}, services, {timeoutMs: config.shutdownGraceMs + 2_000, force: false})
          for (const entry of stale.filter((candidate) => !known.includes(candidate.name))) await rm(stateFile(config.state.run, entry.name), {force: true, recursive: true})
          return `removed the stale state of ${stale.map((entry) => entry.name).join(', ')}`
        },
      },
    }
  },
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
      if (!(await isPortOpen('127.0.0.1', port))) return {status: 'pass', message: `port ${port} is free`}
      const owner = currentPlatform().findPortOwner(port)
      if (live.kind === 'ours' && owner && (owner.pid === live.state.child?.pid || owner.pid === live.state.supervisor.pid)) {
        return {status: 'pass', message: `port ${port} is held by ${service.name} (PID ${owner.pid}), started by storybook`}
      }
      const who = owner ? `PID ${owner.pid} (${owner.command})` : 'a process of another user'
      return {
        status: 'fail',
        message: `port ${port} (${service.portVariable}) is held by ${who}, not started by storybook`,
        details: [
          `${service.name} cannot start while it is taken. Either stop that process or move ${service.name} to another port.`,
          ...(owner ? [`To stop it: storybook stop ${service.name} --force   # stops PID ${owner.pid}`] : []),
        ],
        fix: {command: `storybook env setup --set ${service.portVariable}=${port + 10}`},
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
      if (live.kind === 'stopped' || live.kind === 'stale') return {status: 'pass', message: `${service.name} is not running (storybook start ${service.name})`}
      if (live.kind === 'crashed') {
        return {
          status: 'fail',
          message: `${service.name} crashed and was given up: ${live.state.reason ?? 'no reason kept'}`,
          details: [live.state.lastExit ? `last exit: code ${live.state.lastExit.code ?? '-'}, signal ${live.state.lastExit.signal ?? '-'}, at ${live.state.lastExit.at}` : 'no exit recorded'],
          fix: {command: `storybook logs ${service.name} -n 50   # then: storybook start ${service.name}`},
        }
      }
      const url = `http://127.0.0.1:${live.state.port}${service.healthPath}`
      const started = performance.now()
      const answer = await probe(url, 2_000)
      const latency = Math.round((performance.now() - started) * 10) / 10
      const pid = live.state.child?.pid ?? live.state.supervisor.pid
      if (answer.ok) {
        return {
          status: latency > 500 ? 'warn' : 'pass',
          message: `${service.name} (PID ${pid}, ${live.state.mode}) answers ${service.healthPath} in ${latency} ms`,
          ...(latency > 500 ? {fix: {command: `storybook status ${service.name}   # slow: check its CPU and event loop`}} : {}),
        }
      }
      return {
        status: 'fail',
        message: `${service.name} (PID ${pid}) does not answer ${url}: ${answer.problem}`,
        details: live.state.restarts > 0 ? [`It has been restarted ${live.state.restarts} time${live.state.restarts === 1 ? '' : 's'}.`] : [],
        fix: {command: `storybook logs ${service.name} -n 50   # then: storybook restart ${service.name}`},
      }
    },
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
    const exists = await access(folder).then(() => true, () => false)
    const writable = await access(await nearestExisting(folder), constants.W_OK).then(() => true, () => false)
    if (!writable) return {status: 'fail', message: `the log directory ${name} is not writable`, fix: {command: `ls -ld ${exists ? name : dirname(name)}`}}
    if (!exists) return {status: 'pass', message: `${name} will be created on the first start`}
    const files = await Promise.all(
      (await readdir(folder)).map(async (file) => ({file, bytes: (await stat(join(folder, file)).catch(() => undefined))?.size ?? 0})),
    )
    const total = files.reduce((sum, entry) => sum + entry.bytes, 0)
    // A current log past the rotation size, or generations beyond the ones kept: left by a tool or an older version.
    const oversized = files.filter((entry) => entry.file.endsWith('.log') && entry.bytes > LOG_ROTATE_BYTES).map((entry) => entry.file)
    const surplus = files.filter((entry) => Number(/\.log\.(\d+)$/.exec(entry.file)?.[1] ?? 0) > LOG_KEEP).map((entry) => entry.file)
    const message = `${name} is writable and holds ${formatBytes(total)} in ${files.length} file${files.length === 1 ? '' : 's'}`
    if (oversized.length === 0 && surplus.length === 0 && total <= LOG_DIRECTORY_LIMIT) return {status: 'pass', message}
    return {
      status: 'warn',
      message: `${message}: ${[oversized.length > 0 ? `over ${formatBytes(LOG_ROTATE_BYTES)}: ${oversized.join(', ')}` : '', surplus.length > 0 ? `old generations: ${surplus.join(', ')}` : '', total > LOG_DIRECTORY_LIMIT ? `over ${formatBytes(LOG_DIRECTORY_LIMIT)} in all` : ''].filter(Boolean).join('; ')}`,
      fix: {
        command: 'storybook diagnose --fix   # rotates them, keeping the newest generations',
        apply: async () => {
          const rotated: string[] = []
          for (const file of oversized) {
            // A running service's supervisor rotates its own log; rotating under it would split the file.
            const live = await context.liveState(file.replace(/\.log$/, ''))
            if (live.kind === 'ours') continue
            rotateLogFile(join(folder, file))
            rotated.push(file)
          }
          for (const file of surplus) await rm(join(folder, file), {force: true})
          return [rotated.length > 0 ? `rotated ${rotated.join(', ')}` : '', surplus.length > 0 ? `removed ${surplus.join(', ')}` : ''].filter(Boolean).join('; ') || 'nothing to rotate (the running services rotate their own logs)'
        },
      },
    }
  },
}

function probe(url: string, timeoutMs: number): Promise<{ok: true} | {ok: false; problem: string}> {
  return new Promise((resolve) => {
    const request = httpGet(url, {timeout: timeoutMs, agent: false}, (response) => {
      response.resume()
      const code = response.statusCode ?? 0
      resolve(code < 400 ? {ok: true} : {ok: false, problem: `HTTP ${code}`})
    })
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.on('error', (error) => resolve({ok: false, problem: error.message}))
  })
}

export const servicesChecks = (context: {services?: readonly ServiceSpec[]} = {}): Check[] => {
  const services = context.services ?? SERVICES
  return [stateFilesCheck, ...services.flatMap((service) => [portCheck(service), healthCheck(service)]), logDirectoryCheck]
}
