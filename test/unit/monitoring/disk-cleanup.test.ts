// The dashboard's disk clean-up on real files: rotated logs past two generations go, a log over the
// rotation size is cut unless its service runs, backups beyond the newest three of each kind go, and
// the answer names every file.
import {mkdir, mkdtemp, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {freeDiskSpace} from '../../../src/monitoring/disk-cleanup.js'

let root: string
const state = () => ({
  root,
  run: join(root, 'run'),
  log: join(root, 'log'),
  data: join(root, 'data'),
  backups: join(root, 'backups'),
})
const lines = (count: number) => Array.from({length: count}, (_, index) => `line ${index}`).join('\n') + '\n'
const sqlite = () => Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096)])

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'storybook-disk-'))
  await mkdir(state().log)
  await mkdir(state().backups)
})
afterEach(async () => rm(root, {recursive: true, force: true}))

describe('freeDiskSpace', () => {
  it('removes old generations and backups, cuts a big log of a stopped service, and names each file', async () => {
    for (const name of ['api.log', 'api.log.1', 'api.log.2', 'api.log.3', 'api.log.4'])
      await writeFile(join(state().log, name), lines(100))
    await writeFile(join(state().log, 'web.log'), lines(5000))
    await writeFile(join(state().log, 'dashboard.log'), lines(5000))
    for (const time of ['20261101-100000', '20261102-100000', '20261103-100000', '20261104-100000', '20261105-100000'])
      await writeFile(join(state().backups, `storybook-${time}.db`), sqlite())
    await writeFile(join(state().backups, 'storybook-20261106-100000.db'), '') // an interrupted one is not a backup

    const said = await freeDiskSpace({
      config: {state: state(), logMaxBytes: 1000},
      running: (service) => service === 'dashboard',
    })

    expect((await readdir(state().log)).sort()).toEqual([
      'api.log',
      'api.log.1',
      'api.log.2',
      'dashboard.log',
      'web.log',
    ])
    expect((await stat(join(state().log, 'web.log'))).size).toBeLessThanOrEqual(1000)
    expect((await stat(join(state().log, 'dashboard.log'))).size).toBeGreaterThan(1000)
    expect((await readdir(state().backups)).sort()).toEqual([
      'storybook-20261103-100000.db',
      'storybook-20261104-100000.db',
      'storybook-20261105-100000.db',
      'storybook-20261106-100000.db',
    ])
    expect(said).toMatch(/^removed api\.log\.3, removed api\.log\.4, cut web\.log to \d+(\.\d)? (B|kB), /)
    expect(said).toContain('removed backup storybook-20261102-100000.db, removed backup storybook-20261101-100000.db')
    expect(said).toMatch(/\(freed \d+(\.\d)? kB\)$/)
  })

  it('says when there is nothing to remove', async () => {
    await writeFile(join(state().log, 'api.log'), lines(3))
    expect(await freeDiskSpace({config: {state: state(), logMaxBytes: 1000}, running: () => true})).toBe(
      'nothing to remove: no rotated logs or backups past what is kept',
    )
  })
})
