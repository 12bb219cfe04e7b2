// The services, as data: what runs, on which port, how to tell that it is healthy. Commands and
// tests work on this list; the web app and the dashboard join it later.
import {join} from 'node:path'
import type {AppConfig} from '../config/load.js'
import type {SupervisedCommand} from './supervisor.js'

export interface ServiceSpec {
  name: string
  description: string
  port(config: AppConfig): number
  /** The environment variable that sets the port (for flags such as --api-port). */
  portVariable: string
  healthPath: string
  readyTimeoutMs: number
  dependsOn: string[]
  /** Started unless asked for by name (the dashboard). */
  optional: boolean
  command(context: {config: AppConfig; toolkitRoot: string; env: NodeJS.ProcessEnv}): SupervisedCommand
}

export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'api',
    description: 'The Storybook API (Fastify)',
    port: (config) => config.api.port,
    portVariable: 'API_PORT',
    healthPath: '/health',
    readyTimeoutMs: 20_000,
    dependsOn: [],
    optional: false,
    command: ({config, toolkitRoot, env}) => ({file: process.execPath, args: [join(toolkitRoot, 'dist', 'server.cjs')], env, cwd: config.root}),
  },
]

export function findService(name: string): ServiceSpec | undefined {
  return SERVICES.find((service) => service.name === name)
}
