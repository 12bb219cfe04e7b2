// The doctor's runner (budgets, failures, ordering) and its environment checks against real
// temporary folders standing in for the toolkit's own folder.
import {chmod, cp, mkdir, mkdtemp, rm, truncate, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {runChecks, summarize, type Check} from '../../../src/services/diagnose/check.js'
import {quickCheck} from '../../../src/services/diagnose/checks/database.js'
import {environmentChecks} from '../../../src/services/diagnose/checks/environment.js'
import {createDiagnoseContext, type DiagnoseContext} from '../../../src/services/diagnose/context.js'
import {checkInstalledTree} from '../../../src/services/diagnose/installed-tree.js'
import {redactor} from '../../../src/services/diagnose/report.js'
import {findOnPath, toolChecks} from '../../../src/services/diagnose/checks/tools.js'
import {allChecks, diagnose, selectChecks} from '../../../src/services/diagnose/index.js'
import {planLogCleanup} from '../../../src/services/diagnose/log-trim.js'
import {REPO_ROOT} from '../../helpers/cli.js'

let folder: string
let project: string
let codeRoot: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'storybook-diagnose-'))
  project = join(folder, 'project')
  codeRoot = join(folder, 'toolkit')
  await mkdir(project)
  await mkdir(codeRoot)
  await writeFile(join(project, 'package.json'), JSON.stringify({name: 'storybook-toolkit'}))
})
afterEach(() => rm(folder, {recursive: true, force: true}))

const context = (
  overrides: {nodeVersion?: string; runNpm?: (args: string[]) => Promise<void>} = {},
): Promise<DiagnoseContext> =>
  createDiagnoseContext({
    codeRoot,
    cwd: project,
    env: {STORYBOOK_ROOT: project, STORYBOOK_STATE_DIR: join(project, 'state')},
    ...overrides,
  })

const check = (id: string) => environmentChecks.find((candidate) => candidate.id === id) as Check
const runOne = async (id: string, overrides: Parameters<typeof context>[0] = {}) =>
  (await runChecks([check(id)], await context(overrides)))[0]!

const fake = (id: string, run: Check['run'], extra: Partial<Check> = {}): Check => ({
  id,
  title: id,
  category: 'environment',
  budgetMs: 200,
  run,
  ...extra,
})

