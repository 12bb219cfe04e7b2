// start, stop, status and logs through the built CLI: real supervisors, real API processes,
// real ports, and identity checks that never let a recycled PID be signalled.
import {execFileSync, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readFile, writeFile, mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {ServiceStatus, StartedService, StoppedService} from '../../src/services/services.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import {isPortOpen} from '../../src/core/process/port-probe.js'
import {createTempProject, type TempProject} from '../helpers/cli.js'
import {freePort} from '../helpers/postgres.js'

let project: TempProject
let port: number
let env: Record<string, string>
beforeEach(async () => {
  project = await createTempProject()
  port = await freePort()
  env = {API_PORT: String(port)}
  await project.run(['setup-project', '--skip-install'])
})
afterEach(async () => {
  // Stop whatever this test started, through the CLI (by recorded, identity-checked PIDs).
  await project.run(['stop', '--timeout', '5'], {env})
  await project.cleanup()
})

/** Polls until `done` holds; past the deadline, fails naming what it waited for (and `context`, when given). */
async function waitUntil(what: string, done: () => boolean | Promise<boolean>, context?: () => string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${context ? `:\n${context()}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const status = async () =>
  (await project.run<{services: ServiceStatus[]}>(['status', '--json'], {env})).json?.services.find(
    (service) => service.name === 'api',
  )

describe('start, status, stop', () => {
  it('starts the API in the background, reports it, stops it, and is idempotent both ways', async () => {
    const started = await project.run<{services: StartedService[]}>(['start', 'api', '--json'], {env})
    expect(started.exitCode, started.stderr).toBe(0)
    expect(started.json?.services[0]).toMatchObject({name: 'api', port, already: false})
    expect((await fetch(`http://127.0.0.1:${port}/health`)).ok).toBe(true)

    const again = await project.run<{services: StartedService[]}>(['start', 'api', '--json'], {env})
    expect(again.exitCode).toBe(0)
    expect(again.json?.services[0]).toMatchObject({already: true, pid: started.json?.services[0]?.pid})

    const running = await status()
    expect(running).toMatchObject({
      name: 'api',
      state: 'running',
      port,
      mode: 'background',
      restarts: 0,
      health: {ok: true},
    })
    expect(running?.pid).toBe(started.json?.services[0]?.pid)
    expect(running?.memoryBytes).toBeGreaterThan(10_000_000)
    expect(typeof running?.uptimeMs).toBe('number')

    const stopped = await project.run<{services: StoppedService[]}>(['stop', '--json'], {env})
    expect(stopped.json?.services[0]).toMatchObject({name: 'api', found: 'running', killed: false})
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow() // the port is free when stop returns
    expect((await status())?.state).toBe('stopped')
    const twice = await project.run<{services: StoppedService[]}>(['stop', '--json'], {env})
    expect(twice.json?.services[0]?.found).toBe('stopped')
  })

  it('leaves exactly one instance when five starts race', async () => {
    const runs = await Promise.all(
      Array.from({length: 5}, () => project.run<{services: StartedService[]}>(['start', 'api', '--json'], {env})),
    )
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0)
    const pids = new Set(runs.map((run) => run.json?.services[0]?.pid))
    expect(pids.size).toBe(1)
    expect(runs.filter((run) => run.json?.services[0]?.already === false)).toHaveLength(1)
  })

  it('writes the service log and shows it with logs -n and --grep', async () => {
    await project.run(['start', 'api'], {env})
    await fetch(`http://127.0.0.1:${port}/api/catalog/traits`)
    const logs = await project.run(['logs', 'api', '-n', '5', '--grep', 'listening'], {env})
    expect(logs.exitCode).toBe(0)
    expect(logs.stdout).toContain('Server listening at http://127.0.0.1:')
    expect(await readFile(join(project.stateDir, 'log', 'api.log'), 'utf8')).toContain('"msg":"incoming request"')
  })
})

