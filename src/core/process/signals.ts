// The one place that decides whether a process may be signalled, and the only code that sends
// signals to processes named by a state file: stop, restart, start's clean-up of what a previous
// run left, unified mode and `diagnose --fix` all come here. `kill` is an effect passed in, so
// unit tests see every target it would have been given.
import {matchesIdentity, type ProcessIdentity} from './identity.js'
import type {ProcessBackend, ProcessInfo} from './platform/processes.js'

export type Kill = (target: number, signal: NodeJS.Signals) => void

export interface SignalContext {
  backend: ProcessBackend
  kill: Kill
  /** This process and its parent: never signalled, whatever a state file says. */
  self: {pid: number; ppid: number}
}

export const defaultSignalContext = (backend: ProcessBackend): SignalContext => ({
  backend,
  kill: (target, signal) => process.kill(target, signal),
  self: {pid: process.pid, ppid: process.ppid},
})

export type SignalVerdict = {ok: true; info: ProcessInfo; group: boolean} | {ok: false; gone: boolean; reason: string}

/** Targets no recorded PID may ever name: init and below, this process and its parent. */
export function forbiddenPid(pid: number, self: SignalContext['self']): string | undefined {
  if (!Number.isInteger(pid) || pid <= 1) return `PID ${pid} is never signalled`
  if (pid === self.pid) return `PID ${pid} is this storybook process`
  if (pid === self.ppid) return `PID ${pid} is the process that started this storybook command`
  return undefined
}

/**
 * Whether the recorded process may be signalled now: it must be alive, and its start time, boot,
 * command line and user must match the record. `group` is granted only when the verified process
 * leads its own process group; otherwise only the process itself is signalled.
 */
export async function maySignal(
  recorded: ProcessIdentity,
  options: {group: boolean},
  context: SignalContext,
): Promise<SignalVerdict> {
  const forbidden = forbiddenPid(recorded.pid, context.self)
  if (forbidden) return {ok: false, gone: false, reason: forbidden}
  const info = await context.backend.processInfo(recorded.pid)
  if (!info || info.state === 'zombie') return {ok: false, gone: true, reason: `PID ${recorded.pid} has exited`}
  if (!matchesIdentity(recorded, info, context.backend.bootId())) {
    return {ok: false, gone: false, reason: `PID ${recorded.pid} is now another process (${info.command})`}
  }
  return {ok: true, info, group: options.group && info.pgid === info.pid}
}

export type SignalOutcome = {sent: true; target: number} | {sent: false; gone: boolean; reason: string}

/** Sends `signal` to the recorded process (its group, when asked and it leads one), after proving who it is. */
export async function signalVerified(
  recorded: ProcessIdentity,
  signal: NodeJS.Signals,
  options: {group: boolean},
  context: SignalContext,
): Promise<SignalOutcome> {
  const verdict = await maySignal(recorded, options, context)
  if (!verdict.ok) return {sent: false, gone: verdict.gone, reason: verdict.reason}
  const target = verdict.group ? -recorded.pid : recorded.pid
  try {
    context.kill(target, signal)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {sent: false, gone: code === 'ESRCH', reason: `PID ${recorded.pid}: ${code ?? String(error)}`}
  }
  return {sent: true, target}
}
