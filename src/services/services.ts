// Running the stack: start services in the background under our supervisor, stop them (only
// processes we can prove we started), report their status, and read their logs. One module per
// step; this one gathers them for the commands.
import {stat} from 'node:fs/promises'
import type {AppConfig} from '../core/config/load.js'
import {logFileOf} from './service-runtime.js'

export {
  createServicesContext,
  lastLogLines,
  liveState,
  logFileOf,
  selectServices,
  stateOnlyConfigWarning,
} from './service-runtime.js'
export type {LiveState, ServicesContext} from './service-runtime.js'
export {startInTerminals, startServices, type StartedService} from './start-services.js'
export {stopRecorded, stopServices, type StoppedService} from './stop-services.js'
export {servicesStatus, type ServiceStatus} from './status-services.js'
export {describeEvent, runForIde, runUnified, type UnifiedResult} from './foreground.js'

/** Whether a log file exists yet, for a clear message instead of an empty answer. */
export async function logExists(config: AppConfig, service: string): Promise<boolean> {
  return stat(logFileOf(config, service)).then(
    () => true,
    () => false,
  )
}
