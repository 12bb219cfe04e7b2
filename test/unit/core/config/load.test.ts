import {describe, expect, it} from 'vitest'
import {
  configProblems,
  resolveVariables,
  toAppConfig,
  type EnvironmentReport,
} from '../../../../src/core/config/load.js'
import {parseEnvDocument} from '../../../../src/core/config/env-file.js'
import {ConfigInvalidError} from '../../../../src/core/errors.js'

const ROOT = '/project'
const SECRET = 'x'.repeat(40)

function report(env: Record<string, string>, file: Record<string, string> = {}): EnvironmentReport {
  return {
    root: ROOT,
    envFile: `${ROOT}/.env`,
    envFileExists: true,
    envDocument: parseEnvDocument(''),
    envFileWarnings: [],
    ...resolveVariables({env, fileValues: file, root: ROOT, envFile: `${ROOT}/.env`}),
  }
}

const variable = (r: EnvironmentReport, key: string) => r.variables.find((v) => v.spec.key === key)

describe('resolveVariables', () => {
  it('takes the environment over .env over the default, and says where each came from', () => {
    const r = report({API_PORT: '9000'}, {API_PORT: '8100', WEB_PORT: '3100'})
    expect(variable(r, 'API_PORT')).toMatchObject({raw: '9000', source: 'environment', parsed: 9000})
    expect(variable(r, 'WEB_PORT')).toMatchObject({raw: '3100', source: '.env', parsed: 3100})
    expect(variable(r, 'DASHBOARD_PORT')).toMatchObject({raw: '8001', source: 'default', parsed: 8001})
  })

  it('treats an empty value as unset', () => {
    const r = report({API_PORT: ''}, {API_PORT: '8100'})
    expect(variable(r, 'API_PORT')).toMatchObject({raw: '8100', source: '.env'})
  })

  it('puts the default SQLite file inside the state directory, wherever it is', () => {
    const r = report({STORYBOOK_STATE_DIR: 'elsewhere/state'})
    expect(r.stateDir).toBe('/project/elsewhere/state')
    expect(variable(r, 'DATABASE_URL')?.raw).toBe('sqlite:/project/elsewhere/state/data/storybook.db')
  })

  it('requires IMAGE_API_URL only when IMAGE_PROVIDER is http', () => {
    expect(variable(report({}), 'IMAGE_API_URL')?.valid).toBe(true)
    const http = report({IMAGE_PROVIDER: 'http'})
    expect(variable(http, 'IMAGE_API_URL')).toMatchObject({valid: false, source: 'missing'})
    expect(variable(report({IMAGE_PROVIDER: 'http', IMAGE_API_URL: 'ftp://x'}), 'IMAGE_API_URL')?.valid).toBe(false)
    expect(
      variable(report({IMAGE_PROVIDER: 'http', IMAGE_API_URL: 'https://img.test/v1'}), 'IMAGE_API_URL')?.valid,
    ).toBe(true)
  })

  it.each([
    ['API_PORT', '0'],
    ['API_PORT', '65536'],
    ['API_PORT', '80a'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'postgres://'],
    ['SESSION_SECRET', 'short'],
    ['RATE_LIMIT_MAX', '0'],
    ['RATE_LIMIT_MAX', '1.5'],
    ['SHUTDOWN_GRACE_MS', '-1'],
    ['API_HOST', 'not a host!'],
  ])('rejects %s=%s with its rule', (key, value) => {
    const v = variable(report({[key]: value}), key)
    expect(v?.valid).toBe(false)
    expect(v?.error).toBe(v?.spec.rule)
  })
})

describe('toAppConfig', () => {
  it('returns typed settings for a valid environment', () => {
    const config = toAppConfig(report({SESSION_SECRET: SECRET, DATABASE_URL: 'sqlite:data/x.db'}))
    expect(config.api).toEqual({host: '127.0.0.1', port: 8000})
    expect(config.database).toEqual({dialect: 'sqlite', url: 'sqlite:data/x.db', file: '/project/data/x.db'})
    expect(config.state.log).toBe('/project/var/log')
    expect(config.rateLimit).toEqual({max: 300, authMax: 10, windowMs: 60_000})
  })

  it('recognises PostgreSQL URLs', () => {
    const url = 'postgres://u:p@127.0.0.1:5432/db'
    expect(toAppConfig(report({SESSION_SECRET: SECRET, DATABASE_URL: url})).database).toEqual({
      dialect: 'postgres',
      url,
    })
  })

  it('lists every problem at once, with rule and source, and never a value', () => {
    const r = report({API_PORT: '70000'}, {SESSION_SECRET: 'tiny-secret-value', LOG_LEVEL: 'loud'})
    expect(() => toAppConfig(r)).toThrow(ConfigInvalidError)
    try {
      toAppConfig(r)
    } catch (error) {
      const message = (error as Error).message
      expect(message).toContain('3 problems')
      expect(message).toContain('API_PORT: invalid (from environment)')
      expect(message).toContain('LOG_LEVEL: invalid (from .env)')
      expect(message).toContain('SESSION_SECRET: invalid (from .env); must be at least 32 characters')
      expect(message).not.toContain('tiny-secret-value')
      expect(message).not.toContain('70000')
    }
    // In schema order, so the message reads the same every time
    expect(configProblems(r).map((problem) => problem.key)).toEqual(['LOG_LEVEL', 'API_PORT', 'SESSION_SECRET'])
  })
})
