// JSON bodies are taken with the types the document gives them. Ajv coerces types for the query
// string (where everything arrives as text), and its one option applies to bodies too: it turned
// `targetAge: 0` into "0" and `generatePages: null` into 0. Each route with a body schema checks the
// JSON types here first; Ajv then checks everything else.
import type {FastifyReply, FastifyRequest, RouteOptions} from 'fastify'
import {StorybookError} from '../../core/errors.js'

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  patternProperties?: Record<string, JsonSchema>
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function hasType(type: string, value: unknown): boolean {
  const actual = typeOf(value)
  if (type === 'integer') return actual === 'number' && Number.isInteger(value)
  return actual === type
}

/** The first place where `value` has a JSON type that `schema` does not allow, as a JSON pointer. */
export function jsonTypeProblem(
  schema: JsonSchema,
  value: unknown,
  path = '',
): {path: string; message: string} | undefined {
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives && alternatives.every((branch) => jsonTypeProblem(branch, value, path) !== undefined)) {
    return {path: path || '/', message: 'must match one of the allowed types'}
  }
  for (const part of schema.allOf ?? []) {
    const problem = jsonTypeProblem(part, value, path)
    if (problem) return problem
  }
  if (schema.type !== undefined) {
    const types = [schema.type].flat()
    if (!types.some((type) => hasType(type, value)))
      return {path: path || '/', message: `must be ${types.join(' or ')}`}
  }
  if (Array.isArray(value)) {
    if (!schema.items) return undefined
    for (const [index, item] of value.entries()) {
      const problem = jsonTypeProblem(schema.items, item, `${path}/${index}`)
      if (problem) return problem
    }
  } else if (typeOf(value) === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const property =
        schema.properties?.[key] ??
        Object.entries(schema.patternProperties ?? {}).find(([pattern]) => new RegExp(pattern, 'u').test(key))?.[1] ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined)
      const problem = property ? jsonTypeProblem(property, item, `${path}/${key}`) : undefined
      if (problem) return problem
    }
  }
  return undefined
}

/** For an onRoute hook: routes with a body schema refuse a body of the wrong JSON types, before Ajv coerces it. */
export function guardBodyTypes(route: RouteOptions): void {
  const schema = route.schema?.body as JsonSchema | undefined
  if (!schema) return
  const check = (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    const problem = request.body === undefined ? undefined : jsonTypeProblem(schema, request.body)
    if (!problem) return done()
    done(
      new StorybookError(
        'VALIDATION_FAILED',
        `Invalid request: body${problem.path === '/' ? '' : problem.path} ${problem.message}`,
        {
          details: {problems: [problem]},
        },
      ),
    )
  }
  route.preValidation = [check, ...(route.preValidation === undefined ? [] : [route.preValidation].flat())]
}
