// What went wrong with a request, in words a user can act on. Every screen shows these.

export type ApiProblem =
  'api-down' | 'session-expired' | 'unauthorized' | 'invalid' | 'not-found' | 'conflict' | 'rate-limited' | 'server'

export const API_DOWN_MESSAGE =
  'The API is not answering, so nothing was saved yet. ' +
  'Check that it is running (npx storybook status), then try again: what you typed is kept.'
export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Log in again to carry on: what you typed is kept.'

export class ApiError extends Error {
  constructor(
    readonly problem: ApiProblem,
    message: string,
    readonly status = 0,
    readonly code?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

interface ErrorEnvelope {
  error: {code: string; message: string; next?: string[]}
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  const error = (body as {error?: unknown} | null)?.error as {message?: unknown} | undefined
  return typeof error?.message === 'string'
}

const BY_STATUS: Record<number, ApiProblem> = {400: 'invalid', 404: 'not-found', 409: 'conflict', 429: 'rate-limited'}

/**
 * An error response as an ApiError. A 5xx without the API's JSON envelope came from a proxy that
 * could not reach the API (Vite's dev proxy answers 500, a gateway 502-504): that is "API down".
 * A 401 on a request that carried a session token means the session ended.
 */
export function problemFromResponse(status: number, body: unknown, hadToken: boolean): ApiError {
  const envelope = isEnvelope(body) ? body.error : undefined
  if (status === 401) {
    return hadToken
      ? new ApiError('session-expired', SESSION_EXPIRED_MESSAGE, status, envelope?.code)
      : new ApiError('unauthorized', envelope?.message ?? 'The email or the password is wrong.', status, envelope?.code)
  }
  // The studio's own server (NODE_ENV=production) says the API is down with a 502 EXTERNAL_FAILED envelope.
  const apiUnreachable = !envelope || (status === 502 && envelope.code === 'EXTERNAL_FAILED')
  if (status >= 500 && apiUnreachable) return new ApiError('api-down', API_DOWN_MESSAGE, status)
  if (status === 429) {
    return new ApiError('rate-limited', 'Too many requests in a short time: wait a minute, then try again.', status)
  }
  const problem = BY_STATUS[status] ?? 'server'
  return new ApiError(problem, envelope?.message ?? `The API answered ${status}.`, status, envelope?.code)
}

/** fetch() itself failed: no connection, refused, or reset. */
export function problemFromNetworkError(): ApiError {
  return new ApiError('api-down', API_DOWN_MESSAGE)
}

/** A message for anything a request threw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}