describe('first run and restart', () => {
  it('starts a fresh project with one command: creates .env and migrates first', async () => {
    const fresh = await createTempProject()
    const freshPort = await freePort()
    try {
      const started = await fresh.run(['start', 'api'], {env: {API_PORT: String(freshPort)}})
      expect(started.exitCode, started.stderr).toBe(0)
      expect(started.stderr).toContain('No .env yet: created')
      expect(started.stderr).toContain('applying migrations first')
      expect((await fetch(`http://127.0.0.1:${freshPort}/ready`)).status).toBe(200)
    } finally {
      await fresh.run(['stop'], {env: {API_PORT: String(freshPort)}})
      await fresh.cleanup()
    }
  })

  it('restarts a background service with a new process', async () => {
    const first = await project.run<{services: StartedService[]}>(['start', 'api', '--json'], {env})
    const restarted = await project.run<{services: StartedService[]}>(['restart', '--json'], {env})
    expect(restarted.exitCode, restarted.stderr).toBe(0)
    expect(restarted.json?.services[0]?.pid).not.toBe(first.json?.services[0]?.pid)
    expect((await status())?.state).toBe('running')
  })
})

describe('identity and foreign processes', () => {
  it('treats a state file whose PID was recycled as stale and never signals it', async () => {
    // A live process that storybook did not start, recorded with the wrong start time
    const decoy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'})
    try {
      await mkdir(join(project.stateDir, 'run'), {recursive: true})
      await writeFile(
        join(project.stateDir, 'run', 'api.json'),
        JSON.stringify({
          service: 'api',
          supervisor: {pid: decoy.pid, startTime: 1, clock: 'boot-ticks', bootId: 'x', command: 'x', uid: null},
          processGroup: decoy.pid,
          child: null,
          command: 'x',
          port,
          mode: 'background',
          restarts: 0,
          startedAt: new Date().toISOString(),
          status: 'running',
          lastExit: null,
          reason: null,
        }),
      )
      expect((await status())?.state).toBe('stale')
      const stopped = await project.run<{services: StoppedService[]}>(['stop', '--json'], {env})
      expect(stopped.json?.services[0]?.found).toBe('stale')
      expect(decoy.exitCode).toBeNull() // still alive: it was never signalled
      expect(() => process.kill(decoy.pid as number, 0)).not.toThrow()
    } finally {
      decoy.kill('SIGKILL')
    }
  })

  it('reports a corrupt state file as stale instead of crashing', async () => {
    await mkdir(join(project.stateDir, 'run'), {recursive: true})
    await writeFile(join(project.stateDir, 'run', 'api.json'), '{"service": "api", "supervis')
    const result = await project.run<{services: ServiceStatus[]}>(['status', '--json'], {env})
    expect(result.exitCode).toBe(0)
    expect(result.json?.services[0]?.state).toBe('stale')
    const started = await project.run(['start', 'api'], {env})
    expect(started.exitCode, started.stderr).toBe(0)
  })

  it('names the holder of a taken port, shows it as external, and stops it only with --force', async () => {
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`], {
      stdio: 'ignore',
    })
    const holderExited = new Promise((resolve) => holder.once('exit', resolve))
    try {
      await waitUntil('the holder to listen', () => isPortOpen('127.0.0.1', port))
      const start = await project.run<ErrorDocument>(['start', 'api', '--json'], {env})
      expect(start.exitCode).toBe(5)
      expect(start.json?.error).toMatchObject({code: 'PORT_IN_USE', details: {holder: {pid: holder.pid}}})
      expect(await status()).toMatchObject({state: 'external', pid: holder.pid})
      // A CI clean-up step: nothing of ours runs, so stop succeeds, and says who holds the port.
      const refused = await project.run<{services: StoppedService[]}>(['stop', '--json'], {env})
      expect(refused.exitCode, refused.stderr).toBe(0)
      expect(refused.json?.services[0]).toMatchObject({found: 'stopped', heldBy: {pid: holder.pid}})
      expect(refused.stderr).toContain(`PID ${holder.pid}`)
      expect(holder.exitCode).toBeNull()
      const forced = await project.run<{services: StoppedService[]}>(['stop', '--force', '--json'], {env})
      expect(forced.json?.services[0]).toMatchObject({found: 'external', pid: holder.pid})
      await holderExited
    } finally {
      holder.kill('SIGKILL')
    }
  })
})

describe('review regressions', () => {
  it('stops the service of a supervisor killed with -9, proving it by its recorded identity', async () => {
    await project.run(['start', 'api'], {env})
    const state = JSON.parse(await readFile(join(project.stateDir, 'run', 'api.json'), 'utf8')) as {
      supervisor: {pid: number}
      child: {pid: number}
    }
    process.kill(state.supervisor.pid, 'SIGKILL')
    await waitUntil('status to call the record stale', async () => (await status())?.state === 'stale')
    const stale = await status()
    expect(stale?.state).toBe('stale')
    expect(stale?.reason).toContain(`PID ${state.child.pid}, still runs`)
    const stopped = await project.run<{services: StoppedService[]}>(['stop', '--json'], {env})
    expect(stopped.json?.services[0]).toMatchObject({found: 'stale', pid: state.child.pid})
    expect(await isPortOpen('127.0.0.1', port)).toBe(false)
  })

  it('keeps secrets out of the supervisor command line', async () => {
    await project.run(['start', 'api'], {env: {...env, IMAGE_API_KEY: 'sk-live-TOPSECRET'}})
    const state = JSON.parse(await readFile(join(project.stateDir, 'run', 'api.json'), 'utf8')) as {
      supervisor: {pid: number}
    }
    const cmdline = await readFile(`/proc/${state.supervisor.pid}/cmdline`, 'utf8')
    expect(cmdline).toContain('supervisor.cjs')
    expect(cmdline).not.toContain('TOPSECRET')
  })

  it('restarts a service on the port it was started with', async () => {
    const other = await freePort()
    await project.run(['start', 'api', '--api-port', String(other)], {env})
    const restarted = await project.run<{services: StartedService[]}>(['restart', '--json'], {env})
    expect(restarted.json?.services[0]?.port).toBe(other)
    await project.run(['stop'], {env: {API_PORT: String(other)}})
  })

  it('signals only the unified session, not the job it is part of', async () => {
    const cli = join(process.cwd(), 'bin', 'run.js')
    const pipeline = spawn('sh', ['-c', `"${process.execPath}" "${cli}" start --unified-mode | cat > /dev/null`], {
      cwd: project.root,
      env: {
        ...process.env,
        STORYBOOK_ROOT: project.root,
        STORYBOOK_STATE_DIR: project.stateDir,
        API_PORT: String(port),
      },
      stdio: 'ignore',
    })
    const finished = new Promise<number | null>((resolve) => pipeline.on('exit', resolve))
    await waitUntil('the unified API to run', async () => (await status())?.state === 'running')
    const stopped = await project.run(['stop'], {env})
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    expect(await finished).toBe(0) // cat ended because its input closed, not because it was signalled
  })
})

describe('other modes', () => {
  it('opens a tmux window per service with --separate-terminals, and stop ends it', async () => {
    const socket = join(project.root, 'tmux.sock')
    execFileSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'storybook-test', '-x', '120', '-y', '30'])
    try {
      const serverPid = execFileSync('tmux', ['-S', socket, 'display-message', '-p', '#{pid}'], {
        encoding: 'utf8',
      }).trim()
      const tmuxEnv = {...env, TMUX: `${socket},${serverPid},0`}
      const started = await project.run<{services: StartedService[]}>(
        ['start', 'api', '--separate-terminals', '--json'],
        {
          env: tmuxEnv,
          timeoutMs: 30_000,
        },
      )
      expect(started.exitCode, started.stderr).toBe(0)
      const windows = execFileSync('tmux', ['-S', socket, 'list-windows', '-F', '#{window_name}'], {encoding: 'utf8'})
      expect(windows).toContain('storybook api')
      expect(await status()).toMatchObject({state: 'running', mode: 'terminal'})
      const stopped = await project.run(['stop'], {env})
      expect(stopped.exitCode, stopped.stderr).toBe(0)
      expect(await isPortOpen('127.0.0.1', port)).toBe(false)
    } finally {
      execFileSync('tmux', ['-S', socket, 'kill-server'])
    }
  })

  it('says which terminal to install when there is none', async () => {
    const result = await project.run<ErrorDocument>(['start', 'api', '--separate-terminals', '--json'], {
      env: {...env, TMUX: undefined, DISPLAY: undefined, WAYLAND_DISPLAY: undefined},
    })
    expect(result.exitCode).toBe(7)
    expect(result.json?.error.message).toContain('no terminal to open service windows in')
    expect(result.json?.error.next?.some((line) => line.endsWith('storybook start --unified-mode'))).toBe(true)
  })

  it('runs one service with its output untouched for an IDE, visible to status and stop', async () => {
    const child = spawn(
      process.execPath,
      [join(process.cwd(), 'bin', 'run.js'), 'start', 'api', '--use-ide-terminal'],
      {
        cwd: project.root,
        env: {
          ...process.env,
          STORYBOOK_ROOT: project.root,
          STORYBOOK_STATE_DIR: project.stateDir,
          API_PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    await waitUntil('the API to say it listens', () => output.includes('Server listening'))
    expect(output).toMatch(/^\{"level":30/m) // the server's own lines, no prefix
    expect(await status()).toMatchObject({state: 'running', mode: 'ide'})
    const stopped = await project.run(['stop'], {env})
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    expect(await exited).toBe(0)
  })
})

describe('supervision', () => {
  it('brings the API back after kill -9, counting the restart', async () => {
    await project.run(['start', 'api'], {env})
    const before = await status()
    process.kill(before?.pid as number, 'SIGKILL')
    let after = await status()
    await waitUntil('the API to run again after one restart', async () => {
      after = await status()
      return after?.state === 'running' && after.restarts === 1
    })
    expect(after).toMatchObject({state: 'running', restarts: 1})
    expect(after?.pid).not.toBe(before?.pid)
  })

  it('ends unified mode on Ctrl-C typed in its terminal, within the grace period', async () => {
    const socket = join(project.root, 'tmux.sock')
    const cli = join(process.cwd(), 'bin', 'run.js')
    const line = `STORYBOOK_ROOT=${project.root} STORYBOOK_STATE_DIR=${project.stateDir} API_PORT=${port} ${process.execPath} ${cli} start --unified-mode; echo EXIT=$?; sleep 30`
    execFileSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'ctrl-c', '-x', '160', '-y', '40', line])
    try {
      await waitUntil('the unified API to run', async () => (await status())?.state === 'running')
      const screen = () =>
        execFileSync('tmux', ['-S', socket, 'capture-pane', '-p', '-t', 'ctrl-c'], {encoding: 'utf8'})
      expect(screen()).toMatch(/api \| /)
      const pressed = Date.now()
      execFileSync('tmux', ['-S', socket, 'send-keys', '-t', 'ctrl-c', 'C-c'])
      await waitUntil('unified mode to exit after Ctrl-C', () => screen().includes('EXIT='), screen)
      expect(screen()).toContain('EXIT=0')
      expect(Date.now() - pressed).toBeLessThan(10_000)
      expect(await isPortOpen('127.0.0.1', port)).toBe(false)
      expect((await status())?.state).toBe('stopped')
    } finally {
      execFileSync('tmux', ['-S', socket, 'kill-server'])
    }
  })
})

describe('failures', () => {
  it('reports a service that keeps crashing, with its reason and last log lines', async () => {
    // An address that is not on this machine: the API cannot bind it and exits at once, every time.
    const failed = await project.run<ErrorDocument>(['start', 'api', '--json'], {
      env: {...env, API_HOST: '192.0.2.1'},
      timeoutMs: 60_000,
    })
    expect(failed.exitCode).toBe(7)
    expect(failed.json?.error.message).toMatch(/api crashed: crashed 5 times/)
    expect(failed.json?.error.details.lastLines).toEqual(
      expect.arrayContaining([expect.stringContaining('API_HOST 192.0.2.1 is not an address of this machine')]),
    )
    expect((await status())?.state).toBe('crashed')
  }, 60_000)
})

describe('an unreachable database', () => {
  it('stops start before anything is spawned, saying why', async () => {
    const unreachable = await freePort()
    const failed = await project.run<ErrorDocument>(['start', 'api', '--json'], {
      env: {...env, DATABASE_URL: `postgres://nobody:pw@127.0.0.1:${unreachable}/x`},
    })
    expect(failed.exitCode).toBe(12)
    expect(failed.json?.error.code).toBe('DATABASE_UNAVAILABLE')
    expect(failed.stdout).not.toContain(':pw@')
    expect((await status())?.state).toBe('stopped')
  })
})

