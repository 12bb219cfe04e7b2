// The background supervisor process: `storybook start` runs one per service, detached. It owns
// the service's process, keeps its state file current, and stops it gracefully on SIGTERM.
import {identityOf, type ProcessIdentity} from './core/process/identity.js'
import {removeServiceState, writeServiceState, type ServiceState} from './core/process/state.js'
import {Supervisor, type SupervisedCommand} from './core/process/supervisor.js'

export interface SupervisorLaunch {
  service: string
  /** Without `env`: the service gets the supervisor's own environment, which never goes through argv. */
  command: Omit<SupervisedCommand, 'env'>
  logFile: string
  runDir: string
  port: number
  stopTimeoutMs: number
}

const launch = JSON.parse(process.argv[2] ?? '{}') as SupervisorLaunch
const supervisor = new Supervisor({service: launch.service, command: {...launch.command, env: process.env}, logFile: launch.logFile, stopTimeoutMs: launch.stopTimeoutMs})
const state: ServiceState = {
  service: launch.service,
  supervisor: identityOf(process.pid) as ProcessIdentity,
  processGroup: process.pid, // started detached: this process leads its own group
  child: null,
  command: [launch.command.file, ...launch.command.args].join(' '),
  port: launch.port,
  mode: 'background',
  restarts: 0,
  startedAt: new Date().toISOString(),
  status: 'starting',
  lastExit: null,
  reason: null,
}
// State writes are serialised: each one replaces the file whole.
let writing = writeServiceState(launch.runDir, state)
const save = () => (writing = writing.then(() => writeServiceState(launch.runDir, state)))

supervisor.on('event', (event) => {
  switch (event.type) {
    case 'started':
      state.child = identityOf(event.pid) ?? null
      state.restarts = event.restarts
      state.status = 'running'
      break
    case 'exited':
      state.child = null
      state.lastExit = event.exit
      state.status = 'starting'
      break
    case 'crashed':
      state.child = null
      state.lastExit = event.exit
      state.status = 'crashed'
      state.reason = event.reason
      void save().then(() => process.exit(1))
      return
    case 'stopped':
      return
  }
  void save()
})

let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  void supervisor
    .stop()
    .then(() => writing)
    .then(() => removeServiceState(launch.runDir, launch.service))
    .then(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.on('SIGHUP', () => {}) // the terminal that started us may close; we keep running
supervisor.start()
