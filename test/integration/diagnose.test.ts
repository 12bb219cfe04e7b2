// `storybook diagnose` through the built CLI against real temporary projects: each check's pass
// and fail paths, the safe fixes of --fix, and the JSON document that CI reads.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {chmod, mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest'
import type {CheckResult} from '../../src/services/diagnose/check.js'
import type {DiagnoseResult} from '../../src/services/diagnose/index.js'
import {createTempProject, REPO_ROOT, type TempProject} from '../helpers/cli.js'
import {createDatabase, freePort} from '../helpers/postgres.js'

/** The exit code of problems found (README: exit codes); 1 is INTERNAL, a bug of the toolkit. */
const CHECKS_FAILED = 13

let project: TempProject
let env: Record<string, string>
const children: ChildProcess[] = []
beforeEach(async () => {
  project = await createTempProject()
  env = {
    API_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    DASHBOARD_PORT: String(await freePort()),
  }
  await project.run(['setup-project', '--skip-install', '--no-seed'], {env})
})
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL') // only processes this test spawned
  await project.run(['stop', '--timeout', '5'], {env})
  await project.cleanup()
})

const diagnose = (args: string[] = [], options: {env?: Record<string, string>} = {}) =>
  project.run<DiagnoseResult>(['diagnose', '--json', ...args], {env: {...env, ...options.env}})
const find = (result: {json: DiagnoseResult | undefined}, id: string) =>
  result.json?.checks.find((check) => check.id === id) as CheckResult
const problems = (result: {json: DiagnoseResult | undefined}) =>
  result.json?.checks.filter((check) => check.status !== 'pass').map((check) => check.id) ?? []

/** Makes the project a git repository that ignores what it should, as a real checkout would. */
async function gitInit(gitignore = '/.env\n/state/\n'): Promise<void> {
  execFileSync('git', ['init', '-q'], {cwd: project.root})
  await writeFile(join(project.root, '.gitignore'), gitignore)
}

/** A long-running helper process of this test (killed in afterEach). */
function spawnHelper(script: string, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script], {cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit']})
  children.push(child)
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => text.includes(ready) && resolve(child))
    child.once('exit', (code) => reject(new Error(`helper exited with ${code}`)))
  })
}

/**
 * A copy of the toolkit (its bin, dist and manifests) whose node_modules links to ours, except
 * better-sqlite3: a copy without its build folder, as after an install whose native build failed.
 */
