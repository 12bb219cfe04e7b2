// One error handler: every failure leaves as {"error":{"code","message","details"}} with the
// codes the CLI uses; 5xx bodies hide internals (the log keeps them).
import type {FastifyError, FastifyInstance, FastifyRequest} from 'fastify'
import {databaseUnreachable} from '../../core/db/connection.js'
import {StorybookError, toErrorDocument, toStorybookError} from '../../core/errors.js'
import {isLocalRequest} from './local-client.js'
import {RouteMethods} from './route-methods.js'

/** The answer to a route that does not exist, or is not there for this client. */
export function routeNotFound(request: FastifyRequest): StorybookError {
  return new StorybookError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`)
}

function fromFastifyError(error: FastifyError): StorybookError {
  if (error instanceof StorybookError) return error
  if (error.validation) {
    return new StorybookError('VALIDATION_FAILED', `Invalid request: ${error.message}`, {
      details: {
        problems: error.validation.map((problem) => ({
          path: problem.instancePath || '/',
          message: problem.message ?? 'invalid',
        })),
      },
    })
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new StorybookError('PAYLOAD_TOO_LARGE', 'The request body is too large.')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new StorybookError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new StorybookError('VALIDATION_FAILED', 'The body is not valid JSON.')
    default:
      break
  }
  if (error.statusCode === 429)
    return new StorybookError('RATE_LIMITED', 'Too many requests; slow down and try again shortly.')
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new StorybookError('VALIDATION_FAILED', error.message)
  }
  return databaseUnreachable(error) ?? toStorybookError(error)
}

/** How long a client should wait before asking again while the database is away. */
const DATABASE_RETRY_AFTER_S = 5

/** The answer to a known path asked with a method it does not answer. */
export function methodNotAllowed(request: FastifyRequest, allow: string[]): StorybookError {
  const path = request.url.split('?')[0]
  return new StorybookError(
    'METHOD_NOT_ALLOWED',
    `${path} does not answer ${request.method}; it answers ${allow.join(', ')}.`,
    {
      details: {allow},
    },
  )
}

/** Call before any route is registered: the 405 answers come from the routes it sees. */
export function registerErrorHandling(app: FastifyInstance): void {
  const routeMethods = new RouteMethods()
  app.addHook('onRoute', (route) => routeMethods.add(route))
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const storybookError = fromFastifyError(error)
    const status = storybookError.httpStatus
    if (storybookError.code === 'DATABASE_UNAVAILABLE') {
      request.log.warn({err: error}, 'database unreachable')
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_S))
    } else if (status >= 500) request.log.error({err: error}, 'request failed')
    else request.log.info({code: storybookError.code}, storybookError.message)
    return reply.status(status).send(toErrorDocument(storybookError, false))
  })
  app.setNotFoundHandler((request, reply) => {
    const allow = routeMethods.allowed(request.url, {local: isLocalRequest(request)})
    if (allow.length === 0) return reply.status(404).send(toErrorDocument(routeNotFound(request), false))
    return reply
      .status(405)
      .header('allow', allow.join(', '))
      .send(toErrorDocument(methodNotAllowed(request, allow), false))
  })
}
