// Stories and their pages over HTTP: CRUD, reorder, regenerate one page, generate all illustrations as a
// background job, illustrations and the PDF export. The rules are in services/stories.ts.
import {Type} from '@sinclair/typebox'
import type {FastifyPluginAsyncTypebox, TypeBoxTypeProvider} from '@fastify/type-provider-typebox'
import type {ServerContext} from '../context.js'
import {authenticate, currentUser} from '../plugins/auth.js'
import {errorResponses, fileResponse, IdParams, IMAGE_TYPES, pageOf, Pagination, Text} from '../schemas/common.js'
import {jobDto, pageDto, StoryBody, StoryDetailDto, StoryPatch, storyDto} from '../schemas/resources.js'
import type {StoriesService, StoryDetail} from '../services/stories.js'

export {downloadFileNames} from '../services/stories.js'

const PageParams = Type.Object(
  {id: Type.String({format: 'uuid'}), pageId: Type.String({format: 'uuid'})},
  {additionalProperties: false},
)

const StoryListQuery = Type.Composite(
  [
    Pagination,
    Type.Object({
      status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('generating'), Type.Literal('ready')])),
    }),
  ],
  {additionalProperties: false},
)

const NewPageBody = Type.Object(
  {
    text: Text({maxLength: 2000}),
    position: Type.Optional(Type.Integer({minimum: 0, maximum: 1000})),
  },
  {additionalProperties: false},
)

const PageOrderBody = Type.Object(
  {pageIds: Type.Array(Type.String({format: 'uuid'}), {maxItems: 100})},
  {additionalProperties: false},
)

/** What GET, POST and PATCH of one story answer: the story and its pages. */
const storyDetailDto = ({story, pages}: StoryDetail) => ({...storyDto(story), pages: pages.map(pageDto)})

/** The scope these routes join: it authenticates first and validates with TypeBox. */
type Routes = Parameters<FastifyPluginAsyncTypebox>[0]

export function storyRoutes(context: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const service = app.stories
    app.register(async (scope) => {
      // onRequest: before the body is parsed or validated, so an anonymous client gets 401, never a 400.
      scope.addHook('onRequest', authenticate(context))
      const routes = scope.withTypeProvider<TypeBoxTypeProvider>()
      storyCollectionRoutes(routes, service)
      storyItemRoutes(routes, service)
      pageRoutes(routes, service)
      generationRoutes(routes, service)
      fileRoutes(routes, service)
    })
  }
}

/** List and create stories. */
function storyCollectionRoutes(routes: Routes, service: StoriesService): void {
  routes.get(
    '/api/stories',
    {
      schema: {
        tags: ['stories'],
        querystring: StoryListQuery,
        response: {200: Type.Object({items: Type.Array(Type.Ref('Story')), total: Type.Integer()}), ...errorResponses},
      },
    },
    async (request) => {
      const {q, status} = request.query
      const result = await service.list(currentUser(request).id, {...pageOf(request.query), query: q, status})
      return {items: result.items.map(storyDto), total: result.total}
    },
  )

  routes.post(
    '/api/stories',
    {schema: {tags: ['stories'], body: StoryBody, response: {201: StoryDetailDto, ...errorResponses}}},
    async (request, reply) => {
      const detail = await service.create(currentUser(request).id, request.body)
      return reply.status(201).send(storyDetailDto(detail))
    },
  )
}

/** Read, update and delete one story. */
function storyItemRoutes(routes: Routes, service: StoriesService): void {
  // Keyed by the cached object itself: a write replaces it, so a body can never outlive its version.
  const serializedDetails = new WeakMap<StoryDetail, string>()

  routes.get(
    '/api/stories/:id',
    {schema: {tags: ['stories'], params: IdParams, response: {200: StoryDetailDto, ...errorResponses}}},
    async (request, reply) => {
      // The hottest read: each cached version is serialized once, by this route's response schema.
      const detail = await service.detail(currentUser(request).id, request.params.id)
      let body = serializedDetails.get(detail)
      if (body === undefined) {
        body = String(reply.serialize(storyDetailDto(detail)))
        serializedDetails.set(detail, body)
      }
      return reply.type('application/json; charset=utf-8').send(body)
    },
  )

  routes.patch(
    '/api/stories/:id',
    {
      schema: {
        tags: ['stories'],
        params: IdParams,
        body: StoryPatch,
        response: {200: StoryDetailDto, ...errorResponses},
      },
    },
    async (request) => {
      return storyDetailDto(await service.update(currentUser(request).id, request.params.id, request.body))
    },
  )

  routes.delete(
    '/api/stories/:id',
    {schema: {tags: ['stories'], params: IdParams, response: {204: Type.Null(), ...errorResponses}}},
    async (request, reply) => {
      await service.remove(currentUser(request).id, request.params.id)
      return reply.status(204).send(null)
    },
  )
}