describe('the check runner', () => {
  it('reports a throwing check and a hanging check as failed, and still runs the others', async () => {
    const started = Date.now()
    const runs = await runChecks(
      [
        fake('throws', async () => {
          throw new Error('boom')
        }),
        fake('hangs', () => new Promise(() => {})),
        fake('fine', async () => ({status: 'pass', message: 'ok'})),
      ],
      await context(),
    )
    expect(runs.map((run) => [run.result.id, run.result.status])).toEqual([
      ['throws', 'fail'],
      ['hangs', 'fail'],
      ['fine', 'pass'],
    ])
    expect(runs[0]?.result.message).toBe('the check itself failed: boom')
    expect(runs[1]?.result.message).toBe('the check did not finish within 200 ms')
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('runs independent checks at the same time', async () => {
    const slow = (id: string) =>
      fake(id, () => new Promise((resolve) => setTimeout(() => resolve({status: 'pass', message: id}), 150)), {
        budgetMs: 1_000,
      })
    const started = Date.now()
    await runChecks([slow('a'), slow('b'), slow('c'), slow('d')], await context())
    expect(Date.now() - started).toBeLessThan(450) // four in a row would take 600 ms
  })

  it('skips a check whose prerequisite failed or whose variable is invalid, as a warning that says why', async () => {
    const base = await context()
    const runs = await runChecks(
      [
        fake('first', async () => ({status: 'fail', message: 'broken'})),
        fake('second', async () => ({status: 'pass', message: 'never'}), {after: ['first']}),
        fake('third', async () => ({status: 'pass', message: 'never'}), {needs: ['API_PORT']}),
        fake('not-here', async () => ({status: 'fail', message: 'never'}), {applies: () => false}),
      ],
      {...base, invalid: new Set(['API_PORT'])},
    )
    expect(runs.map((run) => run.result.id)).toEqual(['first', 'second', 'third'])
    expect(runs[1]?.result).toMatchObject({
      status: 'warn',
      skipped: true,
      message: 'second: not checked until first passes',
    })
    expect(runs[2]?.result).toMatchObject({
      status: 'warn',
      skipped: true,
      message: 'third: not checked while API_PORT is invalid',
    })
    expect(summarize(runs.map((run) => run.result))).toEqual({pass: 0, warn: 2, fail: 1, skipped: 2})
  })

  it('applies each fix command once, then checks again; a failed fix does not stop the others', async () => {
    let fixed = false
    const applied: string[] = []
    const checks = [
      fake('a', async () =>
        fixed
          ? {status: 'pass', message: 'ok'}
          : {
              status: 'fail',
              message: 'a',
              fix: {command: 'fix-it', apply: async () => (applied.push('a'), (fixed = true), 'done')},
            },
      ),
      fake('b', async () =>
        fixed
          ? {status: 'pass', message: 'ok'}
          : {status: 'fail', message: 'b', fix: {command: 'fix-it', apply: async () => (applied.push('b'), 'done')}},
      ),
      fake('c', async () => ({
        status: 'fail',
        message: 'c',
        fix: {command: 'explode', apply: async () => Promise.reject(new Error('no'))},
      })),
      fake('d', async () => ({status: 'warn', message: 'd', fix: {command: 'by hand'}})),
    ]
    const asked: string[] = []
    const result = await diagnose({
      codeRoot,
      cwd: project,
      env: {STORYBOOK_ROOT: project},
      checks,
      fix: {confirm: async (fix) => (asked.push(fix.command), true)},
    })
    expect(asked).toEqual(['fix-it', 'explode'])
    expect(applied).toEqual(['a'])
    expect(result.fixes).toEqual([
      {checks: ['a', 'b'], command: 'fix-it', outcome: 'applied', message: 'done'},
      {checks: ['c'], command: 'explode', outcome: 'failed', message: 'no'},
    ])
    expect(result.before).toEqual({pass: 0, warn: 1, fail: 3, skipped: 0})
    expect(result.summary).toEqual({pass: 2, warn: 1, fail: 1, skipped: 0})
  })

  it('--dry-run lists each fix once and applies nothing, asking nothing', async () => {
    // Given two failing checks that share a fix, and one whose fix is for a person to type
    let applied = 0
    const failing = (id: string, command: string, apply?: () => Promise<string>) =>
      fake(id, async () => ({status: 'fail', message: id, fix: {command, ...(apply ? {apply} : {})}}))
    const apply = async () => (applied++, 'done')
    // When --fix --dry-run runs
    const result = await diagnose({
      codeRoot,
      cwd: project,
      env: {STORYBOOK_ROOT: project},
      checks: [failing('a', 'fix-it', apply), failing('b', 'fix-it', apply), failing('c', 'by hand')],
      fix: {confirm: async () => Promise.reject(new Error('asked')), dryRun: true},
    })
    // Then the automatic fix is listed as planned, nothing ran, and the checks are as found
    expect(applied).toBe(0)
    expect(result.fixes).toEqual([
      {
        checks: ['a', 'b'],
        command: 'fix-it',
        outcome: 'planned',
        message: 'would be applied (--dry-run: nothing was changed)',
      },
    ])
    expect(result.before).toBeUndefined()
    expect(result.summary).toMatchObject({fail: 3})
  })

  it('applies nothing that was declined', async () => {
    let applied = false
    const result = await diagnose({
      codeRoot,
      cwd: project,
      env: {STORYBOOK_ROOT: project},
      checks: [
        fake('a', async () => ({
          status: 'fail',
          message: 'a',
          fix: {command: 'x', apply: async () => ((applied = true), 'done')},
        })),
      ],
      fix: {confirm: async () => false},
    })
    expect(applied).toBe(false)
    expect(result.fixes?.[0]?.outcome).toBe('declined')
    expect(result.summary.fail).toBe(1)
  })
})

describe('environment checks', () => {
  beforeEach(async () => {
    await writeFile(
      join(codeRoot, 'package.json'),
      JSON.stringify({name: 'storybook-toolkit', engines: {node: '>=20.19'}, dependencies: {}}),
    )
  })

  it('node.version: passes this Node, fails one outside engines with the command to fix it', async () => {
    expect((await runOne('node.version')).result.status).toBe('pass')
    const old = (await runOne('node.version', {nodeVersion: '18.19.0'})).result
    expect(old).toMatchObject({
      status: 'fail',
      message: 'Node 18.19.0 does not satisfy engines.node >=20.19',
      fix: 'nvm install 20.19 && nvm use 20.19',
    })
    // The fix names what engines asks for, not always Node 20
    for (const [range, fix] of [
      ['^22', 'nvm install 22 && nvm use 22'],
      ['>=22.12.1 <23', 'nvm install 22.12.1 && nvm use 22.12.1'],
    ] as const) {
      await writeFile(
        join(codeRoot, 'package.json'),
        JSON.stringify({name: 'storybook-toolkit', engines: {node: range}}),
      )
      expect((await runOne('node.version', {nodeVersion: '20.20.2'})).result).toMatchObject({status: 'fail', fix})
    }
  })

  it('deps.lockfile: one package-lock passes; a second lock file fails; none warns', async () => {
    expect((await runOne('deps.lockfile')).result.status).toBe('warn')
    await writeFile(join(codeRoot, 'package-lock.json'), '{}')
    expect((await runOne('deps.lockfile')).result.status).toBe('pass')
    await writeFile(join(codeRoot, 'yarn.lock'), '')
    expect((await runOne('deps.lockfile')).result).toMatchObject({
      status: 'fail',
      message: '2 lock files: package-lock.json, yarn.lock',
      fix: 'cd ../toolkit && rm yarn.lock && npm ci',
    })
  })

  it('deps.installed: fails without node_modules, passes once installed', async () => {
    expect((await runOne('deps.installed')).result).toMatchObject({
      status: 'fail',
      message: 'node_modules is out of date: node_modules is missing',
      fix: 'cd ../toolkit && npm ci',
    })
    await mkdir(join(codeRoot, 'node_modules'))
    await writeFile(join(codeRoot, 'node_modules', '.package-lock.json'), '{}')
    expect((await runOne('deps.installed')).result.status).toBe('pass')
  })

  it('deps.installed: a transitive package missing or at another version fails, naming it, with npm ci', async () => {
    // Given a lock file of three packages, one nested and one optional, installed as it says
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': {name: 'storybook-toolkit'},
        'node_modules/fastify': {version: '5.0.0'},
        'node_modules/fastify/node_modules/avvio': {version: '9.1.0'},
        'node_modules/@esbuild/darwin-arm64': {version: '0.25.0', optional: true},
        'node_modules/web-app': {resolved: 'web', link: true},
      },
    }
    await writeFile(join(codeRoot, 'package-lock.json'), JSON.stringify(lock))
    const install = async (path: string, version: string) => {
      await mkdir(join(codeRoot, path), {recursive: true})
      await writeFile(join(codeRoot, path, 'package.json'), JSON.stringify({version}))
    }
    await install('node_modules/fastify', '5.0.0')
    await install('node_modules/fastify/node_modules/avvio', '9.1.0')
    await writeFile(join(codeRoot, 'node_modules', '.package-lock.json'), '{}')
    expect((await runOne('deps.installed')).result).toMatchObject({
      status: 'pass',
      message: 'node_modules matches package-lock.json (3 packages)',
    })
    // When the nested package is removed (rm -rf node_modules/fastify/node_modules/avvio)
    await rm(join(codeRoot, 'node_modules/fastify/node_modules/avvio'), {recursive: true})
    const missing = (await runOne('deps.installed')).result
    // Then the check fails and names it
    expect(missing).toMatchObject({
      status: 'fail',
      message: 'node_modules does not match package-lock.json: 1 missing (avvio)',
      fix: 'cd ../toolkit && npm ci',
    })
    expect(missing.details[0]).toBe('node_modules/fastify/node_modules/avvio: missing (the lock file has 9.1.0)')
    // And a package at another version fails too
    await install('node_modules/fastify/node_modules/avvio', '9.1.0')
    await install('node_modules/fastify', '4.28.1')
    expect((await runOne('deps.installed')).result).toMatchObject({
      status: 'fail',
      message: 'node_modules does not match package-lock.json: 1 at another version (fastify)',
    })
  })

  it('checkInstalledTree reads the whole real tree fast', async () => {
    const started = performance.now()
    const report = await checkInstalledTree(REPO_ROOT)
    expect(report?.checked).toBeGreaterThan(100)
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('deps.sqlite-driver: a damaged native module fails with npm rebuild, which --fix runs', async () => {
    // A real copy of the driver whose compiled part is cut short: loading it fails as after a bad install.
    const source = join(REPO_ROOT, 'node_modules')
    const target = join(codeRoot, 'node_modules')
    for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
      await cp(join(source, name), join(target, name), {recursive: true})
    }
    await writeFile(join(target, '.package-lock.json'), '{}')
    expect((await runOne('deps.sqlite-driver')).result.status).toBe('pass')
    await truncate(join(target, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), 1000)
    const npmCalls: string[][] = []
    const run = await runOne('deps.sqlite-driver', {runNpm: async (args) => void npmCalls.push(args)})
    expect(run.result).toMatchObject({
      status: 'fail',
      fix: 'cd ../toolkit && npm rebuild better-sqlite3',
      autoFix: true,
    })
    expect(run.result.message).toMatch(/^better-sqlite3 does not load: .+/)
    await run.apply?.()
    expect(npmCalls).toEqual([['rebuild', 'better-sqlite3']])
  })

  it('build.output: fails when missing or older than the sources, passes when newer', async () => {
    // Not applied by --fix: the toolkit's developer may be in the middle of an edit.
    expect((await runOne('build.output')).result).toMatchObject({
      status: 'fail',
      fix: 'cd ../toolkit && npm run build',
      autoFix: false,
    })
    await mkdir(join(codeRoot, 'dist'))
    await mkdir(join(codeRoot, 'src'))
    await writeFile(join(codeRoot, 'src', 'cli.ts'), '')
    for (const file of ['dist/cli.cjs', 'dist/server.cjs', 'dist/supervisor.cjs', 'oclif.manifest.json'])
      await writeFile(join(codeRoot, file), '')
    expect((await runOne('build.output')).result.status).toBe('pass')
    const later = new Date(Date.now() + 60_000)
    await utimes(join(codeRoot, 'src', 'cli.ts'), later, later)
    const stale = (await runOne('build.output')).result
    expect(stale.status).toBe('fail')
    expect(stale.message).toMatch(/^the sources changed after the last build \(src\/cli\.ts, \d+ s newer\)$/)
  })
})

describe('selectChecks', () => {
  it('picks categories, ids and id prefixes, with the checks they depend on, in registry order', () => {
    expect(selectChecks(['db.lock', 'services.api']).map((check) => check.id)).toEqual([
      'deps.sqlite-driver', // every database check waits for the driver to load
      'db.reachable',
      'db.lock',
      'services.api.port',
      'services.api.health',
    ])
    expect(selectChecks(['repository']).map((check) => check.id)).toEqual(['repo.gitignore'])
    expect(selectChecks([])).toHaveLength(allChecks().length)
  })

  it('refuses an unknown name, suggesting the closest one', () => {
    expect(() => selectChecks(['databse'])).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        next: ['storybook diagnose database', 'storybook diagnose --json   # every check with its id'],
      }),
    )
  })
})

