// Builds the real app on a fresh, migrated SQLite database for app.inject tests.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {FastifyInstance} from 'fastify'
import {MIGRATIONS} from '../../migrations/index.js'
import {resolveVariables, toAppConfig, type AppConfig, type EnvironmentReport} from '../../src/core/config/load.js'
import {parseEnvDocument} from '../../src/core/config/env-file.js'
import {openDatabase} from '../../src/core/db/connection.js'
import type {DatabaseHandle} from '../../src/core/db/handle.js'
import {runMigrations} from '../../src/core/db/migrator.js'
import {buildApp} from '../../src/server/app.js'
import type {ServerContext} from '../../src/server/context.js'
import {createServerContext, type ContextOptions} from '../../src/server/create-context.js'

export interface TestApp {
  app: FastifyInstance
  context: ServerContext
  database: DatabaseHandle
  config: AppConfig
  /** Registers a new user and returns its bearer header. */
  register(name?: string): Promise<{headers: {authorization: string}; userId: string; email: string}>
  close(): Promise<void>
}

export function testConfig(root: string, overrides: Record<string, string> = {}): AppConfig {
  const env = {
    SESSION_SECRET: 'test-secret-'.repeat(4),
    STORYBOOK_STATE_DIR: join(root, 'state'),
    RATE_LIMIT_MAX: '100000',
    RATE_LIMIT_AUTH_MAX: '100000',
    ...overrides,
  }
  const report: EnvironmentReport = {
    root,
    envFile: join(root, '.env'),
    envFileExists: false,
    envDocument: parseEnvDocument(''),
    envFileWarnings: [],
    ...resolveVariables({env, fileValues: {}, root, envFile: join(root, '.env')}),
  }
  return toAppConfig(report)
}

let counter = 0

export async function createTestApp(
  options: Partial<Omit<ContextOptions, 'config' | 'database'>> & {
    env?: Record<string, string>
    migrateTo?: string
  } = {},
): Promise<TestApp> {
  const root = await mkdtemp(join(tmpdir(), 'storybook-api-'))
  const config = testConfig(root, options.env)
  // Statements are timed as the server times them (main.ts), once the context exists.
  let observe: ((query: {sql: string; durationMs: number; failed: boolean}) => void) | undefined
  const database = await openDatabase(config.database, {create: true, onQuery: (query) => observe?.(query)})
  await runMigrations(database, MIGRATIONS, options.migrateTo ? {to: options.migrateTo} : {})
  const context = createServerContext({config, database, ...options})
  observe = (query) => context.observability.recordQuery(query)
  const app = await buildApp({context})
  return {
    app,
    context,
    database,
    config,
    async register(name = 'user') {
      const email = `${name}-${++counter}-${Date.now()}@example.test`
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: {email, password: 'correct horse battery', displayName: name},
      })
      if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`)
      const body = response.json<{token: string; user: {id: string}}>()
      return {headers: {authorization: `Bearer ${body.token}`}, userId: body.user.id, email}
    },
    async close() {
      await app.close()
      await database.close()
      await rm(root, {recursive: true, force: true})
    },
  }
}

export const LUNA = {
  name: 'Luna',
  description: 'A curious fox',
  traits: {
    ageGroup: 'child',
    species: 'fox',
    hair: 'orange',
    clothing: 'scarf',
    personality: ['curious', 'kind'],
    favouriteThings: ['stars'],
  },
}
export const PIP = {
  name: 'Pip',
  description: 'A brave robot',
  traits: {ageGroup: 'child', species: 'robot', personality: ['brave'], favouriteThings: ['gears']},
}
