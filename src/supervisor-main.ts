// The background supervisor process: `storybook start` runs one per service, detached. It owns
// the service's process, keeps its state file current, and stops it gracefully on SIGTERM. It
// must outlive trouble in its own state area: a log deleted or a disk full, a read-only run/.
import {identityOf, type ProcessIdentity} from './core/process/identity.js'
import {currentPlatform} from './core/process/platform/index.js'
import {probeHttp} from './core/process/port-probe.js'
import {
  newServiceState,
  recordEvent,
  removeServiceState,
  writeServiceState,
  type ServiceState,
} from './core/process/state.js'
import {Supervisor, type SupervisedCommand} from './core/process/supervisor.js'

export interface SupervisorLaunch {
  service: string
  /** Without `env`: the service gets the supervisor's own environment, which never goes through argv. */
  command: Omit<SupervisedCommand, 'env'>
  logFile: string
  maxLogBytes: number
  runDir: string
  port: number
  stopTimeoutMs: number
  healthCheck: {url: string; intervalMs: number; retries: number; startPeriodMs: number}
}

function main(): void {
  const launch = JSON.parse(process.argv[2] ?? '{}') as SupervisorLaunch
  const backend = currentPlatform(process.env).processes
  // Read while the service is already starting: its boot is what start waits for.
  const supervisorIdentity = identityOf(process.pid, backend)

  const state: ServiceState = newServiceState({
    service: launch.service,
    supervisor: undefined as unknown as ProcessIdentity, // set before the first write
    processGroup: process.pid, // started detached: this process leads its own group
    command: [launch.command.file, ...launch.command.args].join(' '),
    port: launch.port,
    mode: 'background',
  })

  // State writes are serialised: each one replaces the file whole. One that fails (a read-only or
  // full run/) is written to the log and supervision goes on; `status` still finds the child by its parent.
  let writing: Promise<void> = supervisorIdentity.then((identity) => {
    state.supervisor = identity as ProcessIdentity
  })
  let lastWriteError = ''
  const save = () =>
    (writing = writing.then(() =>
      writeServiceState(launch.runDir, state).then(
        () => {
          lastWriteError = ''
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error)
          if (message !== lastWriteError) supervisor.note(`cannot write the state file: ${message}`)
          lastWriteError = message
        },
      ),
    ))

  let droppedSaved = 0
  const supervisor = new Supervisor({
    service: launch.service,
    command: {...launch.command, env: process.env},
    logFile: launch.logFile,
    maxLogBytes: launch.maxLogBytes,
    stopTimeoutMs: launch.stopTimeoutMs,
    healthCheck: {...launch.healthCheck, probe: probeHttp},
    onLogDropped: (dropped) => {
      state.logDropped = dropped
      // Saved now and then, not per line: the disk that drops them is busy enough.
      if (dropped.lines - droppedSaved >= 100 || droppedSaved === 0) {
        droppedSaved = dropped.lines
        void save()
      }
    },
  })

  supervisor.on('event', async (event) => {
    if (!(await recordEvent(state, event, (pid) => identityOf(pid, backend)))) return
    // Given up: the record says why, and this process has nothing left to do.
    if (event.type === 'crashed') void save().then(() => process.exit(1))
    else void save()
  })

  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    void supervisor
      .stop()
      .then(() => writing)
      .then(() => removeServiceState(launch.runDir, launch.service))
      .catch((error: unknown) => supervisor.note(`cannot remove the state file: ${String(error)}`))
      .then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.on('SIGHUP', () => {}) // the terminal that started us may close; we keep running
  // Nothing that goes wrong in here may take the service down with us: write it down and go on.
  process.on('uncaughtException', (error) => supervisor.note(`internal error: ${error.stack ?? error.message}`))
  process.on('unhandledRejection', (error) => supervisor.note(`internal error: ${String(error)}`))
  supervisor.start()
  void save()
}

void main()