describe('unified mode', () => {
  it('runs in the foreground with prefixed output and stops everything on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'run.js'), 'start', 'api', '--unified-mode'], {
      cwd: project.root,
      env: {
        ...process.env,
        STORYBOOK_ROOT: project.root,
        STORYBOOK_STATE_DIR: project.stateDir,
        API_PORT: String(port),
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    await waitUntil('the API to say it listens', () => output.includes('Server listening'))
    expect(output).toMatch(/^api \| \d\d:\d\d:\d\d\.\d{3} INFO +Server listening at/m) // readable, not raw JSON
    expect(await status()).toMatchObject({state: 'running', mode: 'unified'})
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
    expect((await status())?.state).toBe('stopped')
  })
})

describe('stop and status from the state files alone', () => {
  it('stops a running API while .env is invalid, and shows status on a fresh clone without .env', async () => {
    const started = await project.run<{services: StartedService[]}>(['start', 'api', '--json'], {env})
    expect(started.exitCode, started.stderr).toBe(0)
    const pid = started.json?.services[0]?.pid as number
    await project.writeEnv(`${await project.readEnv()}\nLOG_LEVEL=loud\n`)
    const shown = await project.run<{services: ServiceStatus[]}>(['status', '--json'], {env})
    expect(shown.exitCode, shown.stderr).toBe(0)
    expect(shown.json?.services[0]).toMatchObject({state: 'running', pid})
    const stopped = await project.run<{services: StoppedService[]}>(['stop', '--json'], {env})
    expect(stopped.exitCode, stopped.stderr).toBe(0)
    expect(stopped.json?.services[0]).toMatchObject({found: 'running', pid})
    expect(existsSync(`/proc/${pid}`)).toBe(false)

    const fresh = await createTempProject()
    try {
      const status = await fresh.run<{services: ServiceStatus[]}>(['status', '--json'], {env})
      expect(status.exitCode, status.stderr).toBe(0)
      expect(status.json?.services[0]).toMatchObject({name: 'api', state: 'stopped'})
      expect((await fresh.run(['stop'], {env})).exitCode).toBe(0)
    } finally {
      await fresh.cleanup()
    }
  })

  it('starts a service named twice once, and lists it once', async () => {
    const started = await project.run<{services: StartedService[]}>(['start', 'api', 'api', '--json'], {env})
    expect(started.exitCode, started.stderr).toBe(0)
    expect(started.json?.services.map((service) => service.name)).toEqual(['api'])
  })
})

