import {describe, expect, it} from 'vitest'
import {
  BugError,
  ConfigInvalidError,
  ERROR_CODES,
  NotFoundError,
  PortInUseError,
  StorybookError,
  toErrorDocument,
  toStorybookError,
} from '../../../src/core/errors.js'

describe('error codes', () => {
  it('map to documented exit codes and HTTP statuses', () => {
    expect(new ConfigInvalidError([], '.env').exitCode).toBe(3)
    expect(new NotFoundError('x').httpStatus).toBe(404)
    expect(new PortInUseError(8000, {pid: 42, command: 'node server.js'}).message).toBe(
      'Port 8000 is already in use by PID 42 (node server.js).',
    )
    for (const {exitCode} of Object.values(ERROR_CODES)) expect(exitCode).toBeGreaterThan(0)
  })

  it('turns unknown throwables into INTERNAL errors that keep the cause', () => {
    const cause = new TypeError('boom')
    const error = toStorybookError(cause)
    expect(error).toBeInstanceOf(BugError)
    expect(error.code).toBe('INTERNAL')
    expect(error.cause).toBe(cause)
    expect(toStorybookError('text').message).toBe('text')
  })
})

describe('toErrorDocument', () => {
  it('carries code, message, reason, next steps and details', () => {
    const error = new StorybookError('CONFLICT', 'Already running', {
      reason: 'PID 7',
      next: ['storybook stop'],
      details: {pid: 7},
    })
    expect(toErrorDocument(error)).toEqual({
      error: {
        code: 'CONFLICT',
        message: 'Already running',
        reason: 'PID 7',
        next: ['storybook stop'],
        details: {pid: 7},
      },
    })
  })

  it('hides the internals of 5xx errors when asked (API bodies)', () => {
    const document = toErrorDocument(new BugError('db password is hunter2', {details: {sql: 'select'}}), false)
    expect(document).toEqual({error: {code: 'INTERNAL', message: ERROR_CODES.INTERNAL.summary, details: {}}})
  })
})
