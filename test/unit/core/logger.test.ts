import {Writable} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {createLogger} from '../../../src/core/logger.js'

function memoryStream() {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>)
      callback()
    },
  })
  return {lines, stream}
}

describe('createLogger', () => {
  it('writes JSON lines at or above the level and redacts secrets', async () => {
    const {lines, stream} = memoryStream()
    const logger = await createLogger({name: 'test', level: 'info', target: {kind: 'stream', stream}})
    logger.debug('hidden')
    logger.info({user: {password: 'hunter2'}, token: 'abc', req: {headers: {authorization: 'Bearer x'}}}, 'login')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({name: 'test', msg: 'login', token: '[redacted]', user: {password: '[redacted]'}})
    expect(JSON.stringify(lines)).not.toContain('hunter2')
    expect(JSON.stringify(lines)).not.toContain('Bearer x')
  })

  it('redacts nested secrets and masks passwords inside URLs', async () => {
    const {lines, stream} = memoryStream()
    const logger = await createLogger({name: 'test', level: 'info', target: {kind: 'stream', stream}})
    logger.info(
      {config: {image: {apiKey: 'sk-1'}, database: {url: 'postgres://u:hunter2@db/x'}}, SESSION_SECRET: 's3cret'},
      'config',
    )
    const text = JSON.stringify(lines)
    expect(text).not.toContain('sk-1')
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('s3cret')
    expect(text).toContain('postgres://u:********@db/x')
  })
})

describe('createLogger to a file', () => {
  it('creates the folder and appends JSON lines', async () => {
    const {mkdtemp, readFile, rm} = await import('node:fs/promises')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'storybook-log-'))
    try {
      const path = join(dir, 'log', 'api.log')
      const logger = await createLogger({name: 'api', level: 'info', target: {kind: 'file', path}})
      logger.info({apiKey: 'sk-secret'}, 'first')
      logger.warn('second')
      await new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())))
      const lines = (await readFile(path, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as {msg: string; apiKey?: string})
      expect(lines.map((line) => line.msg)).toEqual(['first', 'second'])
      expect(lines[0]?.apiKey).toBe('[redacted]')
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
