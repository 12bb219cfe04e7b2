// Schemas shared by the routes: the error envelope, ids, pagination.
import {Type, type Static, type TObject} from '@sinclair/typebox'

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

/**
 * A 200 that is a file, not JSON, for the document: Fastify sends the Buffer or string as it is,
 * and @fastify/swagger writes the media types.
 */
export function fileResponse(description: string, mediaTypes: readonly string[]) {
  const schema = {type: 'string', format: 'binary'} as const
  return Type.Unsafe<Buffer | string>({
    description,
    content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, {schema}])),
  })
}

/** What an illustration may be: the built-in drawer's SVG, or an image provider's PNG. */
export const IMAGE_TYPES = ['image/svg+xml', 'image/png'] as const

export const IdParams = Type.Object({id: Type.String({format: 'uuid'})}, {additionalProperties: false})
export type IdParams = Static<typeof IdParams>

/**
 * Free text. PostgreSQL cannot store U+0000 in text (an insert of it failed with a 500), so no text
 * may hold it, on either database: the document is one for both.
 */
export const Text = (options: {maxLength: number; default?: string}) =>
  Type.String({...options, pattern: '^[^\\u0000]*$'})

const DEFAULT_LIMIT = 20

// Optional with a default: Ajv fills them in, and the document does not call them required.
export const Pagination = Type.Object(
  {
    limit: Type.Optional(Type.Integer({minimum: 1, maximum: 100, default: DEFAULT_LIMIT})),
    offset: Type.Optional(Type.Integer({minimum: 0, maximum: 1_000_000, default: 0})),
    q: Type.Optional(Text({maxLength: 100})),
  },
  {additionalProperties: false},
)

/** The page a list route answers, with the schema's defaults (which Ajv has filled in already). */
export function pageOf(query: {limit?: number | undefined; offset?: number | undefined}): {
  limit: number
  offset: number
} {
  return {limit: query.limit ?? DEFAULT_LIMIT, offset: query.offset ?? 0}
}

/** Text with something in it besides white space (and no U+0000, as Text). */
export const NonEmptyText = (maxLength: number) =>
  Type.String({minLength: 1, maxLength, pattern: '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$'})

/**
 * A body whose fields with a default may be left out, as the document then says: Ajv fills them in
 * (useDefaults) before the handler runs, so the handler's type keeps them, but TypeBox would list
 * them as required.
 */
export function defaultsOptional<T extends TObject>(schema: T): T {
  const required = (schema.required ?? []).filter((name) => !('default' in (schema.properties[name] ?? {})))
  const copy: T = {...schema, required}
  if (required.length === 0) delete copy.required
  return copy
}
