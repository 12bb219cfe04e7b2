import {chmod, mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {commandPrefix, formatCommand, resolveExecutable} from '../../../../src/core/cli/invocation.js'

describe('commandPrefix', () => {
  // A file system as a map from a path to the real path of the executable there.
  const files = (entries: Record<string, string>) => (file: string) => entries[file]
  const launcher = '/home/me/storybook/bin/run.js'

  it('is storybook when the first storybook on PATH is this launcher', () => {
    const resolveExecutable = files({[launcher]: launcher, '/usr/local/bin/storybook': launcher})
    expect(commandPrefix({path: '/usr/bin:/usr/local/bin', launcher, resolveExecutable, pathDelimiter: ':'})).toBe(
      'storybook',
    )
  })

  it('is npx storybook under npx, whose storybook on PATH is a link made for that one run', () => {
    const npxLink = '/root/.npm/_npx/473f12c7/node_modules/.bin/storybook'
    const resolveExecutable = files({[npxLink]: launcher, [launcher]: launcher})
    const path = '/root/.npm/_npx/473f12c7/node_modules/.bin:/usr/bin'
    expect(commandPrefix({path, launcher: npxLink, resolveExecutable, pathDelimiter: ':', viaNpx: true})).toBe(
      'npx storybook',
    )
    expect(commandPrefix({path, launcher: npxLink, resolveExecutable, pathDelimiter: ':'})).toBe('storybook')
  })

  it('is npx storybook when no storybook is on PATH', () => {
    const resolveExecutable = files({[launcher]: launcher})
    expect(commandPrefix({path: '/usr/bin:/bin', launcher, resolveExecutable, pathDelimiter: ':'})).toBe(
      'npx storybook',
    )
    expect(commandPrefix({path: undefined, launcher, resolveExecutable})).toBe('npx storybook')
  })

  it('is npx storybook when the storybook the shell finds first is another program', () => {
    const other = '/usr/lib/node_modules/storybook/bin/index.cjs'
    const resolveExecutable = files({
      [launcher]: launcher,
      '/usr/bin/storybook': other,
      '/usr/local/bin/storybook': launcher,
    })
    expect(commandPrefix({path: '/usr/bin:/usr/local/bin', launcher, resolveExecutable, pathDelimiter: ':'})).toBe(
      'npx storybook',
    )
  })

  it('is npx storybook when the launcher is unknown', () => {
    const resolveExecutable = files({'/usr/bin/storybook': launcher})
    expect(commandPrefix({path: '/usr/bin', launcher: undefined, resolveExecutable, pathDelimiter: ':'})).toBe(
      'npx storybook',
    )
  })
})

describe('resolveExecutable on a real folder', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'storybook-invocation-'))
  })
  afterEach(async () => {
    await rm(root, {recursive: true, force: true})
  })

  it('follows links to the launcher, and ignores files that cannot run and folders', async () => {
    // Given a project with bin/run.js, a PATH folder linking to it (as npm link does), and decoys
    const run = join(root, 'project', 'bin', 'run.js')
    await mkdir(join(root, 'project', 'bin'), {recursive: true})
    await writeFile(run, '#!/usr/bin/env node\n')
    await chmod(run, 0o755)
    await mkdir(join(root, 'linked'))
    await symlink(run, join(root, 'linked', 'storybook'))
    await mkdir(join(root, 'plain'))
    await writeFile(join(root, 'plain', 'storybook'), 'not executable')
    await mkdir(join(root, 'folder', 'storybook'), {recursive: true})

    // When the prefix is decided with the real file system
    const decide = (path: string[]) =>
      commandPrefix({path: path.join(':'), launcher: run, resolveExecutable, pathDelimiter: ':'})

    // Then only a link that really leads to the launcher counts
    expect(decide([join(root, 'plain'), join(root, 'folder'), join(root, 'linked')])).toBe('storybook')
    expect(decide([join(root, 'plain'), join(root, 'folder')])).toBe('npx storybook')
    expect(resolveExecutable(join(root, 'missing'))).toBeUndefined()
  })
})

describe('formatCommand', () => {
  it('leaves lines alone when storybook is on PATH', () => {
    expect(formatCommand('storybook db migrate', 'storybook')).toBe('storybook db migrate')
  })

  it('writes npx storybook wherever a shell would run storybook', () => {
    const npx = (line: string) => formatCommand(line, 'npx storybook')
    expect(npx('storybook status')).toBe('npx storybook status')
    expect(npx('storybook')).toBe('npx storybook')
    expect(npx('STORYBOOK_ENV_FILE=nope.env storybook env setup')).toBe(
      'STORYBOOK_ENV_FILE=nope.env npx storybook env setup',
    )
    expect(npx("A='x y' B=2 storybook env show")).toBe("A='x y' B=2 npx storybook env show")
    expect(npx('git rm --cached .env && storybook env setup --yes')).toBe(
      'git rm --cached .env && npx storybook env setup --yes',
    )
    expect(npx('storybook db backup; storybook db restore x.db')).toBe(
      'npx storybook db backup; npx storybook db restore x.db',
    )
  })

  it('does not touch storybook where it is not the command', () => {
    const npx = (line: string) => formatCommand(line, 'npx storybook')
    expect(npx('ls var/backups/storybook-20261122.db')).toBe('ls var/backups/storybook-20261122.db')
    expect(npx('npm install storybook-toolkit')).toBe('npm install storybook-toolkit')
    expect(npx('cd storybook')).toBe('cd storybook')
    const unset = 'unset API_PORT   # or fix the value in your shell'
    expect(npx(unset)).toBe(unset)
  })
})
