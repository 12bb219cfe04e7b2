// The dashboard service: samples every service, the API and the disk each MONITOR_INTERVAL_MS, keeps
// history in var/data/monitoring.db, evaluates the alert rules, notifies, recovers, and serves the page
// and its JSON on DASHBOARD_PORT. It is a process of the toolkit, not of the API: when the API is down
// it shows the outage. Shuts down on SIGTERM or SIGINT.
import {mkdir, readdir, stat, statfs} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {Agent, get} from 'node:http'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadEnvironment, toAppConfig, type AppConfig} from '../core/config/load.js'
import {ERROR_CODES, PortInUseError, StorybookError, toStorybookError} from '../core/errors.js'
import {SERVICES} from '../core/process/registry.js'
import {Delivery} from '../monitoring/alerts/delivery.js'
import {Dispatcher} from '../monitoring/alerts/dispatcher.js'
import {AlertEngine} from '../monitoring/alerts/engine.js'
import {loadAlertConfig} from '../monitoring/alerts/rules-file.js'
import {notifiersFromConfig} from '../monitoring/alerts/configured-notifiers.js'
import {Collector, type ApiReadings, type CollectedStatus} from '../monitoring/collector.js'
import {freeDiskSpace} from '../monitoring/disk-cleanup.js'
import {MonitoringHistory} from '../monitoring/history.js'
import {withBriefProcessCache} from '../monitoring/process-cache.js'
import {Monitor, type MonitorUpdate, type RecoveryActions} from '../monitoring/monitor.js'
import {createServicesContext, lastLogLines, liveState} from '../services/service-runtime.js'
import {servicesStatus} from '../services/status-services.js'
import {startServices} from '../services/start-services.js'
import {buildDashboard} from './app.js'
import {RouteHealth} from './route-health.js'

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
const ROUTE_PROBE_EVERY_MS = 30_000

/** Kept-alive connections to the API: a second's sample is a few small GETs, not new connections. */
const apiAgent = new Agent({keepAlive: true, maxSockets: 4})

/** A GET of the API's body as text (node:http: a fraction of fetch's cost at one sample a second). */
function getText(url: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, {agent: apiAgent, timeout: timeoutMs}, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () =>
        response.statusCode === 200 ? resolve(body) : reject(new Error(`${url} answered ${response.statusCode}`)),
      )
      response.on('error', reject)
    })
    request.on('timeout', () => request.destroy(new Error(`${url} did not answer within ${timeoutMs} ms`)))
    request.on('error', reject)
  })
}

async function getJson(url: string): Promise<unknown> {
  return JSON.parse(await getText(url)) as unknown
}

/** The route table and the studio's metrics change slowly: read every few seconds, not every sample. */
const SLOW_READINGS_EVERY_MS = 5_000

/** The port the API runs on (a --api-port start moves it), else the configured one. */
async function apiPort(context: ReturnType<typeof createServicesContext>): Promise<number> {
  const live = await liveState(context, 'api')
  return live.kind === 'ours' ? live.state.port : context.config.api.port
}

/** Backups come at most every few minutes: their folder is read twice a minute, not every second. */
const BACKUP_LOOK_EVERY_MS = 30_000

function backupAgeEvery(config: AppConfig, everyMs: number): () => Promise<number | null> {
  let newestAt: {lookedAt: number; ageAtLook: number | null} | undefined
  return async () => {
    const now = Date.now()
    if (!newestAt || now - newestAt.lookedAt >= everyMs)
      newestAt = {lookedAt: now, ageAtLook: await newestBackupAgeMs(config, now)}
    return newestAt.ageAtLook === null ? null : newestAt.ageAtLook + (now - newestAt.lookedAt)
  }
}

async function newestBackupAgeMs(config: AppConfig, now: number): Promise<number | null> {
  const names = await readdir(config.state.backups).catch(() => [] as string[])
  const times = await Promise.all(
    names
      .filter((name) => /^storybook-.*\.(db|dump)$/.test(name))
      .map((name) => stat(join(config.state.backups, name))),
  )
  const newest = Math.max(...times.filter((info) => info.size > 0).map((info) => info.mtimeMs))
  return Number.isFinite(newest) ? now - newest : null
}

