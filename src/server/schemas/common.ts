// Schemas shared by the routes: the error envelope, ids, pagination.
import {Type, type Static} from '@sinclair/typebox'

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      reason: Type.Optional(Type.String()),
      next: Type.Optional(Type.Array(Type.String())),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  {$id: 'ErrorEnvelope'},
)

/** Every error status a route can answer, for its response schema. */
export const errorResponses = {
  400: Type.Ref('ErrorEnvelope'),
  401: Type.Ref('ErrorEnvelope'),
  404: Type.Ref('ErrorEnvelope'),
  405: Type.Ref('ErrorEnvelope'),
  409: Type.Ref('ErrorEnvelope'),
  413: Type.Ref('ErrorEnvelope'),
  429: Type.Ref('ErrorEnvelope'),
  500: Type.Ref('ErrorEnvelope'),
  502: Type.Ref('ErrorEnvelope'),
  503: Type.Ref('ErrorEnvelope'),
}

export const IdParams = Type.Object({id: Type.String({format: 'uuid'})}, {additionalProperties: false})
export type IdParams = Static<typeof IdParams>

export const Pagination = Type.Object(
  {
    limit: Type.Integer({minimum: 1, maximum: 100, default: 20}),
    offset: Type.Integer({minimum: 0, maximum: 1_000_000, default: 0}),
    q: Type.Optional(Type.String({maxLength: 100})),
  },
  {additionalProperties: false},
)

export const NonEmptyText = (maxLength: number) => Type.String({minLength: 1, maxLength, pattern: '\\S'})
