// Stopping services: only processes we can prove we started (the supervisor, the service, and
// whatever they started), or with `force` a port's holder after naming it. Stop finishes the
// job or says who survived; it never reports success while something of ours still runs.
import {StorybookError} from '../core/errors.js'
import {identityOf} from '../core/process/identity.js'
import {withProjectLock} from '../core/process/project-lock.js'
import type {ServiceSpec} from '../core/process/registry.js'
import {removeServiceState} from '../core/process/state.js'
import {stopProcessTree, type TreeRoot, type TreeStopResult} from '../core/process/stop-tree.js'
import {contextForRecord, liveState, portHolder, type LiveState, type ServicesContext} from './service-runtime.js'

export interface StoppedService {
  name: string
  /** What was there: our service, a stale record, nothing, or (with force) a foreign process. */
  found: 'running' | 'stale' | 'stopped' | 'crashed' | 'external'
  /** The service process (not its supervisor), or the foreign holder. */
  pid: number | null
  /** SIGKILL was needed after the timeout. */
  killed: boolean
  /** A process storybook did not start that holds the port, left alone (without --force). */
  heldBy?: {pid: number; command: string}
}

export interface StopOptions {
  timeoutMs: number
  force: boolean
  onProgress?: (message: string) => void
}

/** The processes to stop for what a state file recorded: its supervisor, and the service if it runs on its own. */
function rootsOf(live: LiveState): TreeRoot[] {
  if (live.kind === 'ours') {
    const {state} = live
    const roots: TreeRoot[] = [{identity: state.supervisor, group: state.processGroup === state.supervisor.pid}]
    // A hung (stopped) supervisor passes nothing on: the service gets its SIGTERM directly.
    if (live.supervisor.state === 'stopped' && state.child) roots.push({identity: state.child, group: true})
    return roots
  }
  if (live.kind === 'stale' || live.kind === 'crashed') return live.orphan ? [{identity: live.orphan, group: true}] : []
  return []
}

/** Stops what a state file recorded, proving every process first; used by stop, start's clean-up and the doctor. */
export async function stopRecorded(
  context: ServicesContext,
  live: LiveState,
  timeoutMs: number,
): Promise<TreeStopResult> {
  const state = live.kind === 'stopped' ? undefined : live.state
  // Proved with the backend that recorded it: a record of the other backend is still ours to stop.
  const signals = (state && contextForRecord(context, state)?.signals) ?? context.signals
  return stopProcessTree(rootsOf(live), {timeoutMs}, signals)
}

export async function stopServices(
  context: ServicesContext,
  services: ServiceSpec[],
  options: StopOptions,
): Promise<StoppedService[]> {
  const {config} = context
  const onProgress = options.onProgress ?? (() => {})
  return withProjectLock(config.state.run, async () => {
    const results: StoppedService[] = []
    const survivors: string[] = []
    for (const service of services) {
      const live = await liveState(context, service.name)
      if (live.kind !== 'stopped') {
        const pid = live.kind === 'ours' ? (live.child?.pid ?? null) : (live.orphan?.pid ?? null)
        if (live.kind === 'ours') onProgress(`${service.name}: stopping${pid ? ` PID ${pid}` : ''}`)
        const outcome = await stopRecorded(context, live, options.timeoutMs)
        if (outcome.survivors.length > 0) {
          survivors.push(
            ...outcome.survivors.map(
              (process) => `${service.name}: PID ${process.pid} (${process.command}) ${process.reason}`,
            ),
          )
          continue // the record stays: it is the proof that lets the next stop finish the job
        }
        await removeServiceState(config.state.run, service.name)
        if (outcome.found.length > 0) {
          results.push({
            name: service.name,
            found: live.kind === 'ours' ? 'running' : live.kind,
            pid,
            killed: outcome.killed.length > 0,
          })
          continue
        }
        // A record with nothing of ours behind it (or that stopped being ours since it was read):
        // stale; the port may still be held by someone else.
        results.push({name: service.name, found: live.kind === 'ours' ? 'stale' : live.kind, pid: null, killed: false})
      }
      const port = live.kind === 'stopped' ? service.port(config) : (live.state?.port ?? service.port(config))
      const owner = await portHolder(context, port)
      const previous = results.findIndex((result) => result.name === service.name)
      if (!owner) {
        if (previous < 0) results.push({name: service.name, found: 'stopped', pid: null, killed: false})
        continue
      }
      if (!options.force) {
        const entry = {name: service.name, found: 'stopped' as const, pid: null, killed: false, heldBy: owner}
        if (previous >= 0) results[previous] = {...(results[previous] as StoppedService), heldBy: owner}
        else results.push(entry)
        continue
      }
      onProgress(`${service.name}: stopping PID ${owner.pid} (${owner.command}) on port ${port}, as --force asks`)
      const identity = await identityOf(owner.pid, context.platform.processes)
      const outcome = identity
        ? await stopProcessTree([{identity, group: false}], {timeoutMs: options.timeoutMs}, context.signals)
        : undefined
      if (outcome && (outcome.survivors.length > 0 || outcome.refused.length > 0)) {
        survivors.push(
          `${service.name}: PID ${owner.pid} (${owner.command}) ${outcome.refused[0]?.reason ?? 'survived SIGKILL'}`,
        )
        continue
      }
      const result: StoppedService = {
        name: service.name,
        found: 'external',
        pid: owner.pid,
        killed: (outcome?.killed.length ?? 0) > 0,
      }
      if (previous >= 0) results[previous] = result
      else results.push(result)
    }
    if (survivors.length > 0) {
      throw new StorybookError('CONFLICT', `Could not stop everything: ${survivors.join('; ')}.`, {
        reason: 'Their state files are kept, so that another stop can finish the job once they can be stopped.',
        next: [
          'storybook status',
          `ps -o pid,stat,cmd -p ${survivors.map((line) => /PID (\d+)/.exec(line)?.[1]).join(',')}`,
        ],
        details: {survivors, stopped: results},
      })
    }
    return results
  })
}
