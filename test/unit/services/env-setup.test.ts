import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'dotenv'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {loadEnvironment} from '../../../src/core/config/load.js'
import {parseAssignments, setupEnvironment, type Prompter, type ValueQuestion} from '../../../src/services/env-setup.js'

/** A prompter that answers from a script and records what it was asked. */
function scriptedPrompter(answers: Record<string, string | undefined>): Prompter & {asked: ValueQuestion[]} {
  const asked: ValueQuestion[] = []
  const answer = async (question: ValueQuestion) => {
    asked.push(question)
    const value = answers[question.spec.key]
    if (value !== undefined && question.validate(value) !== true)
      throw new Error(`scripted answer for ${question.spec.key} is invalid`)
    return value
  }
  return {asked, askValue: async (question) => (await answer(question)) ?? '', askSecret: answer}
}

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'storybook-envsetup-'))
  await writeFile(join(root, 'package.json'), '{"name":"storybook-toolkit"}')
})
afterEach(async () => {
  await rm(root, {recursive: true, force: true})
})

const load = () => loadEnvironment({env: {STORYBOOK_ROOT: root}, cwd: root, allowMissingEnvFile: true})

describe('setupEnvironment with a person answering', () => {
  it('asks only for the missing secret and invalid values, and generates a secret on an empty answer', async () => {
    await writeFile(join(root, '.env'), 'API_PORT=nope\n')
    const prompter = scriptedPrompter({API_PORT: '8500', SESSION_SECRET: undefined})
    const result = await setupEnvironment({report: await load(), assignments: [], prompter})
    expect(prompter.asked.slice(0, 2).map((question) => [question.spec.key, question.replacingInvalid])).toEqual([
      ['API_PORT', true],
      ['SESSION_SECRET', false],
    ])
    // then only the other secrets it can generate (each answered empty: generated)
    expect(prompter.asked.slice(2).every((question) => question.spec.generate && !question.replacingInvalid)).toBe(true)
    const text = await readFile(join(root, '.env'), 'utf8')
    const values = parse(text)
    expect(values.API_PORT).toBe('8500')
    expect(text).toMatch(/^# API_PORT=nope\nAPI_PORT=8500$/m) // the answer replaces it; the old line stays as a comment
    expect(values.SESSION_SECRET?.length).toBeGreaterThanOrEqual(32)
    expect(result.changes).toContainEqual({key: 'SESSION_SECRET', action: 'generated'})
    expect(result.changes).toContainEqual({key: 'API_PORT', action: 'replaced-invalid'})
  })

  it('writes a typed secret as given', async () => {
    const secret = 's'.repeat(33)
    await setupEnvironment({
      report: await load(),
      assignments: [],
      prompter: scriptedPrompter({SESSION_SECRET: secret}),
    })
    expect(parse(await readFile(join(root, '.env'), 'utf8')).SESSION_SECRET).toBe(secret)
  })

  it('writes nothing when the person gives up half way', async () => {
    const prompter: Prompter = {
      askValue: () => Promise.reject(Object.assign(new Error('cancelled'), {name: 'ExitPromptError'})),
      askSecret: () => Promise.reject(Object.assign(new Error('cancelled'), {name: 'ExitPromptError'})),
    }
    await expect(setupEnvironment({report: await load(), assignments: [], prompter})).rejects.toThrow('cancelled')
    await expect(stat(join(root, '.env'))).rejects.toThrow()
  })
})

describe('setupEnvironment without questions', () => {
  it('asks IMAGE_API_URL to be set when IMAGE_PROVIDER=http and leaves it unset', async () => {
    const result = await setupEnvironment({
      report: await load(),
      assignments: ['IMAGE_PROVIDER=http'],
      prompter: undefined,
    })
    expect(result.warnings).toEqual([
      'IMAGE_API_URL is required (must be an http(s) URL; required when IMAGE_PROVIDER=http); set it with: storybook env setup --set IMAGE_API_URL=…',
    ])
  })
})

describe('parseAssignments', () => {
  it('accepts values that contain =', () => {
    expect(parseAssignments(['DATABASE_URL=postgres://u:p@h/db?a=b'])).toEqual(
      new Map([['DATABASE_URL', 'postgres://u:p@h/db?a=b']]),
    )
  })

  it('reports every problem together and never a secret value', () => {
    expect(() => parseAssignments(['NOEQUALS', 'STORYBOOK_ROOT=/x', 'SESSION_SECRET=hush', 'WEB_PORT=0'])).toThrowError(
      /4 problems:\n {2}"NOEQUALS" is not KEY=VALUE\n {2}STORYBOOK_ROOT is read from the process environment only.*\n {2}SESSION_SECRET must be at least 32 characters\n {2}WEB_PORT must be a whole number from 1 to 65535 \(got "0"\)/,
    )
  })
})
