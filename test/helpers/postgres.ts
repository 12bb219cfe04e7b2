// A throwaway PostgreSQL cluster for the test run: initdb and pg_ctl in a temporary folder on a
// free loopback port, run as the postgres user when the tests run as root (initdb refuses root).
import {execFileSync, spawnSync} from 'node:child_process'
import {chownSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface PostgresCluster {
  /** A URL for the given database on this cluster. */
  url(database?: string): string
  /** Stops the server and keeps its data, as a database going away for a while does. */
  pause(): void
  /** Starts a paused server again, on the same port. */
  resume(): void
  stop(): void
}

function findBinary(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'}).stdout.trim()
  if (onPath) return onPath
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : []
  for (const version of versions) {
    const candidate = join(base, version, 'bin', name)
    if (existsSync(candidate)) return candidate
  }
  throw new Error(
    `PostgreSQL's ${name} was not found (PATH or /usr/lib/postgresql/*/bin). ` +
      'The PostgreSQL tests need the server binaries: apt-get install -y postgresql',
  )
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

export async function startPostgres(): Promise<PostgresCluster> {
  const initdb = findBinary('initdb')
  const pgCtl = findBinary('pg_ctl')
  const asRoot = process.getuid?.() === 0
  const directory = mkdtempSync(join(tmpdir(), 'storybook-pg-'))
  const dataDir = join(directory, 'data')
  const run = (program: string, args: string[]) => {
    const command = asRoot ? ['runuser', '-u', 'postgres', '--', program, ...args] : [program, ...args]
    execFileSync(command[0] as string, command.slice(1), {stdio: 'pipe', timeout: 60_000})
  }
  if (asRoot)
    chownSync(
      directory,
      Number(execFileSync('id', ['-u', 'postgres']).toString()),
      Number(execFileSync('id', ['-g', 'postgres']).toString()),
    )
  const port = await freePort()
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
  const start = () =>
    run(pgCtl, ['-D', dataDir, '-o', options, '-l', join(directory, 'server.log'), '-w', '-t', '60', 'start'])
  try {
    run(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
    start()
  } catch (error) {
    rmSync(directory, {recursive: true, force: true})
    const stderr = (error as {stderr?: Buffer}).stderr?.toString() ?? ''
    throw new Error(`Could not start a PostgreSQL cluster: ${(error as Error).message}\n${stderr}`, {cause: error})
  }
  return {
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    pause: () => run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
    resume: start,
    stop: () => {
      try {
        run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(directory, {recursive: true, force: true})
      }
    },
  }
}

/** A fresh, empty database on the cluster, for one test file. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const {default: pg} = await import('pg')
  const client = new pg.Client({connectionString: adminUrl})
  await client.connect()
  try {
    await client.query(`drop database if exists "${name}" with (force)`)
    await client.query(`create database "${name}"`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.href
}