describe('records of the other process backend', () => {
  it.each([
    ['portable', 'auto'],
    ['auto', 'portable'],
  ])('stops a service started with the %s backend from a CLI using the %s one', async (first, second) => {
    const backend = (name: string) => ({
      ...env,
      STORYBOOK_PROCESS_BACKEND: name === 'portable' ? 'portable' : undefined,
    })
    const started = await project.run<{services: StartedService[]}>(['start', 'api', '--json'], {env: backend(first)})
    expect(started.exitCode, started.stderr).toBe(0)
    const pid = started.json?.services[0]?.pid as number
    const shown = await project.run<{services: ServiceStatus[]}>(['status', '--json'], {env: backend(second)})
    expect(shown.json?.services[0]).toMatchObject({state: 'running', pid})
    const stopped = await project.run<{services: StoppedService[]}>(['stop', '--json'], {env: backend(second)})
    expect(stopped.json?.services[0]).toMatchObject({found: 'running', pid})
    expect(existsSync(`/proc/${pid}`)).toBe(false)
  })
})

describe('foreground details', () => {
  const foreground = (args: string[], extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'run.js'), ...args], {
      cwd: project.root,
      env: {
        ...process.env,
        STORYBOOK_ROOT: project.root,
        STORYBOOK_STATE_DIR: project.stateDir,
        API_PORT: String(port),
        NO_COLOR: '1',
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    return {child, exited, output: () => output}
  }

  it('passes --inspect=PORT to the API in an IDE terminal', async () => {
    const inspector = await freePort()
    const run = foreground(['start', 'api', '--use-ide-terminal', `--inspect=127.0.0.1:${inspector}`])
    await waitUntil('the API to answer', async () => Boolean((await status())?.health.ok), run.output)
    const shown = await status()
    expect(shown, run.output()).toMatchObject({state: 'running', mode: 'ide'})
    const commandLine = (await readFile(`/proc/${shown?.pid}/cmdline`, 'utf8')).split('\0')
    expect(commandLine).toContain(`--inspect=127.0.0.1:${inspector}`)
    expect(run.output()).toContain(`Debugger listening on ws://127.0.0.1:${inspector}/`)
    await project.run(['stop'], {env})
    expect(await run.exited).toBe(0)
  })

  it('says that unified mode gave up, and exits 1, when the API keeps crashing', async () => {
    const run = foreground(['start', 'api', '--unified-mode'], {API_HOST: '192.0.2.1'})
    const code = await run.exited
    expect(code, run.output()).toBe(1)
    expect(run.output()).toMatch(/^api \| exited with code \d+: .*; restarting in 0 ms$/m)
    expect(run.output()).toMatch(/^api \| gave up: crashed 5 times within 60 s; last exited with code \d+/m)
    expect((await status())?.state).toBe('crashed')
  }, 60_000)
})