async function toolkitWithoutSqliteBuild(folder: string): Promise<string> {
  const {cp, readdir, symlink} = await import('node:fs/promises')
  await mkdir(join(folder, 'node_modules'), {recursive: true})
  for (const entry of ['bin', 'dist', 'package.json', 'package-lock.json', 'oclif.manifest.json'])
    await cp(join(REPO_ROOT, entry), join(folder, entry), {recursive: true})
  await symlink(join(REPO_ROOT, 'web'), join(folder, 'web'))
  const modules = join(REPO_ROOT, 'node_modules')
  for (const name of await readdir(modules)) {
    if (name !== 'better-sqlite3') await symlink(join(modules, name), join(folder, 'node_modules', name))
  }
  const driver = join(modules, 'better-sqlite3')
  await cp(driver, join(folder, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (path) => path !== join(driver, 'build'),
  })
  return folder
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Polls `condition` until it holds, failing with what it waited for after the deadline. */
async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('a healthy setup', () => {
  it('passes every check with the API running, in text and in the JSON shape', async () => {
    await gitInit()
    expect((await project.run(['start'], {env})).exitCode).toBe(0)
    const result = await diagnose()
    expect(result.exitCode, result.stdout).toBe(0)
    expect(problems(result)).toEqual([])
    const ids = result.json?.checks.map((check) => check.id)
    for (const id of [
      'node.version',
      'deps.sqlite-driver',
      'build.output',
      'config.valid',
      'config.env-ignored',
      'db.integrity',
      'db.migrations',
      'db.lock',
      'services.state-files',
      'services.api.port',
      'services.api.health',
      'services.web.port',
      'services.dashboard.port',
      'repo.gitignore',
      'tools.git',
      'tools.tmux',
    ]) {
      expect(ids).toContain(id)
    }
    for (const check of result.json?.checks ?? []) {
      expect(Object.keys(check)).toEqual(expect.arrayContaining(['id', 'category', 'status', 'message', 'fix']))
      expect(['environment', 'configuration', 'database', 'services', 'repository']).toContain(check.category)
    }
    expect(result.json?.summary).toEqual({pass: result.json?.checks.length, warn: 0, fail: 0, skipped: 0})
    expect(find(result, 'services.api.health').message).toMatch(
      /^api \(PID \d+, background\) answers \/health in [\d.]+ ms and is ready \(\/ready\)$/,
    )

    const database = await diagnose(['database'])
    // The database checks, and the driver check they wait for
    expect(database.json?.checks.filter((check) => check.category !== 'database').map((check) => check.id)).toEqual([
      'deps.sqlite-driver',
    ])
    expect(database.exitCode).toBe(0)

    const text = await project.run(['diagnose'], {env})
    expect(text.exitCode).toBe(0)
    expect(text.stdout).not.toMatch(/\u001B\[/) // piped: no colour
    expect(text.stdout).toContain('Environment\n  [ok]   Node')
    expect(text.stdout).toMatch(/\d+ passed, 0 warnings, 0 failed in \d+ ms/)
    const coloured = await project.run(['diagnose'], {env: {...env, FORCE_COLOR: '1'}})
    expect(coloured.stdout).toContain('✓')
    const noColour = await project.run(['diagnose', '--verbose'], {env: {...env, FORCE_COLOR: '1', NO_COLOR: '1'}})
    expect(noColour.stdout).toContain('[ok]')
    expect(noColour.stdout).toMatch(/\(node\.version, [\d.]+ ms\)/) // --verbose: ids and timings
  })
})

describe('the broken setup of the issue', () => {
  it('lists a stale state file, API_PORT=abc and a pending migration with their fixes; --fix repairs two and reports the third', async () => {
    await gitInit()
    await project.run(['db', 'rollback'], {env})
    await mkdir(join(project.stateDir, 'run'), {recursive: true})
    const staleFile = join(project.stateDir, 'run', 'api.json')
    const stale = {
      service: 'api',
      supervisor: {
        pid: 999_999,
        startTime: 1,
        clock: 'boot-ticks',
        bootId: 'another boot',
        command: 'node dist/supervisor.cjs',
        uid: null,
      },
      processGroup: 999_999,
      child: null,
      command: 'node dist/server.cjs',
      port: 8000,
      mode: 'background',
      restarts: 0,
      startedAt: new Date().toISOString(),
      status: 'running',
      lastExit: null,
      reason: null,
    }
    await writeFile(staleFile, JSON.stringify(stale))
    await writeFile(project.envFile, `${await project.readEnv()}API_PORT=abc\n`)
    const envBefore = await project.readEnv()

    const broken = await diagnose([], {env: {API_PORT: ''}})
    expect(broken.exitCode).toBe(CHECKS_FAILED)
    expect(
      broken.json?.checks.filter((check) => check.status === 'fail').map((check) => [check.id, check.fix]),
    ).toEqual([
      ['config.valid', 'storybook env setup --set API_PORT=8000'],
      ['db.migrations', 'storybook db backup && storybook db migrate'],
      ['services.state-files', 'storybook stop api'],
    ])
    expect(find(broken, 'config.valid').message).toBe(
      'API_PORT is invalid: must be a whole number from 1 to 65535 (from .env)',
    )
    expect(find(broken, 'db.migrations').message).toBe('1 migration is pending: 0005_create_generation_jobs')
    expect(find(broken, 'services.api.port')).toMatchObject({status: 'warn', skipped: true})
    expect(broken.json?.summary).toMatchObject({fail: 3})

    const fixed = await diagnose(['--fix', '--yes'], {env: {API_PORT: ''}})
    expect(fixed.exitCode).toBe(CHECKS_FAILED) // the .env value is not ours to choose
    expect(fixed.json?.fixes?.map((fix) => [fix.command, fix.outcome])).toEqual([
      ['storybook db backup && storybook db migrate', 'applied'],
      ['storybook stop api', 'applied'],
    ])
    expect(problems(fixed)).toEqual(['config.valid', 'services.api.port'])
    expect(fixed.json?.before).toMatchObject({fail: 3})
    await expect(stat(staleFile)).rejects.toThrow()
    expect(await project.readEnv()).toBe(envBefore) // left exactly as it was
  })
})

describe('configuration', () => {
  it('names an invalid variable and its rule, never its value', async () => {
    await writeFile(project.envFile, `${await project.readEnv()}DATABASE_URL=mysql://root:hunter2secret@db/x\n`)
    const result = await diagnose()
    expect(result.exitCode).toBe(CHECKS_FAILED)
    expect(find(result, 'config.valid').message).toMatch(/^DATABASE_URL is invalid: .+ \(from \.env\)$/)
    expect(result.stdout).not.toContain('hunter2secret')
    // Every check that needs the database URL is not run on a guess.
    expect(find(result, 'db.migrations')).toMatchObject({
      status: 'warn',
      skipped: true,
      message: 'migrations: not checked while DATABASE_URL is invalid',
    })
  })

  it('a missing .env fails with env setup --yes, which --fix runs', async () => {
    await gitInit()
    await rm(project.envFile)
    const result = await diagnose()
    expect(find(result, 'config.env-file')).toMatchObject({
      status: 'fail',
      fix: 'storybook env setup --yes',
      autoFix: true,
    })
    expect(find(result, 'config.valid')).toMatchObject({
      status: 'fail',
      message: 'SESSION_SECRET is missing: must be at least 32 characters',
      autoFix: true,
    })
    const fixed = await diagnose(['--fix', '--yes'])
    expect(fixed.json?.fixes).toEqual([
      expect.objectContaining({checks: ['config.env-file', 'config.valid'], outcome: 'applied'}),
    ])
    expect(fixed.exitCode).toBe(0)
    expect(await project.readEnv()).toMatch(/^SESSION_SECRET=.{32,}$/m)
  })

  it('a world-readable .env fails; --fix makes it 0600', async () => {
    await chmod(project.envFile, 0o644)
    const result = await diagnose()
    expect(find(result, 'config.env-permissions')).toMatchObject({status: 'fail', fix: 'chmod 600 .env'})
    await diagnose(['--fix', '--yes'])
    expect((await stat(project.envFile)).mode & 0o777).toBe(0o600)
  })

  it('a .env that git tracks fails, with the commands to untrack it and replace the secret', async () => {
    await gitInit()
    execFileSync('git', ['add', '-f', '.env'], {cwd: project.root})
    const result = await diagnose()
    expect(find(result, 'config.env-ignored')).toMatchObject({
      status: 'fail',
      message: '.env is tracked by git: the secrets are in the history',
      autoFix: false,
    })
    expect(find(result, 'config.env-ignored').fix).toMatch(
      /^git rm --cached \.env && storybook env setup --set SESSION_SECRET=/,
    )
  })
})

describe('repository hygiene', () => {
  it('a missing .gitignore line fails in a git repository; --fix adds it', async () => {
    await gitInit('/.env\n')
    const result = await diagnose()
    expect(find(result, 'repo.gitignore')).toMatchObject({status: 'fail', autoFix: true})
    // The state directory is named, not sample files that do not exist yet
    expect(find(result, 'repo.gitignore').message).toBe(
      'not ignored by git: state/ (state files, logs, database, backups)',
    )
    const fixed = await diagnose(['--fix', '--yes'])
    expect(find(fixed, 'repo.gitignore').status).toBe('pass')
    expect(await readFile(join(project.root, '.gitignore'), 'utf8')).toBe('/.env\n/state/\n')
  })
})

describe('database', () => {
  it('pending migrations fail and --fix applies them', async () => {
    await project.run(['db', 'rollback', '--steps', '2'], {env})
    const result = await diagnose()
    expect(find(result, 'db.migrations')).toMatchObject({
      status: 'fail',
      message: '2 migrations are pending: 0004_create_illustrations, 0005_create_generation_jobs',
      autoFix: true,
    })
    // --dry-run lists the migration and applies nothing
    const dryRun = await diagnose(['--fix', '--dry-run'])
    expect(dryRun.exitCode).toBe(CHECKS_FAILED)
    expect(dryRun.json?.fixes).toContainEqual(
      expect.objectContaining({
        checks: ['db.migrations'],
        command: 'storybook db backup && storybook db migrate',
        outcome: 'planned',
      }),
    )
    const text = await project.run(['diagnose', '--fix', '--dry-run', 'database'], {env})
    expect(text.stdout).toContain('Fixes that --fix would apply (--dry-run: nothing was changed)')
    expect(text.stdout).toMatch(/\[plan\] (npx )?storybook db backup && (npx )?storybook db migrate: would be applied/)
    expect(find(await diagnose(), 'db.migrations').status).toBe('fail')
    const fixed = await diagnose(['--fix', '--yes'])
    expect(fixed.exitCode).toBe(0)
    expect(find(fixed, 'db.migrations').status).toBe('pass')
    // It backed the database up before migrating, and says where: a sound database with the state before
    const message = fixed.json?.fixes?.find((fix) => fix.checks.includes('db.migrations'))?.message ?? ''
    const backup =
      /^backed up to (state\/backups\/storybook-\d{8}-\d{6}\.db), then applied 0004_create_illustrations, 0005_create_generation_jobs$/.exec(
        message,
      )?.[1]
    expect(backup, message).toBeDefined()
    const copy = new Database(join(project.root, backup as string), {readonly: true, fileMustExist: true})
    try {
      expect(copy.pragma('quick_check', {simple: true})).toBe('ok')
      const names = copy.prepare('select name from storybook_migrations order by name').pluck().all()
      expect(names).toEqual([
        '0001_create_users_and_sessions',
        '0002_create_characters',
        '0003_create_stories_and_pages',
      ])
    } finally {
      copy.close()
    }
  })

  it('drift fails with a git diff of migrations/ written for the folder the command is typed in', async () => {
    // Given an applied migration whose recorded checksum no longer matches its file
    const db = new Database(join(project.stateDir, 'data', 'storybook.db'))
    db.prepare("update storybook_migrations set checksum = 'x' where name = '0001_create_users_and_sessions'").run()
    db.close()
    // A project without migrations/ of its own: they are the toolkit's, in another checkout (not git diff migrations/ here)
    const elsewhere = await diagnose(['db.drift'])
    // The toolkit's folder as the shorter of its absolute path and its path from the project
    const toolkit = REPO_ROOT.replace(/\/$/, '')
    const fromProject = relative(project.root, toolkit)
    expect(find(elsewhere, 'db.drift')).toMatchObject({
      status: 'fail',
      fix: `git -C ${fromProject.length < toolkit.length ? fromProject : toolkit} diff migrations/`,
    })
    await mkdir(join(project.root, 'migrations'))
    await mkdir(join(project.root, 'web', 'src'), {recursive: true})
    // When diagnose runs at the root and two folders down
    const atRoot = await diagnose(['db.drift'])
    const below = await project.run<DiagnoseResult>(['diagnose', '--json', 'db.drift'], {
      env,
      cwd: join(project.root, 'web', 'src'),
    })
    // Then each fix finds migrations/ from where it is pasted
    expect(find(atRoot, 'db.drift')).toMatchObject({status: 'fail', fix: 'git diff migrations/'})
    expect(find(below, 'db.drift')).toMatchObject({status: 'fail', fix: 'git diff ../../migrations/'})
  })

  it('a file that is not a database fails to open; the checks that need it are not run', async () => {
    await writeFile(join(project.stateDir, 'data', 'storybook.db'), 'this is not a database '.repeat(500))
    const result = await diagnose()
    expect(result.exitCode).toBe(CHECKS_FAILED)
    expect(find(result, 'db.reachable')).toMatchObject({
      status: 'fail',
      message: 'state/data/storybook.db is not a usable SQLite database (SQLITE_NOTADB)',
      fix: 'storybook db reset --yes',
    })
    for (const id of ['db.integrity', 'db.migrations', 'db.drift', 'db.lock'])
      expect(find(result, id)).toMatchObject({status: 'warn', skipped: true})
  })

  it('a damaged page fails quick_check, with the newest backup to restore', async () => {
    await project.run(['db', 'backup'], {env})
    const file = join(project.stateDir, 'data', 'storybook.db')
    const bytes = await readFile(file)
    bytes.fill(0xff, 4096 * 3, 4096 * 4) // one b-tree page of a table
    await writeFile(file, bytes)
    const result = await diagnose()
    const integrity = find(result, 'db.integrity')
    expect(integrity.status).toBe('fail')
    expect(integrity.message).toMatch(/^the database is damaged: /)
    expect(integrity.fix).toMatch(/^storybook db restore state\/backups\/storybook-\d{8}-\d{6}\.db$/)
  })

  it('a writer holding the lock fails db.lock, naming its PID', async () => {
    const file = join(project.stateDir, 'data', 'storybook.db')
    const holder = await spawnHelper(
      `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('begin immediate'); console.log('locked'); setInterval(() => {}, 1000)`,
      'locked',
    )
    const result = await diagnose()
    expect(find(result, 'db.lock')).toMatchObject({
      status: 'fail',
      message: 'the database is locked: a writer has held it for more than 1.5 s',
    })
    expect(find(result, 'db.lock').details).toContainEqual(
      expect.stringMatching(new RegExp(`^  PID ${holder.pid}: .*node`)),
    )
  })

  it('a driver whose native binding is missing fails the driver check in one line; the database checks wait for it', async () => {
    // Given a copy of the toolkit whose better-sqlite3 was never built (the 14-line bindings error)
    const kit = await toolkitWithoutSqliteBuild(join(project.root, 'kit'))
    // When its doctor looks at the project
    const result = await new Promise<{code: number | null; json: DiagnoseResult}>((resolve, reject) => {
      const child = spawn(process.execPath, [join(kit, 'bin', 'run.js'), 'diagnose', '--json'], {
        cwd: project.root,
        env: {...process.env, ...env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir},
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let stdout = ''
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
      child.once('error', reject)
      child.once('close', (code) => resolve({code, json: JSON.parse(stdout) as DiagnoseResult}))
    })
    // Then the driver check says why in one line, with npm rebuild as its fix
    expect(result.code).toBe(CHECKS_FAILED)
    const driver = find(result, 'deps.sqlite-driver')
    expect(driver).toMatchObject({
      status: 'fail',
      message: 'better-sqlite3 does not load: Could not locate the bindings file',
      fix: 'cd kit && npm rebuild better-sqlite3',
      autoFix: true,
    })
    // And the database checks are not run on a driver that cannot load, instead of failing with its message and an ls fix
    expect(find(result, 'db.reachable')).toMatchObject({
      status: 'warn',
      skipped: true,
      message: 'database connection: not checked until SQLite driver passes',
      fix: null,
    })
    for (const id of ['db.migrations', 'db.integrity', 'db.lock']) expect(find(result, id).skipped).toBe(true)
    expect(JSON.stringify(result.json.checks)).not.toContain('Tried:')
  })

  it('checks a PostgreSQL database: reachable, migrations pending, no SQLite-only checks', async () => {
    const url = await createDatabase(inject('postgresUrl'), `diagnose_${randomUUID().replaceAll('-', '')}`)
    const result = await diagnose([], {env: {DATABASE_URL: url}})
    expect(find(result, 'db.reachable')).toMatchObject({status: 'pass'})
    expect(find(result, 'db.reachable').message).toMatch(/^PostgreSQL postgres:\/\/.+ opens \(\d+ ms\)$/)
    expect(find(result, 'db.migrations')).toMatchObject({
      status: 'fail',
      message:
        '5 migrations are pending: 0001_create_users_and_sessions, 0002_create_characters, 0003_create_stories_and_pages, 0004_create_illustrations, 0005_create_generation_jobs',
    })
    expect(find(result, 'db.integrity')).toBeUndefined()
    // --fix backs the database up with pg_dump before it migrates, and names the file
    const fixed = await diagnose(['--fix', '--yes', 'database'], {env: {DATABASE_URL: url}})
    expect(find(fixed, 'db.migrations').status).toBe('pass')
    const message = fixed.json?.fixes?.find((fix) => fix.checks.includes('db.migrations'))?.message ?? ''
    const backup = /^backed up to (state\/backups\/storybook-\d{8}-\d{6}\.dump), then applied 0001_/.exec(message)?.[1]
    expect(backup, message).toBeDefined()
    const listing = execFileSync('pg_restore', ['--list', join(project.root, backup as string)], {encoding: 'utf8'})
    expect(listing).toMatch(/Format: CUSTOM/) // a valid archive that pg_restore reads
    const unreachable = await diagnose([], {
      env: {DATABASE_URL: `postgres://nobody:pw@127.0.0.1:${await freePort()}/x`},
    })
    expect(find(unreachable, 'db.reachable').status).toBe('fail')
    expect(unreachable.stdout).not.toContain(':pw@')
  })
})

describe('services', () => {
  it('a port held by another process fails, naming its PID and command; --fix leaves it alone', async () => {
    const server = await spawnHelper(
      `require('node:http').createServer((q, s) => s.end('x')).listen(${env.API_PORT}, '127.0.0.1', () => console.log('listening'))`,
      'listening',
    )
    const result = await diagnose()
    const port = find(result, 'services.api.port')
    expect(port).toMatchObject({status: 'fail', autoFix: false})
    // API_PORT comes from the environment here, which wins over .env: the fix goes there, with a port free now.
    expect(port.fix).toMatch(/^export API_PORT=\d+$/)
    expect(port.message).toMatch(
      new RegExp(
        `^port ${env.API_PORT} \\(API_PORT\\) is held by PID ${server.pid} \\(.*node -e .+\\), not started by storybook$`,
      ),
    )
    await diagnose(['--fix', '--yes'])
    expect(server.exitCode).toBeNull() // still running: never signalled
    expect((await fetch(`http://127.0.0.1:${env.API_PORT}/`)).ok).toBe(true)
  })

  it('checks the web and dashboard ports: free passes, a foreign holder warns with a free port, a clash with API_PORT fails', async () => {
    // Given a process storybook did not start on WEB_PORT
    const server = await spawnHelper(
      `require('node:http').createServer((q, s) => s.end('x')).listen(${env.WEB_PORT}, '127.0.0.1', () => console.log('listening'))`,
      'listening',
    )
    // When the doctor looks at the services
    const result = await diagnose(['services'])
    // Then the web port warns, naming the holder and a free port to move to; the dashboard port is free
    // (a fail once the web app is a service of the registry, which start starts; a warning while only its port is reserved)
    const {SERVICES} = await import('../../src/core/process/registry.js')
    const web = find(result, 'services.web.port')
    expect(web).toMatchObject({
      status: SERVICES.some((service) => service.name === 'web') ? 'fail' : 'warn',
      autoFix: false,
    })
    expect(web.message).toMatch(
      new RegExp(
        `^port ${env.WEB_PORT} \\(WEB_PORT\\) is held by PID ${server.pid} \\(.*node -e .+\\), not started by storybook$`,
      ),
    )
    expect(web.fix).toMatch(/^export WEB_PORT=\d+$/) // from the environment here, which wins over .env
    expect(find(result, 'services.dashboard.port')).toMatchObject({
      status: 'pass',
      message: `port ${env.DASHBOARD_PORT} (DASHBOARD_PORT) is free`,
    })
    // And a dashboard port set to the API's, in .env, fails with the setting to change
    const clash = await diagnose(['services'], {env: {DASHBOARD_PORT: ''}})
    expect(find(clash, 'services.dashboard.port').status).toBe('pass')
    await writeFile(project.envFile, `${await project.readEnv()}DASHBOARD_PORT=${env.API_PORT}\n`)
    const same = await diagnose(['services'], {env: {DASHBOARD_PORT: ''}})
    expect(find(same, 'services.dashboard.port')).toMatchObject({
      status: 'fail',
      message: `port ${env.API_PORT} (DASHBOARD_PORT) is also API_PORT`,
      fix: expect.stringMatching(/^storybook env setup --set DASHBOARD_PORT=\d+$/),
    })
    expect(same.exitCode).toBe(CHECKS_FAILED)
  })

  it('an API that answers /health but not /ready fails, with the fix its /ready names', async () => {
    // Given a running API whose database lost its last migration
    expect((await project.run(['start', 'api'], {env})).exitCode).toBe(0)
    expect((await project.run(['db', 'rollback', '--force'], {env})).exitCode).toBe(0)
    // When the doctor looks at it
    const result = await diagnose(['services.api'])
    // Then its health check fails on /ready, naming the part that is not ready
    expect(result.exitCode).toBe(CHECKS_FAILED)
    expect(find(result, 'services.api.health')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /^api \(PID \d+\) answers \/health but is not ready: \/ready answers HTTP 503 \(migrations\)$/,
      ),
      fix: 'storybook db migrate',
      details: ['migrations: 1 pending migration: run storybook db migrate'],
    })
  })

  it('a service that crashed and was given up fails with its reason', async () => {
    await mkdir(join(project.stateDir, 'run'), {recursive: true})
    const {identityOf} = await import('../../src/core/process/identity.js')
    const {procBackend} = await import('../../src/core/process/platform/linux.js')
    const crashed = {
      service: 'api',
      supervisor: await identityOf(process.pid, procBackend),
      processGroup: null,
      child: null,
      command: 'node dist/server.cjs',
      port: 8000,
      mode: 'background',
      restarts: 5,
      startedAt: new Date().toISOString(),
      status: 'crashed',
      lastExit: {code: 1, signal: null, at: new Date().toISOString()},
      reason: 'crashed 5 times within 60 s',
    }
    await writeFile(join(project.stateDir, 'run', 'api.json'), JSON.stringify(crashed))
    const result = await diagnose()
    expect(find(result, 'services.api.health')).toMatchObject({
      status: 'fail',
      message: 'api crashed and was given up: crashed 5 times within 60 s',
    })
  })

  it('oversized logs and surplus generations warn; --fix names each file it deletes or cuts, and frees the space', async () => {
    // Given real big rotated logs of a stopped API: an oversized current log and generation, and two beyond the 5 kept
    const logs = join(project.stateDir, 'log')
    await mkdir(logs, {recursive: true})
    const MB = 1024 * 1024
    const lines = (bytes: number, tag: string) => {
      const line = `{"level":30,"msg":"${tag} ${'x'.repeat(80)}"}\n`
      return line.repeat(Math.ceil(bytes / line.length))
    }
    await writeFile(join(logs, 'api.log'), lines(12 * MB, 'current'))
    await writeFile(join(logs, 'api.log.1'), lines(30 * MB, 'first'))
    await writeFile(join(logs, 'api.log.2'), lines(1 * MB, 'second'))
    await writeFile(join(logs, 'api.log.6'), lines(2 * MB, 'sixth'))
    await writeFile(join(logs, 'api.log.7'), lines(3 * MB, 'seventh'))
    const sizeOf = async () => {
      const {readdir} = await import('node:fs/promises')
      let total = 0
      for (const name of await readdir(logs)) total += (await stat(join(logs, name))).size
      return total
    }
    const before = await sizeOf()
    // When the doctor looks
    const result = await diagnose()
    // Then it warns, and the fix says exactly what it will delete and cut
    const check = find(result, 'services.logs')
    expect(check).toMatchObject({status: 'warn', autoFix: true})
    expect(check.message).toContain('over 10.0 MB: api.log, api.log.1')
    expect(check.message).toContain('generations beyond the 5 kept: api.log.6, api.log.7')
    expect(check.fix).toBe(
      'storybook diagnose services.logs --fix   # deletes api.log.6, api.log.7; keeps the newest 10.0 MB of api.log, api.log.1',
    )
    expect((await diagnose(['services'])).exitCode).toBe(0) // a warning
    expect((await diagnose(['services', '--strict'])).exitCode).toBe(CHECKS_FAILED)
    // When --fix applies it
    const fixed = await diagnose(['--fix', '--yes'])
    // Then it did what it said and nothing else: the report names every file, and the folder is smaller
    const message = fixed.json?.fixes?.find((fix) => fix.checks.includes('services.logs'))?.message
    expect(message).toMatch(
      /^deleted api\.log\.6 \(2\.0 MB\); deleted api\.log\.7 \(3\.0 MB\); cut api\.log from 12\.0 MB to its newest 10\.0 MB; cut api\.log\.1 from 30\.0 MB to its newest 10\.0 MB: 27\.0 MB freed$/,
    )
    expect(find(fixed, 'services.logs').status).toBe('pass')
    const {readdir} = await import('node:fs/promises')
    expect((await readdir(logs)).sort()).toEqual(['api.log', 'api.log.1', 'api.log.2'])
    expect((await stat(join(logs, 'api.log.2'))).size).toBe(Buffer.byteLength(lines(1 * MB, 'second'))) // untouched
    expect(await sizeOf()).toBeLessThan(before - 26 * MB)
    // What is kept is the newest lines, whole
    const kept = await readFile(join(logs, 'api.log.1'), 'utf8')
    expect(kept.startsWith('{"level":30,"msg":"first ')).toBe(true)
    expect(kept.endsWith('"}\n')).toBe(true)
    expect((await stat(join(logs, 'api.log.1'))).size).toBeLessThanOrEqual(10 * MB)
  })
})

describe('--report', () => {
  it('gives the versions and problems to paste into a bug report, home paths and secrets redacted', async () => {
    // Given a project in the home folder whose .env holds a secret, and a pending migration
    const secret = /^SESSION_SECRET=(.+)$/m.exec(await project.readEnv())?.[1] as string
    expect(secret.length).toBeGreaterThan(8)
    await writeFile(join(project.stateDir, 'data', 'storybook.db'), '')
    const home = {HOME: project.root}
    // When the report is asked for, as JSON and as text
    const result = await diagnose(['--report'], {env: home})
    const text = await project.run(['diagnose', '--report'], {env: {...env, ...home}})
    // Then it names each version
    const versions = result.json?.report?.versions
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {version: string}
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: REPO_ROOT, encoding: 'utf8'}).trim()
    expect(versions).toMatchObject({
      toolkit: {name: 'storybook-toolkit', version: manifest.version},
      git: {commit},
      node: process.versions.node,
      npm: execFileSync('npm', ['--version'], {encoding: 'utf8'}).trim(),
      sqlite: {library: expect.stringMatching(/^3\.\d+\.\d+$/), driver: expect.stringMatching(/^\d+\./)},
      os: {platform: process.platform, arch: process.arch},
      database: {dialect: 'sqlite', location: '~/state/data/storybook.db'},
      project: '~',
      stateDir: '~/state',
    })
    // And the text says the same, with the problems and their fixes, and no home path or secret
    expect(text.exitCode).toBe(result.exitCode)
    expect(text.stdout.trimEnd()).toBe(result.json?.report?.text)
    expect(text.stdout).toContain(`node      ${process.versions.node}`)
    expect(text.stdout).toContain(`toolkit   storybook-toolkit ${manifest.version}, git ${commit}`)
    expect(text.stdout).toMatch(/\[fail\] db\.\w+: /)
    for (const output of [text.stdout, JSON.stringify(result.json)]) {
      expect(output).not.toContain(project.root)
      expect(output).not.toContain(secret)
    }
  })
})

