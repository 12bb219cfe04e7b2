import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {mkdir, unlink} from 'node:fs/promises'
import {identityOf, isSameProcess} from '../../../../src/core/process/identity.js'
import {procBackend} from '../../../../src/core/process/platform/linux.js'
import {RotatingLog} from '../../../../src/core/process/rotating-log.js'
import {lastErrorLine, Supervisor, type SupervisorEvent} from '../../../../src/core/process/supervisor.js'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'storybook-supervisor-'))
})
afterEach(async () => {
  await rm(directory, {recursive: true, force: true})
})

describe('RotatingLog', () => {
  it('rotates by size and keeps the newest files', async () => {
    const log = new RotatingLog(join(directory, 'api.log'), {maxBytes: 100, keep: 2})
    for (let index = 0; index < 10; index++) log.write(`${String(index).repeat(40)}\n`)
    log.close()
    expect((await readdir(directory)).sort()).toEqual(['api.log', 'api.log.1', 'api.log.2'])
    expect(await readFile(join(directory, 'api.log'), 'utf8')).toContain('9'.repeat(40))
    expect(await readFile(join(directory, 'api.log.2'), 'utf8')).not.toContain('0'.repeat(40))
  })

  it('writes to the path again after the live log was deleted, also at its next rotation', async () => {
    let now = 0
    const file = join(directory, 'api.log')
    const log = new RotatingLog(file, {maxBytes: 100, keep: 2, clock: () => now})
    log.write('before\n')
    await unlink(file)
    now += 5_000 // past the check interval: the missing path is noticed
    log.write('after\n')
    expect(await readFile(file, 'utf8')).toBe('after\n')
    await unlink(file)
    for (let index = 0; index < 5; index++) log.write(`${String(index).repeat(40)}\n`) // rotates with the file gone
    log.close()
    expect(await readFile(file, 'utf8')).toContain('4'.repeat(40))
    expect(log.dropped.lines).toBe(0)
  })

  it('drops and counts lines it cannot write instead of throwing: a full disk, a directory in its place', async () => {
    const drops: number[] = []
    const full = new RotatingLog('/dev/full', {onDrop: (dropped) => drops.push(dropped.lines)}) // every write: ENOSPC
    full.write('one line\n')
    full.write('two\nlines\n')
    full.close()
    expect(full.dropped).toEqual({lines: 3, error: 'ENOSPC'})
    expect(drops).toEqual([1, 3])

    let now = 0
    const file = join(directory, 'api.log')
    const log = new RotatingLog(file, {clock: () => now})
    await unlink(file)
    await mkdir(file)
    now += 5_000
    log.write('lost\n')
    log.close()
    expect(log.dropped).toEqual({lines: 1, error: 'EISDIR'})
  })
})

describe('process identity', () => {
  it('knows this process and refuses a wrong start time, command line or boot', async () => {
    const me = await identityOf(process.pid, procBackend)
    expect(me?.startTime).toBeGreaterThan(0)
    expect(me?.command).toContain(process.execPath)
    expect(await isSameProcess(me!, procBackend)).toBe(true)
    expect(await isSameProcess({...me!, startTime: me!.startTime + 1}, procBackend)).toBe(false)
    expect(await isSameProcess({...me!, command: 'node other.js'}, procBackend)).toBe(false)
    expect(await isSameProcess({...me!, bootId: 'another boot'}, procBackend)).toBe(false)
    expect(await identityOf(2 ** 22 + 12345, procBackend)).toBeUndefined()
  })
})

describe('lastErrorLine', () => {
  it('finds the error a crashed service last wrote', () => {
    const pino = (level: number, fields: object) => JSON.stringify({level, time: 1, ...fields})
    expect(
      lastErrorLine([
        pino(30, {msg: 'listening'}),
        pino(60, {msg: 'cannot start', err: {code: 'SQLITE_NOTADB', message: 'file is not a database'}}),
      ]),
    ).toBe('cannot start: SQLITE_NOTADB: file is not a database')
    expect(lastErrorLine(['Error: Cannot find module avvio', '    at Module._resolveFilename (node:internal)'])).toBe(
      'Error: Cannot find module avvio',
    )
    expect(lastErrorLine([pino(30, {msg: 'all fine'})])).toBeUndefined()
  })
})

describe('Supervisor', () => {
  const run = (script: string, extra: Partial<ConstructorParameters<typeof Supervisor>[0]> = {}) =>
    new Supervisor({
      service: 'test',
      command: {file: process.execPath, args: ['-e', script], env: process.env, cwd: directory},
      logFile: join(directory, 'test.log'),
      backoffMs: 10,
      maxBackoffMs: 40,
      ...extra,
    })

  it('restarts a crashing child with backoff and gives up after K crashes, keeping the reason', async () => {
    const supervisor = run('console.log("boom"); process.exit(3)', {maxCrashes: 3})
    const events: SupervisorEvent[] = []
    const crashed = new Promise<SupervisorEvent>((resolve) =>
      supervisor.on('event', (event) => {
        events.push(event)
        if (event.type === 'crashed') resolve(event)
      }),
    )
    supervisor.start()
    const last = await crashed
    expect(last).toMatchObject({type: 'crashed', exit: {code: 3}, reason: expect.stringContaining('crashed 3 times')})
    expect(events.filter((event) => event.type === 'started')).toHaveLength(3)
    expect(supervisor.restarts).toBe(2)
    const log = await readFile(join(directory, 'test.log'), 'utf8')
    expect(log.match(/boom/g)).toHaveLength(3)
    expect(log).toContain('giving up')
  })

  /**
   * A child that prints `up` once its SIGTERM handler is in place, and the promise of that line:
   * the 'started' event alone is not enough (it comes at spawn, before the script has run), and a
   * fixed wait after it raced the child on a loaded machine. Fails at once if the child exits first.
   */
  const runUntilUp = (script: string, extra: Partial<ConstructorParameters<typeof Supervisor>[0]> = {}) => {
    let up = () => {}
    const supervisor = run(`${script}; console.log("up")`, {...extra, onLine: (line) => line === 'up' && up()})
    const ready = new Promise<void>((resolve, reject) => {
      up = resolve
      supervisor.on('event', (event) => {
        if (event.type === 'exited' || event.type === 'crashed')
          reject(new Error(`the child exited before it printed "up": ${JSON.stringify(event)}`))
      })
    })
    return {supervisor, ready}
  }

  it('stops a child gracefully, and kills one that ignores SIGTERM after the timeout', async () => {
    const {supervisor: polite, ready: up} = runUntilUp(
      'process.on("SIGTERM", () => { console.log("bye"); process.exit(0) }); setInterval(() => {}, 1000)',
    )
    polite.start()
    await up
    await polite.stop()
    expect(await readFile(join(directory, 'test.log'), 'utf8')).toContain('bye')
    expect(polite.lastExit).toMatchObject({code: 0, signal: null}) // it left on its own, not killed

    const {supervisor: stubborn, ready: started} = runUntilUp(
      'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)',
      {stopTimeoutMs: 200, logFile: join(directory, 'stubborn.log')},
    )
    stubborn.start()
    await started
    const before = Date.now()
    await stubborn.stop()
    // A lower bound only: load makes the kill come later, never before the timeout.
    expect(Date.now() - before).toBeGreaterThanOrEqual(150)
    expect(stubborn.lastExit?.signal).toBe('SIGKILL')
  })
})
