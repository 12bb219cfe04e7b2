import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ensureGitignored, gitignorePatterns, isIgnoredBy} from '../../../src/core/project/gitignore.js'
import {closestMatch} from '../../../src/core/text/closest.js'

describe('isIgnoredBy', () => {
  it.each([
    ['.env', '.env', true],
    ['/.env', '.env', true],
    ['.env*', '.env.local', true],
    ['*.env', 'prod.env', true],
    ['var/', 'var/run/api.json', true],
    ['.env.*', '.env', false],
    ['node_modules/', '.env', false],
  ])('pattern %s covers %s: %s', (pattern, path, expected) => {
    expect(isIgnoredBy([pattern], path)).toBe(expected)
  })

  it('skips comments and blanks, and lets a later negation win', () => {
    expect(gitignorePatterns('# c\n\n!keep\n.env\n')).toEqual(['!keep', '.env'])
    expect(isIgnoredBy(['.env*', '!.env'], '.env')).toBe(false)
    expect(isIgnoredBy(['!.env', '.env*'], '.env')).toBe(true)
  })
})

describe('ensureGitignored', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'storybook-gitignore-'))
  })
  afterEach(async () => {
    await rm(root, {recursive: true, force: true})
  })

  it('creates .gitignore, appends once, and keeps a file without a final newline intact', async () => {
    expect(await ensureGitignored(root, join(root, '.env'))).toEqual({path: join(root, '.gitignore'), added: '/.env'})
    expect(await ensureGitignored(root, join(root, '.env'))).toEqual({path: join(root, '.gitignore'), added: null})
    await writeFile(join(root, '.gitignore'), 'dist')
    await ensureGitignored(root, join(root, '.env'))
    expect(await readFile(join(root, '.gitignore'), 'utf8')).toBe('dist\n/.env\n')
  })

  it('leaves files outside the project alone', async () => {
    expect(await ensureGitignored(root, '/elsewhere/.env')).toBeNull()
  })
})

describe('closestMatch', () => {
  it('suggests near misses only', () => {
    expect(closestMatch('env:shwo', ['env:show', 'env:setup'])).toBe('env:show')
    expect(closestMatch('API_PROT', ['API_PORT', 'WEB_PORT'])).toBe('API_PORT')
    expect(closestMatch('completely-different', ['env:show'])).toBeUndefined()
  })
})