describe('--fix on a terminal', () => {
  it('asks before each fix, applies only what was accepted, then reports again', async () => {
    await gitInit()
    await project.run(['db', 'rollback'], {env})
    await chmod(project.envFile, 0o644)
    const socket = join(project.root, 'tmux.sock')
    const cli = join(REPO_ROOT, 'bin', 'run.js')
    // A person at a terminal: whatever CI or TERM the test run has, the pane has its own.
    const line = `cd ${project.root} && env -u CI TERM=xterm-256color STORYBOOK_ROOT=${project.root} STORYBOOK_STATE_DIR=${project.stateDir} API_PORT=${env.API_PORT} ${process.execPath} ${cli} diagnose --fix; echo EXIT=$?; sleep 30`
    execFileSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'fix', '-x', '200', '-y', '60', line])
    const screen = () =>
      execFileSync('tmux', ['-S', socket, 'capture-pane', '-p', '-S', '-100', '-t', 'fix'], {encoding: 'utf8'})
    const waitFor = async (text: string) => {
      for (let wait = 0; wait < 200 && !screen().includes(text); wait++)
        await new Promise((resolve) => setTimeout(resolve, 50))
      expect(screen()).toContain(text)
    }
    try {
      await waitFor('Fix config.env-permissions with: chmod 600 .env?')
      execFileSync('tmux', ['-S', socket, 'send-keys', '-t', 'fix', 'n', 'Enter'])
      await waitFor('storybook db migrate?') // npx storybook, unless a storybook on PATH is this one
      execFileSync('tmux', ['-S', socket, 'send-keys', '-t', 'fix', 'y', 'Enter'])
      await waitFor('EXIT=')
      const output = screen()
      expect(output).toContain('EXIT=1') // the declined fix leaves a failure
      expect(output).toMatch(
        /✓ (npx )?storybook db backup && (npx )?storybook db migrate: backed up to state\/backups\/storybook-\d{8}-\d{6}\.db, then applied 0005_create_generation_jobs/,
      )
      expect(output).toMatch(/- chmod 600 \.env: not applied \(declined\)/)
      expect((await stat(project.envFile)).mode & 0o777).toBe(0o644)
    } finally {
      execFileSync('tmux', ['-S', socket, 'kill-server'])
    }
  })
})

