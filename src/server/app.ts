// buildApp: the Fastify application from its options, with every plugin and route. It never
// listens: src/server/main.ts does that, and tests call app.inject.
import Fastify, {type FastifyInstance, type FastifyReply, type FastifyServerOptions} from 'fastify'
import swagger from '@fastify/swagger'
import type {TypeBoxTypeProvider} from '@fastify/type-provider-typebox'
import {StorybookError, toErrorDocument} from '../core/errors.js'
import type {ServerContext} from './context.js'
import {registerErrorHandling} from './plugins/errors.js'
import {serializeRequest} from './plugins/log-redaction.js'
import {guardQueryNumbers} from './plugins/finite-numbers.js'
import {guardBodyTypes} from './plugins/strict-body-types.js'
import {ignoreUnknownQueryParameters, UNKNOWN_QUERY_RULE} from './plugins/query-parameters.js'
import {registerRequestMetrics} from './plugins/observability.js'
import {registerCors} from './plugins/cors.js'
import {registerRateLimit} from './plugins/rate-limit.js'
import serverResources from './plugins/server-resources.js'
import {registerSecurityHeaders} from './plugins/security-headers.js'
import {registerApiDocs} from './plugins/api-docs.js'
import {authRoutes} from './routes/auth.js'
import {characterRoutes} from './routes/characters.js'
import {clientMetricsRoutes} from './routes/client-metrics.js'
import {operationsRoutes} from './routes/operations.js'
import {storyRoutes} from './routes/stories.js'
import {ErrorEnvelope} from './schemas/common.js'
import {SHARED_SCHEMAS} from './schemas/resources.js'

export const BODY_LIMIT_BYTES = 256 * 1024
const PUBLIC_API_ROUTES = new Set([
  '/api/auth/register',
  '/api/auth/login',
  '/api/catalog/traits',
  '/api/client-metrics',
])

export interface BuildAppOptions {
  context: ServerContext
  /** Fastify's logger option: false in most tests; a pino instance from main.ts. */
  logger?: FastifyServerOptions['loggerInstance'] | false
}

export async function buildApp({context, logger = false}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Request lines carry the URL: secrets in its query are redacted (a child keeps the caller's logger as it is).
    ...(logger ? {loggerInstance: logger.child({}, {serializers: {req: serializeRequest}})} : {logger: false}),
    bodyLimit: BODY_LIMIT_BYTES,
    // Request ids in logs, but never trust a client-sent one.
    requestIdHeader: false,
    ajv: {customOptions: {removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false}},
    routerOptions: {maxParamLength: 200},
    // Shutdown is drained by src/server/connection-drain.ts: requests that arrived before the
    // signal are served, not refused with 503 or cut off with their idle-looking connection.
    forceCloseConnections: false,
    return503OnClosing: false,
    clientErrorHandler: (_error, socket) => {
      const body = JSON.stringify(
        toErrorDocument(new StorybookError('VALIDATION_FAILED', 'The HTTP request is malformed.'), false),
      )
      const head = [
        'HTTP/1.1 400 Bad Request',
        'content-type: application/json',
        `content-length: ${Buffer.byteLength(body)}`,
        'connection: close',
      ]
      if (socket.writable) socket.end(`${head.join('\r\n')}\r\n\r\n${body}`)
    },
    // Errors the router raises before any route runs (a bad or too long URL) get the envelope too.
    frameworkErrors: (error, _request, reply) => {
      const problem = new StorybookError(
        'VALIDATION_FAILED',
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'The URL is too long.' : 'The URL is malformed.',
      )
      void (reply as FastifyReply).status(problem.httpStatus).send(toErrorDocument(problem, false))
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorateRequest('user', null)
  // An empty JSON body (a DELETE or logout sent with content-type: application/json) is no body.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', {parseAs: 'string'}, (request, body, done) =>
    (body as string).length === 0 ? done(null, undefined) : parseJson(request, body as string, done),
  )
  app.addSchema(ErrorEnvelope)
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  registerErrorHandling(app)
  registerRequestMetrics(app, context.observability)

  registerSecurityHeaders(app)
  registerCors(app, {
    origins: [`http://127.0.0.1:${context.config.web.port}`, `http://localhost:${context.config.web.port}`],
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    exposedHeaders: ['location', 'content-disposition'],
  })
  registerRateLimit(app, {max: context.config.rateLimit.max, timeWindow: context.config.rateLimit.windowMs})
  await app.register(swagger, {
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
    openapi: {
      info: {
        title: 'Storybook API',
        version: '1.0.0',
        description: `Characters, stories, illustrations and print-ready PDFs. ${UNKNOWN_QUERY_RULE}`,
      },
      components: {securitySchemes: {bearer: {type: 'http', scheme: 'bearer'}}},
    },
  })

  app.addHook('onRoute', guardQueryNumbers)
  app.addHook('onRoute', guardBodyTypes)
  app.addHook('onRoute', ignoreUnknownQueryParameters)
  // Document which operations need the bearer token (every /api route but the public ones).
  app.addHook('onRoute', (route) => {
    if (
      route.url.startsWith('/api/') &&
      !PUBLIC_API_ROUTES.has(route.url) &&
      !route.url.startsWith('/api/monitoring/')
    ) {
      route.schema = {...route.schema, security: [{bearer: []}]}
    }
  })
  // The services the routes call, and the end of every resource of the context when the app closes.
  await app.register(serverResources, {context})
  await app.register(operationsRoutes(context))
  await app.register(authRoutes(context))
  await app.register(characterRoutes(context))
  await app.register(storyRoutes(context))
  await app.register(clientMetricsRoutes(context))

  app.get('/openapi.json', {schema: {hide: true}}, async () => app.swagger())
  await registerApiDocs(app)

  await app.ready()
  return app
}
