// Query parameters a route does not list are ignored, as most public APIs do: a cache-buster
// (`?_=123`), a tracking tag or a parameter of a newer client changes nothing. The query schemas
// keep `additionalProperties: false`, so what reaches a handler is only what its schema lists; the
// OpenAPI document has no way to say "no others" and says this rule in its description instead.
import type {FastifyReply, FastifyRequest, RouteOptions} from 'fastify'

export const UNKNOWN_QUERY_RULE = 'Query parameters that an operation does not list are ignored.'

/** For an onRoute hook: a route with a query schema drops the parameters the schema does not list, before Ajv. */
export function ignoreUnknownQueryParameters(route: RouteOptions): void {
  const properties = (route.schema?.querystring as {properties?: Record<string, unknown>} | undefined)?.properties
  if (!properties) return
  const known = new Set(Object.keys(properties))
  const drop = (request: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
    const query = request.query as Record<string, unknown> | undefined
    for (const name of Object.keys(query ?? {})) if (!known.has(name)) delete query?.[name]
    done()
  }
  route.preValidation = [drop, ...(route.preValidation === undefined ? [] : [route.preValidation].flat())]
}
