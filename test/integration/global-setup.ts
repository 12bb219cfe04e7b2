// Starts one PostgreSQL cluster for the integration run. Missing PostgreSQL fails the run: the
// tests that need it must never be skipped quietly.
import type {TestProject} from 'vitest/node'
import {startPostgres} from '../helpers/postgres.js'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgres()
  project.provide('postgresUrl', cluster.url())
  return () => cluster.stop()
}