describe('quickCheck', () => {
  const makeDatabase = async () => {
    const {createRequire} = await import('node:module')
    const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3')
    const file = join(folder, 'check.db')
    const db = new Driver(file)
    db.exec('create table t (id integer primary key, text text); create index t_text on t(text)')
    const insert = db.prepare('insert into t (text) values (?)')
    db.transaction(() => {
      for (let index = 0; index < 2_000; index++) insert.run(`row ${index} ${'x'.repeat(100)}`)
    })()
    db.close()
    return file
  }
  const neverInProcess = async (): Promise<Array<{quick_check: string}>> => {
    throw new Error('a large file must not be checked on this thread')
  }

  it('checks a large file in a child process: ok when sound, the problems when damaged', async () => {
    const file = await makeDatabase()
    expect(await quickCheck(file, {timeoutMs: 10_000, inProcess: neverInProcess, workerAboveBytes: 0})).toEqual({
      kind: 'done',
      messages: ['ok'],
    })
    const {readFile, writeFile} = await import('node:fs/promises')
    const bytes = await readFile(file)
    bytes.fill(0xff, 4096 * 3, 4096 * 4)
    await writeFile(file, bytes)
    const damaged = await quickCheck(file, {timeoutMs: 10_000, inProcess: neverInProcess, workerAboveBytes: 0})
    expect(damaged.kind).toBe('done')
    expect(damaged.kind === 'done' && damaged.messages[0]).not.toBe('ok')
  })

  it('stops the child at the time limit and says so', async () => {
    const file = await makeDatabase()
    expect(await quickCheck(file, {timeoutMs: 1, inProcess: neverInProcess, workerAboveBytes: 0})).toMatchObject({
      kind: 'timeout',
      bytes: expect.any(Number),
    })
  })
})

