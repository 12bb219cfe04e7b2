// Ajv coerces a query string's "Infinity" or "1e309" to Infinity and then skips minimum and
// maximum, which only look at finite numbers: `?limit=Infinity` passed the schema and reached
// SQLite. Every route with a query schema checks its coerced values once more here.
import type {FastifyReply, FastifyRequest, RouteOptions} from 'fastify'
import {StorybookError} from '../../core/errors.js'

function refuseNonFiniteQuery(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  const query = request.query as Record<string, unknown> | undefined
  const problems = Object.entries(query ?? {})
    .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
    .map(([name]) => ({path: `/${name}`, message: 'must be a finite number'}))
  if (problems.length === 0) return done()
  done(
    new StorybookError(
      'VALIDATION_FAILED',
      `Invalid request: querystring${problems[0]?.path} must be a finite number`,
      {
        details: {problems},
      },
    ),
  )
}

/** For an onRoute hook: routes with a query schema refuse non-finite numbers before their handlers. */
export function guardQueryNumbers(route: RouteOptions): void {
  if (!route.schema?.querystring) return
  const handlers = route.preHandler === undefined ? [] : [route.preHandler].flat()
  route.preHandler = [refuseNonFiniteQuery, ...handlers]
}
