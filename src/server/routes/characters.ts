// Characters over HTTP: CRUD, a portrait drawn from the traits, and a preview for the creation
// wizard. The rules are in services/characters.ts.
import {Type} from '@sinclair/typebox'
import type {FastifyReply, FastifyRequest} from 'fastify'
import type {FastifyPluginAsyncTypebox, TypeBoxTypeProvider} from '@fastify/type-provider-typebox'
import {TRAIT_CATALOG, type Traits} from '../catalog.js'
import type {ServerContext} from '../context.js'
import {authenticate, currentUser} from '../plugins/auth.js'
import {
  defaultsOptional,
  errorResponses,
  fileResponse,
  IdParams,
  IMAGE_TYPES,
  pageOf,
  Pagination,
  Text,
} from '../schemas/common.js'
import {CharacterBody, CharacterPatch, characterDto, TraitsBody} from '../schemas/resources.js'
import {checkTraits, type CharactersService} from '../services/characters.js'

/**
 * The schema refuses what the catalog does not allow, but Ajv names one problem in its own words:
 * before it, every problem of the traits is named in the catalog's (the JSON types are checked already).
 */
function traitsFirst(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  const traits = (request.body as {traits?: unknown} | null | undefined)?.traits
  try {
    if (typeof traits === 'object' && traits !== null && !Array.isArray(traits)) checkTraits(traits as Traits)
    done()
  } catch (error) {
    done(error as Error)
  }
}

const TraitCatalog = Type.Object({
  categories: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      kind: Type.Union([Type.Literal('one'), Type.Literal('many')]),
      max: Type.Optional(Type.Integer()),
      required: Type.Boolean(),
      options: Type.Array(Type.Object({id: Type.String(), label: Type.String()})),
    }),
  ),
})

/** The creation wizard's preview: a name (may be empty) and the traits chosen so far. */
const PreviewBody = defaultsOptional(
  Type.Object({name: Text({maxLength: 60, default: ''}), traits: TraitsBody}, {additionalProperties: false}),
)

/** The scope these routes join: it authenticates first and validates with TypeBox. */
type Routes = Parameters<FastifyPluginAsyncTypebox>[0]

export function characterRoutes(context: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const service = app.characters
    app.get(
      '/api/catalog/traits',
      {schema: {tags: ['characters'], response: {200: TraitCatalog, ...errorResponses}}},
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=3600')
        return {categories: [...TRAIT_CATALOG]}
      },
    )

    app.register(async (scope) => {
      // onRequest: before the body is parsed or validated, so an anonymous client gets 401, never a 400.
      scope.addHook('onRequest', authenticate(context))
      const authed = scope.withTypeProvider<TypeBoxTypeProvider>()
      characterCollectionRoutes(authed, service)
      characterItemRoutes(authed, service)
    })
  }
}

/** List and create characters, and preview the portrait of one not yet created. */
function characterCollectionRoutes(authed: Routes, service: CharactersService): void {
  authed.get(
    '/api/characters',
    {
      schema: {
        tags: ['characters'],
        querystring: Pagination,
        response: {
          200: Type.Object({items: Type.Array(Type.Ref('Character')), total: Type.Integer()}),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const result = await service.list(currentUser(request).id, {...pageOf(request.query), query: request.query.q})
      return {items: result.items.map(characterDto), total: result.total}
    },
  )

  authed.post(
    '/api/characters',
    {
      preValidation: traitsFirst,
      schema: {
        tags: ['characters'],
        body: CharacterBody,
        response: {201: Type.Ref('Character'), ...errorResponses},
      },
    },
    async (request, reply) => {
      const character = await service.create(currentUser(request).id, request.body)
      return reply.status(201).send(characterDto(character))
    },
  )

  authed.post(
    '/api/characters/preview',
    {
      preValidation: traitsFirst,
      schema: {
        tags: ['characters'],
        body: PreviewBody,
        response: {200: fileResponse('The portrait the traits would give', IMAGE_TYPES), ...errorResponses},
      },
    },
    async (request, reply) => {
      const image = await service.preview(request.body)
      return reply
        .type(image.mimeType)
        .send(image.mimeType.startsWith('image/svg') ? image.content : Buffer.from(image.content, 'base64'))
    },
  )
}

/** Read, draw, update and delete one character. */
function characterItemRoutes(authed: Routes, service: CharactersService): void {
  authed.get(
    '/api/characters/:id',
    {schema: {tags: ['characters'], params: IdParams, response: {200: Type.Ref('Character'), ...errorResponses}}},
    async (request) => {
      return characterDto(await service.get(currentUser(request).id, request.params.id))
    },
  )

  authed.get(
    '/api/characters/:id/portrait.svg',
    {
      schema: {
        tags: ['characters'],
        params: IdParams,
        response: {200: fileResponse("The character's portrait", ['image/svg+xml']), ...errorResponses},
      },
    },
    async (request, reply) => {
      const svg = await service.portrait(currentUser(request).id, request.params.id)
      return reply.type('image/svg+xml').header('cache-control', 'private, max-age=60').send(svg)
    },
  )

  authed.patch(
    '/api/characters/:id',
    {
      preValidation: traitsFirst,
      schema: {
        tags: ['characters'],
        params: IdParams,
        body: CharacterPatch,
        response: {200: Type.Ref('Character'), ...errorResponses},
      },
    },
    async (request) => {
      return characterDto(await service.update(currentUser(request).id, request.params.id, request.body))
    },
  )

  authed.delete(
    '/api/characters/:id',
    {schema: {tags: ['characters'], params: IdParams, response: {204: Type.Null(), ...errorResponses}}},
    async (request, reply) => {
      await service.remove(currentUser(request).id, request.params.id)
      return reply.status(204).send(null)
    },
  )
}
