// One state file per service in <state>/run: who runs it (supervisor and child, with their
// kernel identities), how, and since when. Written atomically; a corrupt file reads as stale.
import {readFile, readdir, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {writeFileAtomic} from '../fs/atomic-write.js'
import {isIdentity, type ProcessIdentity} from './identity.js'
import type {SupervisorEvent} from './supervisor.js'

export type ServiceMode = 'background' | 'unified' | 'terminal' | 'ide'

export interface ServiceState {
  service: string
  supervisor: ProcessIdentity
  /** The process group stop signals: the background supervisor's own; null for foreground modes. */
  processGroup: number | null
  child: ProcessIdentity | null
  /** When the current child started: uptime counts from here, not from the supervisor. */
  childStartedAt?: string | null
  command: string
  port: number
  mode: ServiceMode
  restarts: number
  startedAt: string
  status: 'starting' | 'running' | 'crashed'
  lastExit: {code: number | null; signal: string | null; at: string} | null
  reason: string | null
  /** Log lines the supervisor could not write (a full or failing disk), and the last error. */
  logDropped?: {lines: number; error: string} | null
}

export type ReadState =
  {kind: 'missing'} | {kind: 'corrupt'; file: string; problem: string} | {kind: 'ok'; state: ServiceState}

export const stateFile = (runDir: string, service: string) => join(runDir, `${service}.json`)

export async function readServiceState(runDir: string, service: string): Promise<ReadState> {
  const file = stateFile(runDir, service)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {kind: 'missing'}
    return {kind: 'corrupt', file, problem: (error as Error).message}
  }
  try {
    const state = JSON.parse(text) as ServiceState
    // Every PID in it is a claim: without a complete identity (start time, command, user) it proves nothing.
    if (
      state?.service !== service ||
      !isIdentity(state.supervisor) ||
      (state.child !== null && !isIdentity(state.child))
    ) {
      return {kind: 'corrupt', file, problem: 'missing or malformed fields'}
    }
    if (!Number.isInteger(state.port) || state.port < 1 || state.port > 65_535)
      return {kind: 'corrupt', file, problem: 'no valid port'}
    return {kind: 'ok', state}
  } catch (error) {
    return {kind: 'corrupt', file, problem: `not JSON (${(error as Error).message})`}
  }
}

export function writeServiceState(runDir: string, state: ServiceState): Promise<void> {
  return writeFileAtomic(stateFile(runDir, state.service), `${JSON.stringify(state, null, 2)}\n`, 0o644)
}

export async function removeServiceState(runDir: string, service: string): Promise<void> {
  // recursive: a directory where the file should be is removed too (it is ours: <state>/run).
  await rm(stateFile(runDir, service), {force: true, recursive: true})
}

export async function listStateFiles(runDir: string): Promise<string[]> {
  try {
    return (await readdir(runDir))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
  } catch {
    return []
  }
}

/** The record of a service that is being started: nothing has run yet. */
export function newServiceState(
  fields: Pick<ServiceState, 'service' | 'supervisor' | 'processGroup' | 'command' | 'port' | 'mode'>,
): ServiceState {
  return {
    ...fields,
    child: null,
    childStartedAt: null,
    restarts: 0,
    startedAt: new Date().toISOString(),
    status: 'starting',
    lastExit: null,
    reason: null,
    logDropped: null,
  }
}

/**
 * What a supervisor event changes in its service's record; `identify` measures the identity of a
 * process that has just started. False for events that change nothing.
 */
export async function recordEvent(
  state: ServiceState,
  event: SupervisorEvent,
  identify: (pid: number) => Promise<ProcessIdentity | undefined>,
): Promise<boolean> {
  if (event.type === 'started') {
    const child = (await identify(event.pid)) ?? null
    Object.assign(state, {child, childStartedAt: new Date().toISOString(), restarts: event.restarts, status: 'running'})
    return true
  }
  if (event.type === 'exited' || event.type === 'crashed') {
    const status = event.type === 'crashed' ? 'crashed' : 'starting'
    Object.assign(state, {child: null, childStartedAt: null, lastExit: event.exit, status, reason: event.reason})
    return true
  }
  return false
}
