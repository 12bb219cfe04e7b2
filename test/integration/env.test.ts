import {mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {EnvSetupResult} from '../../src/services/env-setup.js'
import type {EnvShowResult} from '../../src/services/env-show.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import {createTempProject, runCli, type TempProject} from '../helpers/cli.js'

const ANSI = /\u001B\[/

let project: TempProject
beforeEach(async () => {
  project = await createTempProject()
})
afterEach(async () => {
  await project.cleanup()
})

function secretFrom(envText: string): string {
  const match = /^SESSION_SECRET=(.+)$/m.exec(envText)
  if (!match?.[1]) throw new Error('no SESSION_SECRET in .env')
  return match[1]
}

describe('storybook --help and unknown commands', () => {
  it('lists the commands with their summaries', async () => {
    const result = await runCli(['--help'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('env')
    const envHelp = await runCli(['env', '--help'])
    expect(envHelp.stdout).toMatch(/env setup\s+Create or update the \.env file/)
    expect(envHelp.stdout).toMatch(/env show\s+Show every configuration variable/)
  })

  it('shows examples in every command help', async () => {
    for (const command of ['setup', 'show', 'check']) {
      const result = await runCli(['env', command, '--help'])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('EXAMPLES')
      expect(result.stdout).toContain(`$ npx storybook env ${command}`) // runCli's PATH has no storybook
    }
  })

  it('suggests the closest command for a typo and exits 127', async () => {
    const result = await runCli(['env', 'shwo'])
    expect(result.exitCode).toBe(127)
    expect(result.stderr).toContain('Did you mean "env show"?')
    expect(result.stderr).toContain('storybook env show --help')
  })
})

describe('storybook env setup', () => {
  it('creates .env with mode 0600, a generated secret and a .gitignore line; a second run changes nothing', async () => {
    // Given a project without .env
    // When env setup runs without questions
    const first = await project.run<EnvSetupResult>(['env', 'setup', '--yes', '--json'])
    // Then .env exists, private, with a long generated secret, and git ignores it
    expect(first.exitCode).toBe(0)
    expect(first.json?.created).toBe(true)
    const info = await stat(project.envFile)
    expect(info.mode & 0o777).toBe(0o600)
    const text = await project.readEnv()
    expect(secretFrom(text).length).toBeGreaterThanOrEqual(32)
    // Defaults are documented as comments, so they stay defaults
    expect(text).toMatch(/^# API_PORT=8000$/m)
    expect(text).not.toMatch(/^API_PORT=/m)
    expect(first.json?.changes).toContainEqual({key: 'SESSION_SECRET', action: 'generated'})
    expect(await readFile(join(project.root, '.gitignore'), 'utf8')).toContain('/.env')
    // The JSON result names keys, never values
    expect(first.stdout).not.toContain(secretFrom(text))

    // When it runs again, nothing changes, not even the modification time
    const second = await project.run<EnvSetupResult>(['env', 'setup', '--yes', '--json'])
    expect(second.exitCode).toBe(0)
    expect(second.json?.changes).toEqual([])
    expect(await project.readEnv()).toBe(text)
    expect((await stat(project.envFile)).mtimeMs).toBe(info.mtimeMs)
    const human = await project.run(['env', 'setup', '--yes'])
    expect(human.stdout).toContain('nothing changed')
  })

  it('keeps comments and unknown keys, and keeps an invalid value as a comment when replacing it', async () => {
    await project.writeEnv('# my notes\nMY_OWN_KEY=keep me\nAPI_PORT=abc\n')
    await writeFile(join(project.root, '.gitignore'), 'node_modules/\n.env\n')
    const result = await project.run<EnvSetupResult>(['env', 'setup', '--yes', '--json'])
    expect(result.exitCode).toBe(0)
    const text = await project.readEnv()
    expect(text.startsWith('# my notes\nMY_OWN_KEY=keep me\n')).toBe(true)
    // The invalid line is kept as a comment and the default applies again
    expect(text).toContain('# API_PORT=abc')
    expect(text).not.toMatch(/^API_PORT=/m)
    expect(result.json?.changes).toContainEqual({key: 'API_PORT', action: 'replaced-invalid'})
    const shown = await project.run<EnvShowResult>(['env', 'show', '--json'])
    expect(shown.json?.variables.find((variable) => variable.key === 'API_PORT')).toMatchObject({
      value: '8000',
      source: 'default',
    })
    // .gitignore already covered .env: untouched
    expect(result.json?.gitignore?.added).toBeNull()
    expect(await readFile(join(project.root, '.gitignore'), 'utf8')).toBe('node_modules/\n.env\n')
  })

  it('sets values with --set after validating all of them; a bad one writes nothing', async () => {
    const bad = await project.run<ErrorDocument>([
      'env',
      'setup',
      '--yes',
      '--json',
      '--set',
      'API_PORT=99999',
      '--set',
      'API_PROT=1',
      '--set',
      'SESSION_SECRET=short',
    ])
    expect(bad.exitCode).toBe(2)
    expect(bad.json?.error.code).toBe('VALIDATION_FAILED')
    expect(bad.json?.error.message).toContain('API_PORT must be a whole number from 1 to 65535')
    expect(bad.json?.error.message).toContain('did you mean API_PORT?')
    expect(bad.json?.error.message).toContain('SESSION_SECRET must be at least 32 characters')
    expect(bad.stdout).not.toContain('short')
    await expect(stat(project.envFile)).rejects.toThrow()

    const good = await project.run(['env', 'setup', '--yes', '--set', 'API_PORT=8123', '--set', 'LOG_LEVEL=debug'])
    expect(good.exitCode).toBe(0)
    const text = await project.readEnv()
    expect(text).toMatch(/^API_PORT=8123$/m)
    expect(text).toMatch(/^LOG_LEVEL=debug$/m)
  })

  it('creates a new env file named by STORYBOOK_ENV_FILE', async () => {
    const result = await project.run(['env', 'setup', '--yes'], {env: {STORYBOOK_ENV_FILE: '.env.test'}})
    expect(result.exitCode).toBe(0)
    expect(await readFile(join(project.root, '.env.test'), 'utf8')).toMatch(/^SESSION_SECRET=/m)
    expect(await readFile(join(project.root, '.gitignore'), 'utf8')).toContain('/.env.test')
  })

  it('narrows the permissions of an existing world-readable .env', async () => {
    await project.run(['env', 'setup', '--yes'])
    const {chmod} = await import('node:fs/promises')
    await chmod(project.envFile, 0o644)
    const result = await project.run<EnvSetupResult>(['env', 'setup', '--yes', '--json'])
    expect(result.json?.permissionsFixed).toBe(true)
    expect((await stat(project.envFile)).mode & 0o777).toBe(0o600)
  })

  it('warns when the process environment holds an invalid value that .env cannot override', async () => {
    const result = await project.run(['env', 'setup', '--yes'], {env: {WEB_PORT: 'http'}})
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('WEB_PORT is set in the process environment')
  })
})

describe('storybook env show', () => {
  it('reports an invalid environment value with its source, and never prints a secret without --reveal', async () => {
    await project.run(['env', 'setup', '--yes', '--set', 'DATABASE_URL=postgres://story:hunter2@127.0.0.1:5432/story'])
    const secret = secretFrom(await project.readEnv())

    const result = await project.run<EnvShowResult>(['env', 'show', '--json'], {env: {API_PORT: '70000'}})
    expect(result.exitCode).toBe(0)
    const apiPort = result.json?.variables.find((variable) => variable.key === 'API_PORT')
    expect(apiPort).toMatchObject({value: '70000', source: 'environment', valid: false, secret: false})
    expect(apiPort?.error).toContain('1 to 65535')
    const session = result.json?.variables.find((variable) => variable.key === 'SESSION_SECRET')
    expect(session).toMatchObject({source: '.env', secret: true, valid: true, value: '********'})
    const database = result.json?.variables.find((variable) => variable.key === 'DATABASE_URL')
    expect(database?.value).toBe('postgres://story:********@127.0.0.1:5432/story')
    for (const output of [result.stdout, result.stderr]) {
      expect(output).not.toContain(secret)
      expect(output).not.toContain('hunter2')
    }
    const table = await project.run(['env', 'show'])
    expect(table.stdout).toMatch(/^KEY\s+VALUE\s+SOURCE\s+STATUS$/m)
    expect(table.stdout).not.toContain(secret)
    expect(table.stdout).not.toContain('hunter2')

    const revealed = await project.run<EnvShowResult>(['env', 'show', '--json', '--reveal'])
    expect(revealed.stdout).toContain(secret)
    expect(revealed.stdout).toContain('hunter2')
  })

  it('prints exactly one JSON document on stdout and nothing else', async () => {
    const result = await project.run(['env', 'show', '--json'])
    expect(result.exitCode).toBe(0)
    expect(() => JSON.parse(result.stdout)).not.toThrow()
    expect(result.stdout.trim().endsWith('}')).toBe(true)
    expect(Object.keys(result.json as object)).toContain('variables')
  })

  it('follows environment > .env > default and shows the source of each value', async () => {
    await project.writeEnv('API_PORT=8100\nWEB_PORT=3100\n')
    const result = await project.run<EnvShowResult>(['env', 'show', '--json'], {env: {API_PORT: '8200'}})
    const source = (key: string) => result.json?.variables.find((variable) => variable.key === key)
    expect(source('API_PORT')).toMatchObject({value: '8200', source: 'environment'})
    expect(source('WEB_PORT')).toMatchObject({value: '3100', source: '.env'})
    expect(source('DASHBOARD_PORT')).toMatchObject({value: '8001', source: 'default'})
    expect(source('SESSION_SECRET')).toMatchObject({value: null, source: 'missing', valid: false})
    expect(source('DATABASE_URL')?.value).toBe(`sqlite:${project.stateDir}/data/storybook.db`)
  })

  it('finds the project root from a subfolder and reads --env-file', async () => {
    const sub = join(project.root, 'a', 'b')
    await mkdir(sub, {recursive: true})
    await writeFile(join(project.root, 'other.env'), 'LOG_LEVEL=warn\n')
    const result = await runCli<EnvShowResult>(['env', 'show', '--json', '--env-file', '../../other.env'], {cwd: sub})
    expect(result.exitCode).toBe(0)
    expect(result.json?.root).toBe(project.root)
    expect(result.json?.variables.find((variable) => variable.key === 'LOG_LEVEL')?.value).toBe('warn')
  })

  it('reports lines it cannot read by number, without their content', async () => {
    await project.writeEnv('API_PORT=8100\nthis line has a password123 in it\n')
    const result = await project.run<EnvShowResult>(['env', 'show', '--json'])
    expect(result.json?.warnings).toEqual(['line 2 is not KEY=VALUE and is ignored'])
    expect(result.stdout).not.toContain('password123')
  })

  it('honours NO_COLOR and prints no colour off a terminal; --color forces it', async () => {
    const plain = await project.run(['env', 'show'])
    expect(plain.stdout).not.toMatch(ANSI)
    const forced = await project.run(['env', 'show', '--color'])
    expect(forced.stdout).toMatch(ANSI)
    const noColor = await project.run(['env', 'show'], {env: {NO_COLOR: '1', FORCE_COLOR: '1'}})
    expect(noColor.stdout).not.toMatch(ANSI)
  })
})

describe('errors and exit codes', () => {
  it('env check lists every problem with its rule and source, never a secret value, and exits 3', async () => {
    await project.writeEnv('SESSION_SECRET=too-short-but-secret\nLOG_LEVEL=loud\n')
    const result = await project.run(['env', 'check'], {env: {API_PORT: '70000'}})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('[CONFIG_INVALID]')
    expect(result.stderr).toContain('API_PORT: invalid (from environment); must be a whole number from 1 to 65535')
    expect(result.stderr).toContain('LOG_LEVEL: invalid (from .env); must be one of:')
    expect(result.stderr).toContain('SESSION_SECRET: invalid (from .env); must be at least 32 characters')
    expect(result.stderr).toContain('storybook env setup')
    expect(result.stderr + result.stdout).not.toContain('too-short-but-secret')
    expect(result.stderr).not.toMatch(/\n\s+at /) // no stack without --verbose
  })

  it('keeps the exit code under --json and prints one error document', async () => {
    const result = await project.run<ErrorDocument>(['env', 'check', '--json'])
    expect(result.exitCode).toBe(3)
    expect(result.json?.error.code).toBe('CONFIG_INVALID')
    expect(result.json?.error.details.problems).toEqual([
      {key: 'SESSION_SECRET', rule: 'must be at least 32 characters', source: 'missing', missing: true},
    ])
    expect(result.json?.error.next).toContain('npx storybook env setup')
  })

  it('passes once the configuration is valid', async () => {
    await project.run(['env', 'setup', '--yes'])
    const result = await project.run<{valid: boolean}>(['env', 'check', '--json'])
    expect(result.exitCode).toBe(0)
    expect(result.json?.valid).toBe(true)
  })

  it('reports bad flags as USAGE with exit 2, in text and JSON', async () => {
    const text = await project.run(['env', 'show', '--bogus'])
    expect(text.exitCode).toBe(2)
    expect(text.stderr).toContain('[USAGE]')
    expect(text.stderr).toContain('--bogus')
    const json = await project.run<ErrorDocument>(['env', 'show', '--json', '--bogus'])
    expect(json.exitCode).toBe(2)
    expect(json.json?.error.code).toBe('USAGE')
  })

  it('names a missing STORYBOOK_ENV_FILE with NOT_FOUND and exit 4', async () => {
    const result = await project.run<ErrorDocument>(['env', 'show', '--json'], {env: {STORYBOOK_ENV_FILE: 'nope.env'}})
    expect(result.exitCode).toBe(4)
    expect(result.json?.error.code).toBe('NOT_FOUND')
    expect(result.json?.error.next).toEqual(['STORYBOOK_ENV_FILE=nope.env npx storybook env setup'])
  })

  it('refuses a binary .env file with a clear error and leaves it untouched', async () => {
    await writeFile(project.envFile, Buffer.from([0x41, 0x3d, 0x00, 0x01, 0x0a]))
    const result = await project.run(['env', 'setup', '--yes'])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('is not a text file')
    expect(await readFile(project.envFile)).toEqual(Buffer.from([0x41, 0x3d, 0x00, 0x01, 0x0a]))
  })

  it('says where to go when run outside a project', async () => {
    const result = await runCli(['env', 'show'], {cwd: '/', env: {STORYBOOK_ROOT: undefined}})
    expect(result.exitCode).toBe(4)
    expect(result.stderr).toContain('No Storybook project found')
    expect(result.stderr).toContain('export STORYBOOK_ROOT=')
  })

  it('shows the stack trace only with --verbose', async () => {
    const quiet = await project.run(['env', 'check'])
    expect(quiet.stderr).not.toMatch(/\n\s+at /)
    const verbose = await project.run(['env', 'check', '--verbose'])
    expect(verbose.stderr).toMatch(/\n\s+at /)
  })
})

describe('env setup never loses what is in the file', () => {
  it('changes only the named line when a quote is left open', async () => {
    const before =
      'NODE_ENV="production\nSESSION_SECRET=keepme-keepme-keepme-keepme-keepme-1234\n# note\nMY_OWN_KEY=precious\n'
    await project.writeEnv(before)
    const result = await project.run(['env', 'setup', '--yes', '--set', 'NODE_ENV=test'])
    expect(result.exitCode).toBe(0)
    // The invalid line it replaced stays as a comment (README), and no other line is touched (generated secrets
    // the file lacks are appended after them).
    const expected = before.replace(
      'NODE_ENV="production',
      '# storybook env setup: the value below broke the rule "must be one of: development, production, test"\n' +
        '# NODE_ENV="production\nNODE_ENV=test',
    )
    const text = await project.readEnv()
    expect(text.slice(0, expected.length)).toBe(expected)
  })

  it('lets an earlier valid duplicate take effect again instead of overwriting it', async () => {
    await project.writeEnv('API_PORT=9000 # my port\nAPI_PORT=abc\n')
    await project.run(['env', 'setup', '--yes'])
    const text = await project.readEnv()
    expect(text).toContain('API_PORT=9000 # my port')
    expect(text).toContain('# API_PORT=abc')
    const shown = await project.run<EnvShowResult>(['env', 'show', '--json'])
    expect(shown.json?.variables.find((variable) => variable.key === 'API_PORT')).toMatchObject({
      value: '9000',
      source: '.env',
    })
  })

  it('keeps the export prefix and writes through a symlink', async () => {
    const {symlink, lstat} = await import('node:fs/promises')
    await mkdir(join(project.root, 'shared'))
    const real = join(project.root, 'shared', 'real.env')
    await writeFile(real, 'export API_PORT=9000\n')
    await symlink(real, project.envFile)
    await project.run(['env', 'setup', '--yes', '--set', 'API_PORT=9100'])
    expect((await lstat(project.envFile)).isSymbolicLink()).toBe(true)
    expect(await readFile(real, 'utf8')).toMatch(/^export API_PORT=9100$/m)
  })

  it('asks git whether .env is ignored, so a negation is not mistaken for an ignore', async () => {
    const {execFileSync} = await import('node:child_process')
    execFileSync('git', ['init', '-q'], {cwd: project.root})
    await writeFile(join(project.root, '.gitignore'), '.env*\n!.env\n')
    await project.run(['env', 'setup', '--yes'])
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: project.root,
      encoding: 'utf8',
    })
    expect(status).not.toContain('.env\n')
  })

  it('masks URL passwords in --set errors', async () => {
    const result = await project.run<ErrorDocument>([
      'env',
      'setup',
      '--json',
      '--set',
      'DATABASE_URL=mysql://user:hunter2@host/db',
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stdout).not.toContain('hunter2')
    expect(result.stdout).toContain('mysql://user:********@host/db')
  })

  it('warns when a required value is left missing after an invalid one was set aside', async () => {
    await project.writeEnv('IMAGE_PROVIDER=http\nIMAGE_API_URL=ftp://x\n')
    const result = await project.run(['env', 'setup', '--yes'])
    expect(result.stderr).toContain('IMAGE_API_URL is required')
  })

  it('reports an unreadable .gitignore as a file-system error', async () => {
    await mkdir(join(project.root, '.gitignore'))
    const result = await project.run(['env', 'setup', '--yes'])
    expect(result.exitCode).toBe(9)
    expect(result.stderr).toContain('[FILE_SYSTEM]')
  })

  it('warns that an environment value shadows --set', async () => {
    const result = await project.run(['env', 'setup', '--yes', '--set', 'API_PORT=3333'], {env: {API_PORT: '5555'}})
    expect(result.stderr).toContain('API_PORT is also set in the process environment')
  })

  it('resolves a relative STORYBOOK_ENV_FILE from the project root, from any folder', async () => {
    const sub = join(project.root, 'sub', 'deeper')
    await mkdir(sub, {recursive: true})
    await project.run(['env', 'setup', '--yes'], {cwd: sub, env: {STORYBOOK_ENV_FILE: '.env.local'}})
    expect(await readFile(join(project.root, '.env.local'), 'utf8')).toMatch(/^SESSION_SECRET=/m)
  })

  it('refuses a state directory that is a file', async () => {
    const result = await project.run(['env', 'check'], {env: {STORYBOOK_STATE_DIR: 'package.json'}})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('STORYBOOK_STATE_DIR')
  })

  it('answers an unknown command under --json with one error document', async () => {
    const result = await project.run<ErrorDocument>(['env', 'shwo', '--json'])
    expect(result.exitCode).toBe(127)
    expect(result.json?.error).toMatchObject({code: 'UNKNOWN_COMMAND', details: {suggestion: 'env show'}})
  })

  it('creates the missing file a dangling .env link points to, and keeps the link', async () => {
    // Given .env, a link to a file that does not exist (yet)
    const {symlink, lstat, readlink} = await import('node:fs/promises')
    await mkdir(join(project.root, 'secrets'))
    await symlink('secrets/storybook.env', project.envFile)
    // When env setup runs
    const result = await project.run<EnvSetupResult>(['env', 'setup', '--yes'])
    // Then the file is created where the link points, and .env is still that link
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('Created secrets/storybook.env through the link .env (the link is kept)')
    expect((await lstat(project.envFile)).isSymbolicLink()).toBe(true)
    expect(await readlink(project.envFile)).toBe('secrets/storybook.env')
    const written = join(project.root, 'secrets', 'storybook.env')
    expect(secretFrom(await readFile(written, 'utf8')).length).toBeGreaterThanOrEqual(32)
    expect((await stat(written)).mode & 0o777).toBe(0o600)
  })

  it('refuses a .env that is a directory with FILE_SYSTEM and the command that works, not EISDIR', async () => {
    await mkdir(project.envFile)
    const result = await project.run<ErrorDocument>(['env', 'setup', '--yes', '--json'])
    expect(result.exitCode).toBe(9)
    expect(result.json?.error).toMatchObject({
      code: 'FILE_SYSTEM',
      message: `${project.envFile} is a directory, not a file.`,
    })
    expect(JSON.stringify(result.json)).not.toContain('EISDIR')
    const next = result.json?.error.next?.[0] as string
    expect(next).toMatch(/^mv \S+\/\.env \S+\/\.env\.dir-backup && (npx )?storybook env setup --yes$/)
    // The command it gives works.
    const {execFileSync} = await import('node:child_process')
    const {CLI} = await import('../helpers/cli.js')
    execFileSync('sh', ['-c', next.replace(/(npx )?storybook /, `${process.execPath} ${CLI} `)], {
      cwd: project.root,
      env: {...process.env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir},
    })
    expect(secretFrom(await project.readEnv()).length).toBeGreaterThanOrEqual(32)
    expect((await stat(`${project.envFile}.dir-backup`)).isDirectory()).toBe(true)
  })

  it('--set keeps the invalid line it replaces as a comment, as the README says', async () => {
    await project.writeEnv(
      'SESSION_SECRET=keepme-keepme-keepme-keepme-keepme-1234\nAPI_PORT=abc # mine\nLOG_LEVEL=info\n',
    )
    const result = await project.run<EnvSetupResult>(['env', 'setup', '--set', 'API_PORT=8080', '--json'])
    expect(result.exitCode).toBe(0)
    expect(result.json?.changes.filter((change) => change.key === 'API_PORT')).toEqual([
      {key: 'API_PORT', action: 'replaced-invalid'},
    ])
    const expected =
      'SESSION_SECRET=keepme-keepme-keepme-keepme-keepme-1234\n' +
      '# storybook env setup: the value below broke the rule "must be a whole number from 1 to 65535"\n' +
      '# API_PORT=abc # mine\n' +
      'API_PORT=8080\n' +
      'LOG_LEVEL=info\n'
    const text = await project.readEnv()
    expect(text.slice(0, expected.length)).toBe(expected) // then any generated secret the file lacked
  })
})