/** A story's pages: add, edit, delete, reorder. */
function pageRoutes(routes: Routes, service: StoriesService): void {
  routes.post(
    '/api/stories/:id/pages',
    {
      schema: {
        tags: ['pages'],
        params: IdParams,
        body: NewPageBody,
        response: {201: Type.Ref('Page'), ...errorResponses},
      },
    },
    async (request, reply) => {
      const page = await service.addPage(currentUser(request).id, request.params.id, request.body)
      return reply.status(201).send(pageDto(page))
    },
  )

  routes.patch(
    '/api/stories/:id/pages/:pageId',
    {
      schema: {
        tags: ['pages'],
        params: PageParams,
        body: Type.Object({text: Text({maxLength: 2000})}, {additionalProperties: false}),
        response: {200: Type.Ref('Page'), ...errorResponses},
      },
    },
    async (request) => {
      const {id, pageId} = request.params
      return pageDto(await service.editPage(currentUser(request).id, id, pageId, request.body.text))
    },
  )

  routes.delete(
    '/api/stories/:id/pages/:pageId',
    {schema: {tags: ['pages'], params: PageParams, response: {204: Type.Null(), ...errorResponses}}},
    async (request, reply) => {
      await service.removePage(currentUser(request).id, request.params.id, request.params.pageId)
      return reply.status(204).send(null)
    },
  )

  routes.put(
    '/api/stories/:id/pages/order',
    {
      schema: {
        tags: ['pages'],
        params: IdParams,
        body: PageOrderBody,
        response: {200: Type.Object({pages: Type.Array(Type.Ref('Page'))}), ...errorResponses},
      },
    },
    async (request) => {
      const pages = await service.reorderPages(currentUser(request).id, request.params.id, request.body.pageIds)
      return {pages: pages.map(pageDto)}
    },
  )
}

/** Generating text and pictures: one page's text again, every page's illustration as a background job, its progress. */
function generationRoutes(routes: Routes, service: StoriesService): void {
  routes.post(
    '/api/stories/:id/pages/:pageId/regenerate',
    {schema: {tags: ['pages'], params: PageParams, response: {200: Type.Ref('Page'), ...errorResponses}}},
    async (request) => {
      const {id, pageId} = request.params
      return pageDto(await service.regeneratePage(currentUser(request).id, id, pageId))
    },
  )

  routes.post(
    '/api/stories/:id/illustrations',
    {schema: {tags: ['generation'], params: IdParams, response: {202: Type.Ref('Job'), ...errorResponses}}},
    async (request, reply) => {
      const {job} = await service.illustrateAll(currentUser(request).id, request.params.id)
      return reply.status(202).header('location', `/api/jobs/${job.id}`).send(jobDto(job))
    },
  )

  routes.get(
    '/api/jobs/:id',
    {schema: {tags: ['generation'], params: IdParams, response: {200: Type.Ref('Job'), ...errorResponses}}},
    async (request) => {
      return jobDto(await service.job(currentUser(request).id, request.params.id))
    },
  )
}

/** Downloads: one illustration, and the whole story as a PDF. */
function fileRoutes(routes: Routes, service: StoriesService): void {
  routes.get(
    '/api/illustrations/:id',
    {
      schema: {
        tags: ['generation'],
        params: IdParams,
        response: {200: fileResponse('The illustration', IMAGE_TYPES), ...errorResponses},
      },
    },
    async (request, reply) => {
      const illustration = await service.illustration(currentUser(request).id, request.params.id)
      const body = illustration.mime_type.startsWith('image/svg')
        ? illustration.content
        : Buffer.from(illustration.content, 'base64')
      // Illustrations never change: a new picture gets a new id.
      return reply
        .type(illustration.mime_type)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .send(body)
    },
  )

  routes.get(
    '/api/stories/:id/export.pdf',
    {
      schema: {
        tags: ['stories'],
        params: IdParams,
        response: {200: fileResponse('The story as a print-ready PDF', ['application/pdf']), ...errorResponses},
      },
    },
    async (request, reply) => {
      const {pdf, fileNames} = await service.exportPdf(currentUser(request).id, request.params.id)
      const {ascii, unicode} = fileNames
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(unicode)}`,
        )
        .send(pdf)
    },
  )
}