describe('redactor', () => {
  it('hides secret values, passwords and keys in URLs, and the home folder (whole segments only)', () => {
    const redact = redactor({home: '/home/ann', secrets: ['s3cr3t-value']})
    expect(
      redact(
        'SESSION_SECRET s3cr3t-value; postgres://ann:pw@db/x?sslpassword=p2 /home/ann/proj /home/anna/x "/home/ann"',
      ),
    ).toBe('SESSION_SECRET ********; postgres://ann:********@db/x?sslpassword=******** ~/proj /home/anna/x "~"')
  })
})

describe('tool checks', () => {
  it('pass for a program on PATH, warn with the install command for a missing one; pg_dump only on PostgreSQL', async () => {
    // Given a PATH of one folder holding an executable git and a tmux that is not executable
    const bin = join(folder, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'git'), '#!/bin/sh\n')
    await chmod(join(bin, 'git'), 0o755)
    await writeFile(join(bin, 'tmux'), '')
    const env = {STORYBOOK_ROOT: project, STORYBOOK_STATE_DIR: join(project, 'state'), PATH: bin}
    expect(await findOnPath('git', env, 'linux')).toBe(join(bin, 'git'))
    // When the tool checks run on SQLite, for Linux
    const sqlite = await createDiagnoseContext({codeRoot, cwd: project, env})
    const runs = await runChecks(toolChecks('linux'), sqlite)
    // Then git passes, tmux warns with its package, and pg_dump is not checked
    expect(runs.map((run) => [run.result.id, run.result.status])).toEqual([
      ['tools.git', 'pass'],
      ['tools.tmux', 'warn'],
    ])
    expect(runs[1]?.result).toMatchObject({
      message:
        'tmux is not on PATH: storybook start --separate-terminals inside tmux (else a terminal emulator opens each service) will fail',
      fix: "sudo apt-get install tmux   # or your distribution's package manager",
    })
    // And on PostgreSQL, pg_dump is checked, with the macOS package when on macOS
    const postgres = await createDiagnoseContext({
      codeRoot,
      cwd: project,
      env: {...env, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x'},
    })
    const pgDump = (await runChecks(toolChecks('darwin'), postgres)).find((run) => run.result.id === 'tools.pg_dump')
    expect(pgDump?.result).toMatchObject({status: 'warn', fix: 'brew install libpq'})
  })
})

describe('planLogCleanup', () => {
  it('deletes generations past the kept ones, cuts oversized files, and leaves a running service its current log', () => {
    const plan = planLogCleanup(
      [
        {name: 'api.log', bytes: 50},
        {name: 'api.log.1', bytes: 50},
        {name: 'api.log.2', bytes: 5},
        {name: 'api.log.6', bytes: 1},
        {name: 'web.log', bytes: 50},
        {name: 'notes.txt', bytes: 999},
      ],
      {keep: 5, maxBytes: 10, running: (service) => service === 'api'},
    )
    expect(plan).toEqual({
      remove: [{name: 'api.log.6', bytes: 1}],
      trim: [
        {name: 'api.log.1', bytes: 50},
        {name: 'web.log', bytes: 50},
      ],
      busy: [{name: 'api.log', bytes: 50}],
      keepBytes: 10,
    })
  })
})
