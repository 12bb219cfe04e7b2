// POST /api/client-metrics: the studio's batches of client-side metrics (sent with navigator.sendBeacon,
// so no session header: it is open to anyone, validated strictly and rate-limited per address).
import {Type} from '@sinclair/typebox'
import type {FastifyPluginAsyncTypebox} from '@fastify/type-provider-typebox'
import {INTERACTIONS, VITALS, type ClientEvent} from '../client-metrics.js'
import type {ServerContext} from '../context.js'
import {errorResponses, Text} from '../schemas/common.js'

/** A page sends a batch every few seconds at most; this leaves room for many tabs behind one address. */
const BATCHES_PER_WINDOW = 120
const MAX_EVENTS_PER_BATCH = 50

const ClientEventSchema = Type.Union([
  Type.Object(
    {type: Type.Literal('error'), message: Text({maxLength: 500}), page: Text({maxLength: 200})},
    {additionalProperties: false},
  ),
  Type.Object(
    {
      type: Type.Literal('rejected-request'),
      status: Type.Integer({minimum: 400, maximum: 599}),
      path: Text({maxLength: 200}),
    },
    {additionalProperties: false},
  ),
  Type.Object(
    {
      type: Type.Literal('vital'),
      name: Type.Union(VITALS.map((name) => Type.Literal(name))),
      value: Type.Number({minimum: 0, maximum: 600_000}),
    },
    {additionalProperties: false},
  ),
  Type.Object(
    {
      type: Type.Literal('interaction'),
      name: Type.Union(INTERACTIONS.map((name) => Type.Literal(name))),
      ok: Type.Boolean(),
    },
    {additionalProperties: false},
  ),
])

export function clientMetricsRoutes(context: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/client-metrics',
      {
        config: {rateLimit: {max: BATCHES_PER_WINDOW, timeWindow: context.config.rateLimit.windowMs}},
        logLevel: 'warn',
        schema: {
          tags: ['operations'],
          summary: "Report the studio's client-side metrics (errors, refused requests, web vitals, interactions)",
          body: Type.Object(
            {events: Type.Array(ClientEventSchema, {minItems: 1, maxItems: MAX_EVENTS_PER_BATCH})},
            {additionalProperties: false},
          ),
          response: {204: Type.Null({description: 'Recorded'}), ...errorResponses},
        },
      },
      async (request, reply) => {
        context.observability.client.record(request.body.events as ClientEvent[], Date.now())
        return reply.status(204).send(null)
      },
    )
  }
}
