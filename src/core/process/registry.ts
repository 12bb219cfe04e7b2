// The services, as data: what runs, on which port, how to tell that it is healthy. Commands and
// tests work on this list.
import {join} from 'node:path'
import type {AppConfig} from '../config/load.js'
import type {SupervisedCommand} from './supervisor.js'

export interface ServiceSpec {
  name: string
  description: string
  port(config: AppConfig): number
  /** The environment variable that sets the port (for flags such as --api-port). */
  portVariable: string
  /** Liveness: the supervisor restarts a service that stops answering it. */
  healthPath: string
  /** Readiness, shown by status (the API: database reachable, migrations current). */
  readyPath?: string
  readyTimeoutMs: number
  dependsOn: string[]
  /** Started unless asked for by name (the dashboard). */
  optional: boolean
  /** Writes to the database: `db restore`, `db rollback` and `db reset` wait until it is stopped. */
  usesDatabase: boolean
  /** `nodeOptions`: options for the Node runtime, such as --inspect=9230. */
  command(context: {
    config: AppConfig
    toolkitRoot: string
    env: NodeJS.ProcessEnv
    nodeOptions?: string[]
  }): SupervisedCommand
}

export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'api',
    description: 'The Storybook API (Fastify)',
    port: (config) => config.api.port,
    portVariable: 'API_PORT',
    healthPath: '/health',
    readyPath: '/ready',
    readyTimeoutMs: 20_000,
    dependsOn: [],
    optional: false,
    usesDatabase: true,
    command: ({config, toolkitRoot, env, nodeOptions = []}) => ({
      file: process.execPath,
      // No --enable-source-maps: the server bundle is not minified, so stacks already name our functions,
      // and the flag makes Node read the source maps of every dependency that ships one (about 40% more boot CPU).
      args: [...nodeOptions, join(toolkitRoot, 'dist', 'server.cjs')],
      env,
      cwd: config.root,
    }),
  },
  {
    name: 'web',
    description: 'The Storybook studio (React): the Vite dev server, or the built bundle with NODE_ENV=production',
    port: (config) => config.web.port,
    portVariable: 'WEB_PORT',
    healthPath: '/',
    readyTimeoutMs: 30_000,
    // It proxies /api, but serves its pages (and says the API is down) without it: no need to wait for it.
    dependsOn: [],
    optional: false,
    usesDatabase: false,
    command: ({config, toolkitRoot, env, nodeOptions = []}) => {
      // The browser calls /api on this origin; the server passes it to the API's port.
      const withApi = {...env, API_PORT: env.API_PORT ?? String(config.api.port)}
      if (config.nodeEnv === 'production') {
        return {
          file: process.execPath,
          args: [...nodeOptions, join(toolkitRoot, 'dist', 'web-server.cjs')],
          env: withApi,
          cwd: config.root,
        }
      }
      const web = join(toolkitRoot, 'web')
      return {
        file: process.execPath,
        args: [...nodeOptions, join(toolkitRoot, 'node_modules', 'vite', 'bin', 'vite.js'), '--clearScreen', 'false'],
        env: withApi,
        cwd: web,
      }
    },
  },
  {
    name: 'dashboard',
    description: 'The monitoring dashboard: live charts, alerts and recovery (started with --with-dashboard)',
    port: (config) => config.dashboard.port,
    portVariable: 'DASHBOARD_PORT',
    healthPath: '/health',
    readyTimeoutMs: 20_000,
    dependsOn: [],
    optional: true,
    usesDatabase: false,
    command: ({config, toolkitRoot, env, nodeOptions = []}) => ({
      file: process.execPath,
      args: [...nodeOptions, join(toolkitRoot, 'dist', 'dashboard.cjs')],
      env,
      cwd: config.root,
    }),
  },
]

export function findService(name: string): ServiceSpec | undefined {
  return SERVICES.find((service) => service.name === name)
}
