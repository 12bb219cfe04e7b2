import {describe, expect, it} from 'vitest'
import {
  answerUnknownCommand,
  suggestFlags,
  suggestFlagValue,
  unknownCommandError,
  unknownFlagsError,
} from '../../../../src/core/cli/command-not-found.js'
import {ConfigInvalidError, mapNextSteps, StorybookError} from '../../../../src/core/errors.js'

const known = {
  commands: ['db reset', 'db restore', 'db status', 'env show', 'status', 'stop', 'help'],
  topics: ['db', 'env'],
}

describe('unknownCommandError', () => {
  it('names the closest command and its help, never the command itself with what was typed', () => {
    const error = unknownCommandError('db rest', known)
    expect(error.code).toBe('UNKNOWN_COMMAND')
    expect(error.exitCode).toBe(127)
    expect(error.message).toBe('"db rest" is not a storybook command. Did you mean "db reset"?')
    expect(error.next).toEqual(['storybook db reset --help'])
    expect(error.details).toEqual({command: 'db rest', suggestion: 'db reset'})
  })

  it('suggests a topic for a mistyped topic', () => {
    const error = unknownCommandError('evn', known)
    expect(error.message).toBe('"evn" is not a storybook command. Did you mean "env"?')
    expect(error.next).toEqual(['storybook env --help'])
  })

  it('points to the topic or the whole list when nothing is close', () => {
    expect(unknownCommandError('db frobnicate', known).next).toEqual(['storybook db --help'])
    const xyzzy = unknownCommandError('xyzzy', known)
    expect(xyzzy.message).toBe('"xyzzy" is not a storybook command.')
    expect(xyzzy.next).toEqual(['storybook --help'])
    expect(xyzzy.details).toEqual({command: 'xyzzy'})
  })
})

describe('unknown flags', () => {
  const flags = {json: {}, verbose: {}, color: {allowNo: true}, lines: {char: 'n'}, internal: {hidden: true}}

  it('suggests the closest long flag, a --no- form, and nothing for short or hidden ones', () => {
    expect(suggestFlags(['--jsn', '--no-colr', '-x', '--internl', '--zzzzzzzz'], flags)).toEqual({
      '--jsn': '--json',
      '--no-colr': '--no-color',
    })
    expect(suggestFlags(['--jsn=1'], flags)).toEqual({'--jsn=1': '--json'})
  })

  it('is a USAGE error with the guess for each flag and the help as the next step', () => {
    const one = unknownFlagsError(['--jsn'], flags, 'storybook status --help')
    expect(one.code).toBe('USAGE')
    expect(one.message).toBe('Unknown flag: --jsn. Did you mean --json?')
    expect(one.next).toEqual(['storybook status --help'])
    expect(one.details).toEqual({flags: ['--jsn'], suggestions: {'--jsn': '--json'}})

    const two = unknownFlagsError(['--jsn', '--verbos', '-x'], flags, 'storybook status --help')
    expect(two.message).toBe(
      'Unknown flags: --jsn, --verbos, -x. Did you mean --json (for --jsn), --verbose (for --verbos)?',
    )
    expect(unknownFlagsError(['-x'], flags, 'storybook status --help').message).toBe('Unknown flag: -x.')
  })

  it('suggests the closest allowed value of a flag', () => {
    const message = 'Expected --level=wrn to be one of: trace, debug, info, warn, error, fatal'
    expect(suggestFlagValue(message)).toBe(`${message}. Did you mean --level=warn?`)
    const far = 'Expected --level=loud to be one of: trace, debug'
    expect(suggestFlagValue(far)).toBe(far)
    expect(suggestFlagValue('Missing 1 required arg')).toBe('Missing 1 required arg')
  })
})

describe('answerUnknownCommand', () => {
  const answer = (json: boolean) => {
    const written = {stdout: '', stderr: '', exitCode: undefined as number | undefined}
    const stop = new Error('exited')
    expect(() =>
      answerUnknownCommand(unknownCommandError('db rest', known), {
        json,
        color: false,
        write: {stdout: (text) => (written.stdout += text), stderr: (text) => (written.stderr += text)},
        exit: (code) => {
          written.exitCode = code
          throw stop
        },
      }),
    ).toThrow(stop)
    return written
  }

  it('prints our error text on stderr and ends with exit code 127', () => {
    const written = answer(false)
    expect(written.exitCode).toBe(127)
    expect(written.stdout).toBe('')
    expect(written.stderr).toMatch(/^Error \[UNKNOWN_COMMAND\] "db rest" is not a storybook command\. Did you mean/)
    expect(written.stderr).toMatch(/Next:\n {2}(npx )?storybook db reset --help\n$/)
  })

  it('prints one error document on stdout under --json', () => {
    const written = answer(true)
    expect(written.stderr).toBe('')
    expect(JSON.parse(written.stdout)).toMatchObject({
      error: {code: 'UNKNOWN_COMMAND', details: {suggestion: 'db reset'}},
    })
  })
})

describe('mapNextSteps', () => {
  it('rewrites the next steps of a copy that keeps the class, message, stack and fields', () => {
    const error = new ConfigInvalidError([{key: 'API_PORT', rule: 'a port', source: '.env', missing: false}], '.env')
    const written = mapNextSteps(error, (step) => step.replace(/^storybook /, 'npx storybook '))
    expect(written).toBeInstanceOf(ConfigInvalidError)
    expect(written.next).toEqual(['npx storybook env setup', 'npx storybook env show'])
    expect(written.message).toBe(error.message)
    expect(written.stack).toBe(error.stack)
    expect(written.problems).toBe(error.problems)
    expect(error.next).toEqual(['storybook env setup', 'storybook env show'])
  })

  it('returns the error itself when nothing changes', () => {
    const error = new StorybookError('CONFLICT', 'Already running', {next: ['storybook stop']})
    expect(mapNextSteps(error, (step) => step)).toBe(error)
  })
})