type ServicesContext = ReturnType<typeof createServicesContext>

/** What each sample reads: services as `status` sees them, the API's figures, the disk, the backups. */
function collectorFor(context: ServicesContext): Collector {
  const {config} = context
  let slow: {at: number; base: string; value: Pick<ApiReadings, 'routes' | 'client'>} | undefined
  const slowReadings = async (base: string) => {
    if (slow && slow.base === base && Date.now() - slow.at < SLOW_READINGS_EVERY_MS) return slow.value
    const [routes, client] = await Promise.all([
      getJson(`${base}/api/monitoring/routes`),
      getJson(`${base}/api/monitoring/client`).catch(() => undefined),
    ])
    const value = {
      routes: (routes as {routes: ApiReadings['routes']}).routes,
      ...(client ? {client: client as NonNullable<ApiReadings['client']>} : {}),
    }
    slow = {at: Date.now(), base, value}
    return value
  }
  // One walk of the process table serves every service's status in a round; who holds a port that no
  // service of ours holds (an external server) is looked at every few seconds.
  const sampling = {...context, platform: withBriefProcessCache(context.platform, {processesMs: 500, portsMs: 5_000})}
  return new Collector({
    statuses: () => servicesStatus(sampling, [...SERVICES]),
    api: async (): Promise<ApiReadings> => {
      const base = `http://127.0.0.1:${await apiPort(context)}`
      const [metricsText, system, slow] = await Promise.all([
        getText(`${base}/metrics`),
        getJson(`${base}/api/monitoring/system`),
        slowReadings(base),
      ])
      return {metricsText, system: system as ApiReadings['system'], ...slow}
    },
    disk: async () => {
      const info = await statfs(config.state.root)
      return {usedBytes: (info.blocks - info.bfree) * info.bsize, totalBytes: info.blocks * info.bsize}
    },
    backupAgeMs: backupAgeEvery(config, BACKUP_LOOK_EVERY_MS),
    now: Date.now,
  })
}

/** The recovery actions: start a service its supervisor gave up on, free disk space. */
function recoveryFor(context: ServicesContext, current: () => CollectedStatus[]): RecoveryActions {
  const {config} = context
  return {
    restartCrashed: async (name, servicePort) => {
      const service = SERVICES.find((candidate) => candidate.name === name)
      if (!service) throw new Error(`unknown service ${name}`)
      const [started] = await startServices(context, [service], {ports: {[name]: servicePort}})
      return `started again (PID ${started?.pid ?? '?'})`
    },
    freeDisk: async () => {
      const running = new Set(
        current()
          .filter((status) => status.state === 'running')
          .map((status) => status.name),
      )
      return freeDiskSpace({config, running: (service) => running.has(service)})
    },
  }
}

/** The route table's source: the API's OpenAPI document, and probes of its safe GET routes. */
function routeHealthFor(context: ServicesContext): RouteHealth {
  return new RouteHealth({
    document: async () => getJson(`http://127.0.0.1:${await apiPort(context)}/openapi.json`),
    get: async (path) => {
      const response = await fetch(`http://127.0.0.1:${await apiPort(context)}${path}`, {
        signal: AbortSignal.timeout(5_000),
      })
      await response.arrayBuffer()
      return {status: response.status}
    },
    now: Date.now,
  })
}

/** Beyond this machine the dashboard needs its token: refuse to start without one. */
function checkBinding(config: AppConfig): void {
  const {host, token} = config.dashboard
  if (LOOPBACK.has(host) || token) return
  throw new StorybookError(
    'CONFIG_INVALID',
    `The dashboard binds ${host}, beyond this machine, without DASHBOARD_TOKEN.`,
    {
      next: [
        'storybook env setup --yes   # generates DASHBOARD_TOKEN',
        'DASHBOARD_HOST=127.0.0.1 storybook start dashboard',
      ],
    },
  )
}

