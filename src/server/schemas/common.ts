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

const errorResponse = (description: string) => Type.Ref('ErrorEnvelope', {description})

/** Every error status a route can answer, for its response schema, each with what it means. */
export const errorResponses = {
  400: errorResponse('VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which)'),
  401: errorResponse('UNAUTHORIZED: no valid session token, or a wrong e-mail or password'),
  404: errorResponse('NOT_FOUND: no such resource for this user'),
  405: errorResponse('METHOD_NOT_ALLOWED: the allow header lists the methods of this path'),
  409: errorResponse('CONFLICT: the resource is not in a state that allows this'),
  413: errorResponse('PAYLOAD_TOO_LARGE: the body is over 256 kB'),
  415: errorResponse('UNSUPPORTED_MEDIA_TYPE: send the body as application/json'),
  429: errorResponse('RATE_LIMITED: too many requests; retry-after says when to try again'),
  500: errorResponse('INTERNAL: a bug; the server log has the details'),
  502: errorResponse('EXTERNAL_FAILED: a text or image provider failed'),
  503: errorResponse('DATABASE_UNAVAILABLE: the database cannot be reached'),
  504: errorResponse('TIMEOUT: the work (a PDF, a provider call) did not finish in time'),
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
