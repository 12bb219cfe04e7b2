// storybook logs through the built CLI, on a log file written by the test (no API needed): readable
// lines by default, the stored lines with --raw, one JSON document with --json, and -f across a rotation.
import {spawn, type ChildProcess} from 'node:child_process'
import {appendFile, mkdir, rename, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {LogsResult} from '../../src/commands/logs.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import {VARIABLES} from '../../src/core/config/schema.js'
import {CLI, createTempProject, type TempProject} from '../helpers/cli.js'

const ANSI = /\u001B\[/
// A fixed day in the past, so that every line shows its date and the expectations hold in any time zone.
const TIME = new Date(2025, 0, 2, 3, 4, 5, 6).getTime()
const SHOWN_TIME = '2025-01-02 03:04:05.006'
const record = (fields: Record<string, unknown>) =>
  JSON.stringify({level: 30, time: TIME, pid: 4242, hostname: 'vm', name: 'api', ...fields})

const STACK = 'TypeError: no pages\n    at render (file:///srv/pdf.js:3:9)'
const STORED = [
  record({msg: 'Server listening at http://127.0.0.1:8000'}),
  record({reqId: 'req-1', req: {method: 'GET', url: '/api/stories', host: 'h'}, msg: 'incoming request'}),
  record({reqId: 'req-1', res: {statusCode: 200}, responseTime: 2.5, msg: 'request completed'}),
  '[supervisor] api exited (code 1, signal null)',
  record({level: 40, swept: 2, msg: 'failed generation jobs left running'}),
  record({level: 50, err: {type: 'TypeError', message: 'no pages', stack: STACK}, msg: 'export failed'}),
  '{"level":50,"time":1735783445006,"msg":"cut of',
  '    at main (file:///srv/main.js:1:1)',
]

let project: TempProject
let logFile: string
beforeEach(async () => {
  // Given a project without .env (logs needs no valid configuration) and an API log
  project = await createTempProject()
  await mkdir(join(project.stateDir, 'log'))
  logFile = join(project.stateDir, 'log', 'api.log')
  await writeFile(logFile, `${STORED.join('\n')}\n`)
})
afterEach(async () => {
  await project.cleanup()
})

describe('storybook logs', () => {
  it('shows time, level, message and request fields; other lines as they are; no colour in a pipe', async () => {
    const requests = await project.run(['logs', 'api', '-n', '7'])
    expect(requests.exitCode, requests.stderr).toBe(0)
    expect(requests.stdout.split('\n').slice(0, 2)).toEqual([
      `${SHOWN_TIME} INFO  incoming request GET /api/stories req-1`,
      `${SHOWN_TIME} INFO  request completed 200 2.5 ms req-1`,
    ])

    const last = await project.run(['logs', 'api', '-n', '5'])
    expect(last.exitCode, last.stderr).toBe(0)
    expect(last.stdout).toBe(
      [
        '[supervisor] api exited (code 1, signal null)',
        `${SHOWN_TIME} WARN  failed generation jobs left running swept=2`,
        `${SHOWN_TIME} ERROR export failed: TypeError: no pages`,
        '{"level":50,"time":1735783445006,"msg":"cut of',
        '    at main (file:///srv/main.js:1:1)',
        '',
      ].join('\n'),
    )
    expect(last.stdout).not.toMatch(ANSI)
  })

  it('prints the stored lines exactly with --raw', async () => {
    const raw = await project.run(['logs', 'api', '-n', '5', '--raw'])
    expect(raw.exitCode, raw.stderr).toBe(0)
    expect(raw.stdout).toBe(`${STORED.slice(-5).join('\n')}\n`)
  })

  it('prints one JSON document with --json: parsed records, and {raw} for other lines', async () => {
    const result = await project.run<LogsResult>(['logs', 'api', '-n', '5', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.json).toEqual({
      service: 'api',
      file: logFile,
      lines: [
        {raw: STORED[3]},
        JSON.parse(STORED[4] as string),
        JSON.parse(STORED[5] as string),
        {raw: STORED[6]},
        {raw: STORED[7]},
      ],
    })
  })

  it('keeps warnings and errors with --level warn, and shows the stack with --verbose', async () => {
    const warn = await project.run(['logs', 'api', '--level', 'warn'])
    expect(warn.exitCode, warn.stderr).toBe(0)
    expect(warn.stdout).toBe(
      `${SHOWN_TIME} WARN  failed generation jobs left running swept=2\n` +
        `${SHOWN_TIME} ERROR export failed: TypeError: no pages\n`,
    )

    const verbose = await project.run(['logs', 'api', '--level', 'error', '--verbose'])
    expect(verbose.stdout).toBe(
      `${SHOWN_TIME} ERROR export failed: TypeError: no pages\n` +
        '    TypeError: no pages\n        at render (file:///srv/pdf.js:3:9)\n',
    )
  })

  it('matches --grep against the stored line', async () => {
    const result = await project.run(['logs', 'api', '--grep', '/API/STORIES'])
    expect(result.stdout).toBe(`${SHOWN_TIME} INFO  incoming request GET /api/stories req-1\n`)
  })

  it('colours with --color, and not with --no-color or NO_COLOR', async () => {
    const coloured = await project.run(['logs', 'api', '-n', '3', '--color'])
    expect(coloured.stdout).toMatch(ANSI)
    expect(coloured.stdout).toContain('\u001B[31mERROR\u001B[39m')
    const forcedOff = await project.run(['logs', 'api', '-n', '3', '--no-color'], {env: {FORCE_COLOR: '1'}})
    expect(forcedOff.stdout).not.toMatch(ANSI)
    const noColor = await project.run(['logs', 'api', '-n', '3'], {env: {NO_COLOR: '1', FORCE_COLOR: '1'}})
    expect(noColor.stdout).not.toMatch(ANSI)
  })

  it('refuses --json with -f (one document cannot grow), pointing at --raw', async () => {
    const result = await project.run<ErrorDocument>(['logs', 'api', '-f', '--json'])
    expect(result.exitCode).toBe(2)
    expect(result.json?.error.code).toBe('USAGE')
    expect(result.json?.error.next).toContain('npx storybook logs api -f --raw') // runCli's PATH has no storybook
  })

  it('documents --raw and --json in --help', async () => {
    const help = await project.run(['logs', '--help'])
    expect(help.stdout).toContain('$ npx storybook logs api --raw')
    expect(help.stdout).toContain('$ npx storybook logs api --json')
  })
})

describe('storybook logs -f', () => {
  let child: ChildProcess | undefined
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    child = undefined
  })

  it('formats new lines and follows the log across a rotation', async () => {
    // Given logs -f running on the log
    let stdout = ''
    child = spawnCli(project, ['logs', 'api', '-f', '-n', '1'])
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    await waitFor(
      () => stdout.includes('    at main (file:///srv/main.js:1:1)'),
      () => stdout,
    )

    // When a line is added, then one more just before the file is rotated, and the new file grows
    // past the old one's size before anything is read from it
    await appendFile(logFile, `${record({msg: 'before rotation'})}\n`)
    await waitFor(
      () => stdout.includes(`${SHOWN_TIME} INFO  before rotation`),
      () => stdout,
    )
    await appendFile(logFile, `${record({level: 40, msg: 'last line of the old file'})}\n`)
    await rename(logFile, `${logFile}.1`)
    const filler = Array.from({length: 40}, (_, index) => record({msg: `new file line ${index}`}))
    await writeFile(logFile, `${filler.join('\n')}\n[supervisor] api started\n`)

    // Then every line shows once, formatted, in order
    await waitFor(
      () => stdout.includes('[supervisor] api started'),
      () => stdout,
    )
    const lines = stdout.trimEnd().split('\n')
    expect(lines.slice(2, 5)).toEqual([
      `${SHOWN_TIME} WARN  last line of the old file`,
      `${SHOWN_TIME} INFO  new file line 0`,
      `${SHOWN_TIME} INFO  new file line 1`,
    ])
    expect(lines).toHaveLength(2 + 1 + 40 + 1)
    expect(stdout).not.toContain('{"level"')
  })

  it('reads a log truncated in place again from its start, applying --level', async () => {
    // Given logs -f --level warn running on the log
    let stdout = ''
    child = spawnCli(project, ['logs', 'api', '-f', '-n', '1', '--level', 'warn'])
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    await waitFor(
      () => stdout.includes('ERROR export failed'),
      () => stdout,
    )
    // When the file is emptied (logrotate's copytruncate) and written again
    await writeFile(logFile, '')
    await writeFile(logFile, `${record({msg: 'quiet'})}\n${record({level: 50, msg: 'after truncation'})}\n`)
    // Then the new error shows, and the info line does not
    await waitFor(
      () => stdout.includes(`${SHOWN_TIME} ERROR after truncation`),
      () => stdout,
    )
    expect(stdout).not.toContain('quiet')
  })
})

describe('storybook logs -f after a read error', () => {
  let child: ChildProcess | undefined
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve))
      child.kill('SIGINT')
      await exited
    }
    child = undefined
  })

  it('says so once, keeps trying, and goes on with the file that comes back', async () => {
    // Given logs -f running on the log
    let stdout = ''
    let stderr = ''
    child = spawnCli(project, ['logs', 'api', '-f', '-n', '1'])
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    await waitFor(
      () => stdout.includes('    at main (file:///srv/main.js:1:1)'),
      () => stdout,
    )

    // When the log's path becomes a directory (nothing can be read from it)
    await rm(logFile)
    await mkdir(logFile)
    await waitFor(
      () => stderr.includes('EISDIR'),
      () => stderr,
    )

    // Then a log file that comes back is followed again from its start
    await rm(logFile, {recursive: true})
    await writeFile(logFile, `${record({msg: 'back again'})}\n`)
    await waitFor(
      () => stdout.includes(`${SHOWN_TIME} INFO  back again`),
      () => `${stdout}\n${stderr}`,
    )
    expect(stderr).toContain(`Reading ${logFile} again.`)
    expect(stderr.match(/EISDIR/g)).toHaveLength(1)
  })
})

/** The CLI as a long-running child, with the same environment that project.run gives it. */
function spawnCli(project: TempProject, args: string[]): ChildProcess {
  const env: NodeJS.ProcessEnv = {...process.env}
  for (const key of [...VARIABLES.map((variable) => variable.key), 'NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'CI', 'TERM']) {
    delete env[key]
  }
  env.STORYBOOK_ROOT = project.root
  env.STORYBOOK_STATE_DIR = project.stateDir
  return spawn(process.execPath, [CLI, ...args], {cwd: project.root, env, stdio: ['ignore', 'pipe', 'pipe']})
}

async function waitFor(condition: () => boolean, describe: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