describe('what a broken setup may look like', () => {
  it('goes on when .env is a directory or a pipe, reporting it first', async () => {
    await rm(project.envFile)
    await mkdir(project.envFile)
    const directory = await diagnose()
    expect(directory.exitCode).toBe(CHECKS_FAILED)
    // It says what is there, and the fix moves it aside (nothing lost) before env setup writes the file.
    const fix = 'mv .env .env.dir-backup && storybook env setup --yes'
    expect(find(directory, 'config.env-file')).toMatchObject({
      status: 'fail',
      message: '.env is a directory, not a file',
      fix,
      autoFix: false,
    })
    expect(find(directory, 'config.valid')).toMatchObject({fix, autoFix: false}) // not env setup alone, which fails
    expect(find(directory, 'db.migrations').status).toBe('pass') // everything else still ran
    const fixed = await diagnose(['--fix', '--yes'])
    expect(fixed.json?.fixes?.filter((entry) => entry.outcome === 'failed')).toEqual([])
    execFileSync('sh', ['-c', fix.replace('storybook ', `${process.execPath} ${join(REPO_ROOT, 'bin', 'run.js')} `)], {
      cwd: project.root,
      env: {...process.env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir},
    })
    expect(find(await diagnose(), 'config.env-file').status).toBe('pass')
    await rm(`${project.envFile}.dir-backup`, {recursive: true})
    await rm(project.envFile, {recursive: true})
    execFileSync('mkfifo', [project.envFile])
    const pipe = await diagnose()
    expect(find(pipe, 'config.env-file').message).toContain('is not a regular file')
  })

  it('reports a dangling .env link, and --fix keeps the link instead of writing a new secret in its place', async () => {
    // Given .env, a link to a secrets file that is gone (moved, or on a drive not mounted)
    const {symlink, lstat, readlink} = await import('node:fs/promises')
    await rm(project.envFile)
    await symlink('vault/storybook.env', project.envFile)
    // When the doctor looks, then fixes what it may
    const result = await diagnose()
    const fixed = await diagnose(['--fix', '--yes'])
    // Then it names the link and where it points; env setup is offered, not applied
    const fix = 'storybook env setup --yes   # creates vault/storybook.env, keeps the link'
    expect(find(result, 'config.env-file')).toMatchObject({
      status: 'fail',
      message: '.env is a link to vault/storybook.env, which does not exist',
      fix,
      autoFix: false,
    })
    expect(find(result, 'config.valid')).toMatchObject({fix, autoFix: false})
    expect(fixed.json?.fixes?.map((entry) => entry.command)).not.toContain(fix)
    expect((await lstat(project.envFile)).isSymbolicLink()).toBe(true)
    expect(await readlink(project.envFile)).toBe('vault/storybook.env')
    await expect(stat(join(project.root, 'vault', 'storybook.env'))).rejects.toThrow(/ENOENT/)
  })

  it('suggests the SQLite default that env setup leaves in force for DATABASE_URL=garbage, not the PostgreSQL example', async () => {
    await writeFile(project.envFile, `${await project.readEnv()}\nDATABASE_URL=garbage\n`)
    const result = await diagnose()
    const valid = find(result, 'config.valid')
    expect(valid).toMatchObject({
      status: 'fail',
      fix: 'storybook env setup --set DATABASE_URL=sqlite:state/data/storybook.db',
      autoFix: false,
    })
    expect(JSON.stringify(valid)).not.toContain('postgres://storybook:secret') // the documentation's example
    // The suggested value is the database setup-project made: typed in, every database check passes.
    const set = await project.run(['env', 'setup', '--set', 'DATABASE_URL=sqlite:state/data/storybook.db'], {env})
    expect(set.exitCode, set.stderr).toBe(0)
    const after = await diagnose(['database', 'configuration'])
    expect(problems(after).filter((id) => id.startsWith('db.') || id === 'config.valid')).toEqual([])
    // From the environment, which wins over .env, the fix is to unset it there.
    expect(find(await diagnose([], {env: {DATABASE_URL: 'garbage'}}), 'config.valid').fix).toBe('unset DATABASE_URL')
  })

  it('a .env it cannot read is not replaced by --fix, and the missing secret is not called missing alone', async () => {
    // Given a .env that exists but cannot be read (a stand-in for another user's file: no read permission for anyone)
    const before = await project.readEnv()
    await chmod(project.envFile, 0o000)
    const asRoot = process.getuid?.() === 0
    // Root reads any file: run the doctor as nobody there, over a copy of the project it can reach
    const run = async (args: string[]) => {
      if (!asRoot) return diagnose(args)
      await chmod(project.root, 0o777)
      const {spawnSync} = await import('node:child_process')
      const exports = Object.entries({
        ...env,
        STORYBOOK_ROOT: project.root,
        STORYBOOK_STATE_DIR: join(project.root, 'nobody-state'),
      })
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')
      const out = spawnSync(
        'su',
        [
          'nobody',
          '-s',
          '/bin/sh',
          '-c',
          `cd ${project.root} && env ${exports} ${process.execPath} ${join(REPO_ROOT, 'bin', 'run.js')} diagnose --json configuration ${args.join(' ')}`,
        ],
        {encoding: 'utf8'},
      )
      return {json: JSON.parse(out.stdout) as DiagnoseResult}
    }
    const result = await run([])
    expect(find(result, 'config.env-file').message).toMatch(/^\.env cannot be read: /)
    expect(find(result, 'config.valid')).toMatchObject({autoFix: false, fix: 'ls -l .env'})
    expect(find(result, 'config.valid').details[0]).toBe(
      '.env cannot be read, so the values it holds are not known here.',
    )
    const fixed = await run(['--fix', '--yes'])
    expect(fixed.json?.fixes?.map((fix) => fix.command) ?? []).not.toContain('storybook env setup --yes')
    await chmod(project.envFile, 0o600)
    expect(await project.readEnv()).toBe(before) // the file that holds the secret is still there
  })

  it('finishes on time, and leaves no git behind, when git hangs', async () => {
    await gitInit()
    const bin = join(project.root, 'slow-bin')
    await mkdir(bin)
    await writeFile(join(bin, 'git'), '#!/bin/sh\necho $$ >> "$(dirname "$0")/pids"\nexec sleep 30\n', {mode: 0o755})
    const started = Date.now()
    const result = await diagnose(['repository', 'configuration'], {env: {PATH: `${bin}:${process.env.PATH}`}})
    expect(Date.now() - started).toBeLessThan(8_000)
    expect(result.json?.checks.map((check) => check.id)).toContain('repo.gitignore')
    // Every git the doctor started has ended by the time it exits.
    const pids = (await readFile(join(bin, 'pids'), 'utf8')).split('\n').filter(Boolean).map(Number)
    expect(pids.length).toBeGreaterThan(0)
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow()
  })

  it('answers on time while another process holds an exclusive lock on the database', async () => {
    const file = join(project.stateDir, 'data', 'storybook.db')
    await spawnHelper(
      `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.pragma('journal_mode = delete'); db.exec('begin exclusive'); db.prepare("insert into storybook_migrations (name, checksum, applied_at) values ('x', 'x', 'x')").run(); console.log('locked'); setInterval(() => {}, 1000)`,
      'locked',
    )
    const started = Date.now()
    const result = await diagnose()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(find(result, 'db.reachable')).toMatchObject({
      status: 'fail',
      message: 'state/data/storybook.db is locked by another process, even for reading',
    })
    // The lock stalls nothing else: no other check ran out of time.
    expect(result.json?.checks.filter((check) => check.message.includes('did not finish'))).toEqual([])
  })

  it('offers the newest backup, not an empty database, when the database file is gone', async () => {
    await project.run(['db', 'backup'], {env})
    await rm(join(project.stateDir, 'data', 'storybook.db'))
    const result = await diagnose()
    expect(find(result, 'db.reachable')).toMatchObject({
      status: 'fail',
      message: 'there is no database at state/data/storybook.db, but there are backups',
      autoFix: false,
    })
    expect(find(result, 'db.reachable').fix).toMatch(/^storybook db restore state\/backups\/storybook-\d{8}-\d{6}\.db$/)
  })

  it('writes fix commands for the folder they are typed in, and a .gitignore line that cannot join the last one', async () => {
    await gitInit('/.env\nnode_modules')
    await chmod(project.envFile, 0o644)
    await mkdir(join(project.root, 'src', 'deep'), {recursive: true})
    const result = await project.run<DiagnoseResult>(['diagnose', '--json'], {
      env,
      cwd: join(project.root, 'src', 'deep'),
    })
    expect(find(result, 'config.env-permissions').fix).toBe('chmod 600 ../../.env')
    expect(find(result, 'repo.gitignore').fix).toBe("printf '\\n%s\\n' /state/ >> ../../.gitignore")
    execFileSync('sh', ['-c', find(result, 'repo.gitignore').fix as string], {cwd: join(project.root, 'src', 'deep')})
    expect(await readFile(join(project.root, '.gitignore'), 'utf8')).toBe('/.env\nnode_modules\n/state/\n')
    expect(find(await diagnose(), 'repo.gitignore').status).toBe('pass')
  })

  it('an API serving without its supervisor: every check says restart, and --fix restarts it under a supervisor', async () => {
    // Given a started API whose supervisor alone was killed (SIGKILL: it could not stop its child)
    await gitInit()
    expect((await project.run(['start'], {env})).exitCode).toBe(0)
    const stateFile = join(project.stateDir, 'run', 'api.json')
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as {supervisor: {pid: number}; child: {pid: number}}
    process.kill(state.supervisor.pid, 'SIGKILL') // the supervisor this test started, by its PID
    await waitUntil('the killed supervisor to be gone', () => !isAlive(state.supervisor.pid))
    // When the doctor looks
    const result = await diagnose()
    // Then the state-files, port and health checks agree: it serves without its supervisor; restart it
    expect(find(result, 'services.state-files')).toMatchObject({
      status: 'warn',
      message: 'api runs without its supervisor (stale state file)',
      fix: 'storybook restart api',
      autoFix: true,
    })
    expect(find(result, 'services.state-files').details[0]).toContain(`(its api, PID ${state.child.pid}, still runs)`)
    expect(find(result, 'services.api.port')).toMatchObject({status: 'warn', fix: 'storybook restart api'})
    expect(find(result, 'services.api.port').message).toContain(
      `held by api (PID ${state.child.pid}), started by storybook, whose supervisor is gone`,
    )
    expect(find(result, 'services.api.health')).toMatchObject({status: 'warn', fix: 'storybook restart api'})
    expect(find(result, 'services.api.health').message).toMatch(/answers \/health, but runs without its supervisor$/)
    // And --fix applies that one fix once: the orphan (its identity proved) is stopped and the API started again
    const fixed = await diagnose(['--fix', '--yes'])
    const fix = fixed.json?.fixes?.find((entry) => entry.command === 'storybook restart api')
    expect(fix).toMatchObject({
      outcome: 'applied',
      checks: ['services.state-files', 'services.api.port', 'services.api.health'],
    })
    expect(fix?.message).toMatch(
      new RegExp(
        `^restarted api under a supervisor on port ${env.API_PORT} \\(PID \\d+; the orphan, PID ${state.child.pid}, was stopped\\)$`,
      ),
    )
    expect(fixed.json?.fixes?.map((entry) => entry.command)).not.toContain('storybook stop api')
    expect(problems(fixed).filter((id) => id.startsWith('services.'))).toEqual([])
    // Afterwards the API serves, under a live supervisor recorded in its state file
    const now = JSON.parse(await readFile(stateFile, 'utf8')) as {supervisor: {pid: number}; child: {pid: number}}
    expect(now.supervisor.pid).not.toBe(state.supervisor.pid)
    expect(isAlive(now.supervisor.pid)).toBe(true)
    expect(isAlive(state.child.pid)).toBe(false)
    expect((await fetch(`http://127.0.0.1:${env.API_PORT}/health`)).ok).toBe(true)
    expect((await project.run(['status', 'api'], {env})).stdout).toMatch(/running/)
  })
})

describe('PostgreSQL under a lock', () => {
  it('answers on time while another session holds a lock on the migrations table', async () => {
    const url = await createDatabase(inject('postgresUrl'), `diagnose_lock_${randomUUID().replaceAll('-', '')}`)
    expect((await project.run(['db', 'migrate'], {env: {...env, DATABASE_URL: url}})).exitCode).toBe(0)
    await spawnHelper(
      `const {Client} = require('pg'); const client = new Client({connectionString: ${JSON.stringify(url)}}); client.connect().then(() => client.query('begin; lock table storybook_migrations in access exclusive mode')).then(() => console.log('locked')); setInterval(() => {}, 1000)`,
      'locked',
    )
    const started = Date.now()
    const result = await diagnose([], {env: {DATABASE_URL: url}})
    expect(Date.now() - started).toBeLessThan(12_000)
    expect(result.exitCode).toBe(CHECKS_FAILED)
    expect(find(result, 'db.reachable').status).toBe('pass')
    expect(find(result, 'db.migrations').status).toBe('fail')
    expect(find(result, 'db.migrations')).toMatchObject({
      message: 'the migrations table is locked by another session (waited 3 s)',
      fix: expect.stringContaining('pg_stat_activity'),
    })
  })
})
