// The CLI's own manners, run as the built CLI: a mistyped command is answered, never run (on a
// real terminal too); unknown commands and flags are answered in one style; suggested commands
// are written the way the user's shell runs storybook; --verbose stack traces name the sources.
import {execFileSync} from 'node:child_process'
import {accessSync, constants, statSync} from 'node:fs'
import {chmod, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {ErrorDocument} from '../../src/core/errors.js'
import {CLI, createTempProject, type TempProject} from '../helpers/cli.js'

const SECRET = 'integration-test-secret-'.repeat(2)

/** The test runner's PATH without any folder that holds a `storybook`: nobody has it installed. */
function pathWithoutStorybook(): string {
  const holdsStorybook = (directory: string) => {
    try {
      accessSync(join(directory, 'storybook'), constants.X_OK)
      return statSync(join(directory, 'storybook')).isFile()
    } catch {
      return false
    }
  }
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((directory) => directory !== '' && !holdsStorybook(directory))
    .join(delimiter)
}

let project: TempProject
let links: string
beforeEach(async () => {
  project = await createTempProject()
  await project.writeEnv(`SESSION_SECRET=${SECRET}\n`)
  links = await mkdtemp(join(tmpdir(), 'storybook-path-'))
})
afterEach(async () => {
  await project.cleanup()
  await rm(links, {recursive: true, force: true})
})

/** Runs the CLI with a PATH that has no storybook on it, as on a fresh clone. */
function run<T = ErrorDocument>(args: string[]) {
  return project.run<T>(args, {env: {PATH: pathWithoutStorybook()}})
}

describe('a mistyped command on a terminal', () => {
  it('db rest --yes and Enter suggests db reset and does not run it', async () => {
    // Given a migrated, seeded database and a person at a terminal (a tmux pane, not a pipe)
    expect((await run(['db', 'migrate'])).exitCode).toBe(0)
    expect((await run(['db', 'seed'])).exitCode).toBe(0)
    const users = () => {
      const database = new Database(join(project.stateDir, 'data', 'storybook.db'), {readonly: true})
      try {
        return (database.prepare('select count(*) as count from users').get() as {count: number}).count
      } finally {
        database.close()
      }
    }
    expect(users()).toBe(1)
    const socket = join(project.root, 'tmux.sock')
    const line = [
      `cd ${project.root} &&`,
      `env -u CI TERM=xterm-256color PATH='${pathWithoutStorybook()}'`,
      `STORYBOOK_ROOT=${project.root} STORYBOOK_STATE_DIR=${project.stateDir}`,
      `${process.execPath} ${CLI} db rest --yes; echo EXIT=$?; sleep 30`,
    ].join(' ')
    execFileSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'typo', '-x', '200', '-y', '50', line])
    const screen = () => execFileSync('tmux', ['-S', socket, 'capture-pane', '-p', '-t', 'typo'], {encoding: 'utf8'})
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 15_000
      while (!screen().includes(text)) {
        if (Date.now() > deadline) throw new Error(`"${text}" did not appear on the terminal:\n${screen()}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    try {
      // When the suggestion appears (as a question or as an answer) and the person presses Enter
      await waitFor('db reset')
      execFileSync('tmux', ['-S', socket, 'send-keys', '-t', 'typo', 'Enter'])
      await waitFor('EXIT=')

      // Then nothing ran: the typo is an unknown command with the guess to look at, and the data is there
      const output = screen()
      expect(output).toContain('EXIT=127')
      expect(output).toContain('[UNKNOWN_COMMAND] "db rest" is not a storybook command. Did you mean "db reset"?')
      expect(output).toContain('npx storybook db reset --help')
      expect(output).not.toContain('(Y/n)')
      expect(users()).toBe(1)
    } finally {
      execFileSync('tmux', ['-S', socket, 'kill-server'])
    }
  })
})

describe('unknown commands and flags, in one style', () => {
  it('answers an unknown command with the error code, the closest command and what to type', async () => {
    const unknown = await run(['xyzzy'])
    expect(unknown.exitCode).toBe(127)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toBe(
      'Error [UNKNOWN_COMMAND] "xyzzy" is not a storybook command.\nNext:\n  npx storybook --help\n',
    )

    const typo = await run(['db', 'rest', '--yes'])
    expect(typo.exitCode).toBe(127)
    expect(typo.stderr).toBe(
      'Error [UNKNOWN_COMMAND] "db rest" is not a storybook command. Did you mean "db reset"?\n' +
        'Next:\n  npx storybook db reset --help\n',
    )

    const inTopic = await run(['db', 'frobnicate'])
    expect(inTopic.stderr).toContain('Next:\n  npx storybook db --help\n')
  })

  it('answers help for an unknown command the same way: help staus, staus --help', async () => {
    for (const args of [
      ['help', 'staus'],
      ['staus', '--help'],
    ]) {
      const result = await run(args)
      expect(result.exitCode, args.join(' ')).toBe(127)
      expect(result.stderr).toBe(
        'Error [UNKNOWN_COMMAND] "staus" is not a storybook command. Did you mean "status"?\nNext:\n  npx storybook status --help\n',
      )
    }
    const help = await run(['status', '--help'])
    expect(help.stdout).toContain('$ npx storybook status --json') // examples name a command that runs here
  })

  it('answers an unknown command under --json with one error document and nothing else', async () => {
    const result = await run(['db', 'rest', '--yes', '--json'])
    expect(result.exitCode).toBe(127)
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'UNKNOWN_COMMAND',
        message: '"db rest" is not a storybook command. Did you mean "db reset"?',
        next: ['npx storybook db reset --help'],
        details: {command: 'db rest', suggestion: 'db reset'},
      },
    })
  })

  it('answers a mistyped flag with USAGE and the closest flag, in text and in JSON', async () => {
    const text = await run(['status', '--jsn'])
    expect(text.exitCode).toBe(2)
    expect(text.stderr).toBe(
      'Error [USAGE] Unknown flag: --jsn. Did you mean --json?\nNext:\n  npx storybook status --help\n',
    )

    const json = await run(['status', '--jsn', '--json'])
    expect(json.exitCode).toBe(2)
    expect(json.json?.error).toEqual({
      code: 'USAGE',
      message: 'Unknown flag: --jsn. Did you mean --json?',
      next: ['npx storybook status --help'],
      details: {flags: ['--jsn'], suggestions: {'--jsn': '--json'}},
    })

    const value = await run(['logs', '--level', 'wrn'])
    expect(value.stderr).toContain(
      'Expected --level=wrn to be one of: trace, debug, info, warn, error, fatal. Did you mean --level=warn?\n',
    )
  })

  it('cleans oclif parse messages: no tabs, no trailing spaces, no "See more help"', async () => {
    const result = await run(['db', 'rollback', '--steps', 'abc', '--json'])
    expect(result.exitCode).toBe(2)
    expect(result.json?.error.message).toBe('Invalid value for --steps: expected an integer but received: abc')

    const missing = await run(['db', 'new'])
    expect(missing.stderr).toMatch(/^Error \[USAGE\] Missing 1 required arg:\n {2}name {2}What the migration does/)
    expect(missing.stderr).not.toMatch(/[ \t]\n|\t|See more help/)
  })
})

describe('suggested commands work where they were typed', () => {
  it('say npx storybook when storybook is not on PATH', async () => {
    const result = await run(['env', 'check', '--json'])
    expect(result.exitCode).toBe(0)
    await project.writeEnv('SESSION_SECRET=short\n')
    const invalid = await run(['env', 'check', '--json'])
    expect(invalid.exitCode).toBe(3)
    expect(invalid.json?.error.next).toEqual(['npx storybook env setup', 'npx storybook env show'])
    const text = await run(['env', 'check'])
    expect(text.stderr).toContain('Next:\n  npx storybook env setup\n  npx storybook env show\n')
  })

  it("say storybook when the storybook on PATH is this project's, else npx storybook", async () => {
    await project.writeEnv('SESSION_SECRET=short\n')
    // npm link puts a link like this one on PATH.
    await symlink(CLI, join(links, 'storybook'))
    const linked = await project.run<ErrorDocument>(['env', 'check', '--json'], {
      env: {PATH: `${links}${delimiter}${pathWithoutStorybook()}`},
    })
    expect(linked.json?.error.next).toEqual(['storybook env setup', 'storybook env show'])

    // The npm package named storybook is another tool: a bare `storybook` would run it.
    await rm(join(links, 'storybook'))
    await writeFile(join(links, 'storybook'), '#!/bin/sh\necho another storybook\n')
    await chmod(join(links, 'storybook'), 0o755)
    const other = await project.run<ErrorDocument>(['env', 'check', '--json'], {
      env: {PATH: `${links}${delimiter}${pathWithoutStorybook()}`},
    })
    expect(other.json?.error.next).toEqual(['npx storybook env setup', 'npx storybook env show'])
  })
})

describe('stack traces', () => {
  it('name the source files and functions with --verbose and with DEBUG', async () => {
    for (const options of [
      {args: ['--verbose'], env: {}},
      {args: [], env: {DEBUG: '1'}},
    ]) {
      const result = await project.run(['status', '--jsn', ...options.args], {
        env: {PATH: pathWithoutStorybook(), ...options.env},
      })
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toMatch(/at fromOclifError \(.*src\/core\/cli\/base-command\.ts:\d+:\d+\)/)
      expect(result.stderr).not.toContain('dist/cli.cjs:')
    }
  })
})
