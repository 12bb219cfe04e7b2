import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'
import {formatLogLine, logLevelOf, parseLogLine} from '../../../../src/core/output/log-line.js'

const plain = new Chalk({level: 0})
const colour = new Chalk({level: 1})
// Local times, so that the expectations hold in any time zone.
const NOW = new Date(2025, 5, 14, 18, 0, 0, 0)
const TODAY = new Date(2025, 5, 14, 9, 5, 7, 42).getTime()
const EARLIER = new Date(2025, 5, 12, 23, 59, 58, 3).getTime()
const ESC = String.fromCodePoint(27)

const line = (record: Record<string, unknown>) => JSON.stringify({pid: 42, hostname: 'vm', time: TODAY, ...record})
const format = (text: string, options: {verbose?: boolean} = {}) =>
  formatLogLine(text, {style: plain, now: NOW, ...options})

describe('formatLogLine', () => {
  it('shows the local time, the level and the message of a pino line, without pid and hostname', () => {
    // Given an info line from today
    const text = line({level: 30, name: 'api', msg: 'server listening'})
    // When it is formatted without colour
    // Then it reads as time, level, message
    expect(format(text)).toBe('09:05:07.042 INFO  server listening')
  })

  it('names every pino level, padded to one width', () => {
    const labels = [10, 20, 30, 40, 50, 60].map((level) => format(line({level, msg: 'm'})).slice(13, 19))
    expect(labels).toEqual(['TRACE ', 'DEBUG ', 'INFO  ', 'WARN  ', 'ERROR ', 'FATAL '])
  })

  it('accepts levels written as labels and shows an unknown number as it is', () => {
    expect(format(line({level: 'warn', msg: 'm'}))).toBe('09:05:07.042 WARN  m')
    expect(format(line({level: 35, msg: 'm'}))).toBe('09:05:07.042 L35   m')
  })

  it('adds the date to a line that is not from today', () => {
    expect(format(line({level: 30, time: EARLIER, msg: 'old'}))).toBe('2025-06-12 23:59:58.003 INFO  old')
  })

  it('accepts an ISO time string', () => {
    const iso = new Date(TODAY).toISOString()
    expect(format(line({level: 30, time: iso, msg: 'iso'}))).toBe('09:05:07.042 INFO  iso')
  })

  it('shows method and URL of an incoming request, and its id', () => {
    const text = line({
      level: 30,
      reqId: 'req-1',
      req: {method: 'GET', url: '/api/stories?page=2', host: '127.0.0.1:8000', remoteAddress: '127.0.0.1'},
      msg: 'incoming request',
    })
    expect(format(text)).toBe('09:05:07.042 INFO  incoming request GET /api/stories?page=2 req-1')
  })

  it('shows status code and response time of a completed request', () => {
    const text = line({level: 30, reqId: 'req-1', res: {statusCode: 201}, responseTime: 3.9505939, msg: 'done'})
    expect(format(text)).toBe('09:05:07.042 INFO  done 201 3.95 ms req-1')
  })

  it("shows an error's message after the line's message, and its stack only when verbose", () => {
    const stack = 'TypeError: no pages\n    at render (file:///app/pdf.js:3:9)\n    at next (file:///app/x.js:1:1)'
    const text = line({level: 50, err: {type: 'TypeError', message: 'no pages', stack}, msg: 'export failed'})
    expect(format(text)).toBe('09:05:07.042 ERROR export failed: TypeError: no pages')
    expect(format(text, {verbose: true})).toBe(
      [
        '09:05:07.042 ERROR export failed: TypeError: no pages',
        '    TypeError: no pages',
        '        at render (file:///app/pdf.js:3:9)',
        '        at next (file:///app/x.js:1:1)',
      ].join('\n'),
    )
  })

  it('does not repeat an error message that pino already used as the line message', () => {
    const text = line({level: 50, err: {type: 'Error', message: 'boom', stack: 'Error: boom\n    at x'}, msg: 'boom'})
    expect(format(text)).toBe('09:05:07.042 ERROR boom')
  })

  it('shows a failed request with its method, URL, status and error together', () => {
    const text = line({
      level: 50,
      reqId: 'req-2',
      req: {method: 'POST', url: '/api/login'},
      res: {statusCode: 500},
      err: {type: 'Error', message: 'database is locked'},
      msg: 'database is locked',
    })
    expect(format(text)).toBe('09:05:07.042 ERROR database is locked POST /api/login 500 req-2')
  })

  it('shows other fields as key=value, objects as JSON', () => {
    const text = line({level: 40, swept: 2, signal: 'SIGTERM', reason: 'two words', nested: {a: 1}, msg: 'swept'})
    expect(format(text)).toBe('09:05:07.042 WARN  swept swept=2 signal=SIGTERM reason="two words" nested={"a":1}')
  })

  it('shows lines that are not JSON exactly as they are', () => {
    for (const text of [
      '[supervisor] api exited (code 1, signal null)',
      '    at Object.<anonymous> (/srv/app/main.js:10:5)',
      '',
      '  indented text',
    ]) {
      expect(format(text)).toBe(text)
      expect(formatLogLine(text, {style: colour, now: NOW})).toBe(text)
    }
  })

  it('shows a malformed JSON line, and JSON that is not a log record, as it is', () => {
    for (const text of ['{"level":30,"msg":"cut off', '{"just":"data"}', '{not json}', '[1,2]']) {
      expect(format(text)).toBe(text)
    }
  })

  it('colours the level, dims the time, and colours the status by class', () => {
    const error = formatLogLine(line({level: 50, res: {statusCode: 503}, msg: 'down'}), {style: colour, now: NOW})
    expect(error).toContain(colour.red('ERROR'))
    expect(error).toContain(colour.dim('09:05:07.042'))
    expect(error).toContain(colour.red('503'))
    const ok = formatLogLine(line({level: 30, res: {statusCode: 200}, msg: 'done'}), {style: colour, now: NOW})
    expect(ok).toContain(colour.green('INFO'))
    expect(ok).toContain(colour.green('200'))
  })

  it('writes no escape codes when colour is off', () => {
    const text = line({level: 60, reqId: 'r', req: {method: 'GET', url: '/'}, res: {statusCode: 404}, x: 1, msg: 'm'})
    expect(format(text)).not.toContain(ESC)
    expect(formatLogLine(text, {style: colour, now: NOW})).toContain(ESC)
  })
})

describe('parseLogLine and logLevelOf', () => {
  it('parses JSON objects and nothing else', () => {
    expect(parseLogLine('{"level":30,"msg":"x"}')).toEqual({level: 30, msg: 'x'})
    expect(parseLogLine('  {"a":1}')).toEqual({a: 1})
    expect(parseLogLine('{"level":30,')).toBeUndefined()
    expect(parseLogLine('[supervisor] exited')).toBeUndefined()
    expect(parseLogLine('[1]')).toBeUndefined()
  })

  it('reads numeric and label levels; anything else counts as info', () => {
    expect(logLevelOf('{"level":50,"msg":"x"}')).toBe(50)
    expect(logLevelOf('{"msg":"x","level":"warn"}')).toBe(40)
    expect(logLevelOf('[supervisor] giving up')).toBe(30)
    expect(logLevelOf('{"level":30,')).toBe(30)
  })
})
