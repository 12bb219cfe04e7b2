// CORS for the web app's origin only. Our own few lines instead of @fastify/cors, which resolved
// its options on every request (a tenth of a cached story read's time in npm run bench); a request
// without an Origin header, which is most of them, costs nothing here.
import type {FastifyInstance} from 'fastify'

export interface CorsOptions {
  origins: readonly string[]
  methods: readonly string[]
  exposedHeaders: readonly string[]
  /** How long a browser may keep a preflight answer, in seconds. */
  maxAgeSeconds?: number
}

export function registerCors(app: FastifyInstance, options: CorsOptions): void {
  const allowed = new Set(options.origins)
  const methods = options.methods.join(', ')
  const exposed = options.exposedHeaders.join(', ')
  const maxAge = String(options.maxAgeSeconds ?? 600)

  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin
    if (origin !== undefined && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin)
      if (exposed) reply.header('access-control-expose-headers', exposed)
    }
    done()
  })

  // Preflights of every path: allowed origins get the methods and headers; others get no grant.
  app.options('*', {schema: {hide: true}, config: {rateLimit: false}}, async (request, reply) => {
    const origin = request.headers.origin
    if (origin !== undefined && allowed.has(origin) && request.headers['access-control-request-method']) {
      const requested = request.headers['access-control-request-headers']
      reply.headers({
        'access-control-allow-methods': methods,
        'access-control-allow-headers': typeof requested === 'string' ? requested : 'authorization, content-type',
        'access-control-max-age': maxAge,
        // The answer echoes the requested headers, so a cache must key it on them too.
        vary: 'Origin, Access-Control-Request-Headers',
      })
    }
    return reply.status(204).send()
  })
}