async function openHistory(config: AppConfig): Promise<MonitoringHistory> {
  const {default: Database} = await import('better-sqlite3')
  await mkdir(config.state.data, {recursive: true})
  return new MonitoringHistory({
    file: join(config.state.data, 'monitoring.db'),
    open: (file) => new Database(file),
    retention: config.dashboard.retention,
  })
}

/** Samples on an interval, probes routes, listens; on SIGTERM or SIGINT stops all of it and exits. */
async function serve(parts: {
  config: AppConfig
  app: Awaited<ReturnType<typeof buildDashboard>>
  monitor: Monitor
  routeHealth: RouteHealth
  history: MonitoringHistory
}): Promise<void> {
  const {config, app, monitor, routeHealth, history} = parts
  const {host, port} = config.dashboard
  const sampler = setInterval(() => {
    void monitor.tick()
    // The API may start after the dashboard: read its routes as soon as it answers.
    if (!routeHealth.known) void routeHealth.refresh().catch(() => {})
  }, config.dashboard.intervalMs)
  const prober = setInterval(() => void routeHealth.refresh().catch(() => {}), ROUTE_PROBE_EVERY_MS)
  void monitor.tick()
  void routeHealth.refresh().catch(() => {})
  let closing = false
  const shutdown = () => {
    if (closing) return
    closing = true
    clearInterval(sampler)
    clearInterval(prober)
    setTimeout(() => process.exit(1), config.shutdownGraceMs).unref()
    void app
      .close()
      .then(() => history.close())
      .then(() => process.exit(0))
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
  try {
    await app.listen({host, port})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    throw new PortInUseError(port, undefined, {
      next: ['storybook status', 'DASHBOARD_PORT=8011 storybook start dashboard'],
    })
  }
}

async function main(): Promise<void> {
  const config = toAppConfig(await loadEnvironment({env: process.env, cwd: process.cwd()}))
  checkBinding(config)
  const {host, port, token} = config.dashboard
  const toolkitRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
  const context = createServicesContext({config, toolkitRoot, env: process.env})
  const history = await openHistory(config)
  const closed = history.closeOpenAlerts(Date.now())
  const {rules, routing} = await loadAlertConfig(config.root)
  const listeners = new Set<(update: MonitorUpdate) => void>()
  let monitor: Monitor | undefined
  const delivery = new Delivery({
    notifiers: await notifiersFromConfig(config),
    now: Date.now,
    onAttempt: (attempt) => monitor?.recordAttempt(attempt),
  })
  monitor = new Monitor({
    collector: collectorFor(context),
    history,
    engine: new AlertEngine(rules),
    dispatcher: new Dispatcher(routing, () => history.silences(Date.now())),
    delivery,
    recovery: recoveryFor(context, () => monitor?.current?.statuses ?? []),
    now: Date.now,
    onUpdate: (update) => listeners.forEach((listener) => listener(update)),
    onError: (error) => process.stderr.write(`monitor round failed: ${toStorybookError(error).message}\n`),
  })
  const routeHealth = routeHealthFor(context)
  const pageRoot = join(toolkitRoot, 'web', 'dist', 'dashboard')
  const app = await buildDashboard({
    history,
    monitor,
    delivery,
    routeHealth,
    logLines: (service, count) => lastLogLines(config, service, count),
    services: SERVICES.map((service) => service.name),
    ...(existsSync(join(pageRoot, 'index.html')) ? {pageRoot} : {}),
    ...(token && !LOOPBACK.has(host) ? {token} : {}),
    now: Date.now,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  })
  await serve({config, app, monitor, routeHealth, history})
  const line = {level: 30, time: Date.now(), name: 'dashboard', msg: `Dashboard on http://${host}:${port}`}
  process.stdout.write(
    `${JSON.stringify({...line, rules: rules.length, ...(closed > 0 ? {closedAlerts: closed} : {})})}\n`,
  )
}

main().catch((thrown: unknown) => {
  const error = toStorybookError(thrown)
  process.stderr.write(`Error [${error.code}] ${error.message}\n${error.next.map((step) => `  ${step}`).join('\n')}\n`)
  process.exit(ERROR_CODES[error.code].exitCode)
})
