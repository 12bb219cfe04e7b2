// Stories and their pages: CRUD, reorder, regenerate one page, generate all illustrations as a
// background job, illustrations and the PDF export. Story reads are cached; every write drops them.
import {Type} from '@sinclair/typebox'
import type {FastifyPluginAsyncTypebox, TypeBoxTypeProvider} from '@fastify/type-provider-typebox'
import {NotFoundError, StorybookError} from '../../core/errors.js'
import type {Traits} from '../catalog.js'
import type {ServerContext} from '../context.js'
import {invalidateStory} from '../create-context.js'
import {BuiltinIllustrationProvider} from '../generation/builtin-illustrations.js'
import {PAGE_ILLUSTRATION_SIZE} from '../generation/jobs.js'
import {authenticate, currentUser} from '../plugins/auth.js'
import {getCharacters} from '../repositories/characters.js'
import {activeJobForStory, createJob, getIllustration, getJob, saveIllustration} from '../repositories/media.js'
import {
  addPage,
  createStory,
  deletePage,
  deleteStory,
  getPage,
  getStory,
  listPages,
  listStories,
  reorderPages,
  updatePage,
  updateStory,
  type StoryWithCharacters,
} from '../repositories/stories.js'
import {errorResponses, fileResponse, IdParams, IMAGE_TYPES, pageOf, Pagination} from '../schemas/common.js'
import {cutText} from '../text-cut.js'
import {jobDto, pageDto, StoryBody, StoryDetailDto, StoryPatch, storyDto} from '../schemas/resources.js'

/** The PDF's file name from its title: an ASCII fallback and the full name, each cut between characters. */
export function downloadFileNames(title: string): {ascii: string; unicode: string} {
  const ascii =
    cutText(
      title
        .replace(/[^\w -]+/g, '')
        .trim()
        .replace(/\s+/g, '-'),
      60,
    ) || 'story'
  const unicode = cutText(title.trim().replace(/\s+/g, '-'), 60) || 'story'
  return {ascii: `${ascii}.pdf`, unicode: `${unicode}.pdf`}
}

const PageParams = Type.Object(
  {id: Type.String({format: 'uuid'}), pageId: Type.String({format: 'uuid'})},
  {additionalProperties: false},
)

export function storyRoutes(context: ServerContext): FastifyPluginAsyncTypebox {
  const {db, cache} = context
  const sketches = async (userId: string, ids: string[]) =>
    (await getCharacters(db, userId, ids)).map((character) => ({
      name: character.name,
      traits: JSON.parse(character.traits) as Traits,
    }))

  const requireStory = async (userId: string, id: string): Promise<StoryWithCharacters> => {
    const story = await getStory(db, userId, id)
    if (!story) throw new NotFoundError('No such story.')
    return story
  }

  const checkTargetAge = (targetAge: string | undefined) => {
    const [from, to] = (targetAge ?? '').split('-').map(Number)
    if (from !== undefined && to !== undefined && from > to) {
      throw new StorybookError('VALIDATION_FAILED', `targetAge ${targetAge} runs backwards; write it as ${to}-${from}.`)
    }
  }

  const requireOwnCharacters = async (userId: string, ids: string[]): Promise<void> => {
    const found = await getCharacters(db, userId, ids)
    if (found.length !== ids.length) {
      // Another user's character is as unknown as a missing one.
      throw new NotFoundError('One or more characters do not exist.', {
        details: {missing: ids.filter((id) => !found.some((character) => character.id === id))},
      })
    }
  }

  /** The story with its pages, from the cache when nothing was written since. */
  type StoryDetail = ReturnType<typeof storyDto> & {pages: Array<ReturnType<typeof pageDto>>}
  const storyDetail = async (userId: string, id: string): Promise<StoryDetail> => {
    const key = `story:${id}:${userId}`
    const cached = cache.get<StoryDetail>(key)
    if (cached) return cached
    const story = await requireStory(userId, id)
    const detail: StoryDetail = {...storyDto(story), pages: (await listPages(db, id)).map(pageDto)}
    cache.set(key, detail)
    return detail
  }

  const changed = (storyId: string) => invalidateStory(cache, storyId)

  return async (app) => {
    app.register(async (scope) => {
      // onRequest: before the body is parsed or validated, so an anonymous client gets 401, never a 400.
      scope.addHook('onRequest', authenticate(context))
      const routes = scope.withTypeProvider<TypeBoxTypeProvider>()

      routes.get(
        '/api/stories',
        {
          schema: {
            tags: ['stories'],
            querystring: Type.Composite(
              [
                Pagination,
                Type.Object({
                  status: Type.Optional(
                    Type.Union([Type.Literal('draft'), Type.Literal('generating'), Type.Literal('ready')]),
                  ),
                }),
              ],
              {additionalProperties: false},
            ),
            response: {
              200: Type.Object({items: Type.Array(Type.Ref('Story')), total: Type.Integer()}),
              ...errorResponses,
            },
          },
        },
        async (request) => {
          const {q, status} = request.query
          const result = await listStories(db, currentUser(request).id, {...pageOf(request.query), query: q, status})
          return {items: result.items.map(storyDto), total: result.total}
        },
      )

      routes.post(
        '/api/stories',
        {schema: {tags: ['stories'], body: StoryBody, response: {201: StoryDetailDto, ...errorResponses}}},
        async (request, reply) => {
          const user = currentUser(request)
          const {generatePages, ...input} = request.body
          checkTargetAge(input.targetAge)
          await requireOwnCharacters(user.id, input.characterIds)
          const pages =
            generatePages > 0
              ? await context.storyText.generate({
                  title: input.title,
                  theme: input.theme,
                  targetAge: input.targetAge,
                  characters: await sketches(user.id, input.characterIds),
                  pageCount: generatePages,
                  seed: `${input.title}:${input.theme}`,
                })
              : []
          const story = await createStory(db, user.id, input, pages, context.clock())
          return reply.status(201).send(await storyDetail(user.id, story.id))
        },
      )

      routes.get(
        '/api/stories/:id',
        {schema: {tags: ['stories'], params: IdParams, response: {200: StoryDetailDto, ...errorResponses}}},
        async (request, reply) => {
          // The hottest read: the cache keeps the body serialized and encoded, which is sent as it is.
          const userId = currentUser(request).id
          const key = `story-json:${request.params.id}:${userId}`
          let body = cache.get<Buffer>(key)
          if (!body) {
            body = Buffer.from(JSON.stringify(await storyDetail(userId, request.params.id)))
            cache.set(key, body)
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
          const user = currentUser(request)
          checkTargetAge(request.body.targetAge)
          if (request.body.characterIds) await requireOwnCharacters(user.id, request.body.characterIds)
          const story = await updateStory(db, user.id, request.params.id, request.body, context.clock())
          if (!story) throw new NotFoundError('No such story.')
          changed(story.id)
          return storyDetail(user.id, story.id)
        },
      )

      routes.delete(
        '/api/stories/:id',
        {schema: {tags: ['stories'], params: IdParams, response: {204: Type.Null(), ...errorResponses}}},
        async (request, reply) => {
          if (!(await deleteStory(db, currentUser(request).id, request.params.id)))
            throw new NotFoundError('No such story.')
          changed(request.params.id)
          return reply.status(204).send(null)
        },
      )

      routes.post(
        '/api/stories/:id/pages',
        {
          schema: {
            tags: ['pages'],
            params: IdParams,
            body: Type.Object(
              {
                text: Type.String({maxLength: 2000}),
                position: Type.Optional(Type.Integer({minimum: 0, maximum: 1000})),
              },
              {additionalProperties: false},
            ),
            response: {201: Type.Ref('Page'), ...errorResponses},
          },
        },
        async (request, reply) => {
          const story = await requireStory(currentUser(request).id, request.params.id)
          if (story.pageCount >= 100) throw new StorybookError('CONFLICT', 'A story has at most 100 pages.')
          const page = await addPage(db, story.id, request.body.text, request.body.position, context.clock())
          changed(story.id)
          return reply.status(201).send(pageDto(page))
        },
      )

      routes.patch(
        '/api/stories/:id/pages/:pageId',
        {
          schema: {
            tags: ['pages'],
            params: PageParams,
            body: Type.Object({text: Type.String({maxLength: 2000})}, {additionalProperties: false}),
            response: {200: Type.Ref('Page'), ...errorResponses},
          },
        },
        async (request) => {
          const story = await requireStory(currentUser(request).id, request.params.id)
          const page = await updatePage(db, story.id, request.params.pageId, {text: request.body.text}, context.clock())
          if (!page) throw new NotFoundError('No such page.')
          changed(story.id)
          return pageDto(page)
        },
      )

      routes.delete(
        '/api/stories/:id/pages/:pageId',
        {schema: {tags: ['pages'], params: PageParams, response: {204: Type.Null(), ...errorResponses}}},
        async (request, reply) => {
          const story = await requireStory(currentUser(request).id, request.params.id)
          if (!(await deletePage(db, story.id, request.params.pageId, context.clock())))
            throw new NotFoundError('No such page.')
          changed(story.id)
          return reply.status(204).send(null)
        },
      )

      routes.put(
        '/api/stories/:id/pages/order',
        {
          schema: {
            tags: ['pages'],
            params: IdParams,
            body: Type.Object(
              {pageIds: Type.Array(Type.String({format: 'uuid'}), {maxItems: 100})},
              {additionalProperties: false},
            ),
            response: {200: Type.Object({pages: Type.Array(Type.Ref('Page'))}), ...errorResponses},
          },
        },
        async (request) => {
          const story = await requireStory(currentUser(request).id, request.params.id)
          const pages = await reorderPages(db, story.id, request.body.pageIds, context.clock())
          if (pages === 'mismatch') {
            throw new StorybookError('VALIDATION_FAILED', "pageIds must list each of the story's pages exactly once.", {
              details: {expected: story.pageCount},
            })
          }
          changed(story.id)
          return {pages: pages.map(pageDto)}
        },
      )

      routes.post(
        '/api/stories/:id/pages/:pageId/regenerate',
        {schema: {tags: ['pages'], params: PageParams, response: {200: Type.Ref('Page'), ...errorResponses}}},
        async (request) => {
          const user = currentUser(request)
          const story = await requireStory(user.id, request.params.id)
          const page = await getPage(db, story.id, request.params.pageId)
          if (!page) throw new NotFoundError('No such page.')
          const image = await context.illustrations.generate({
            kind: 'page',
            characters: await sketches(user.id, story.characterIds),
            text: page.text,
            // A new seed each time: regenerating is asking for a different picture.
            seed: `${page.id}:${context.clock().toISOString()}:${Math.random()}`,
            ...PAGE_ILLUSTRATION_SIZE,
          })
          const illustration = await saveIllustration(db, {userId: user.id, storyId: story.id}, image, context.clock())
          const updated = await updatePage(db, story.id, page.id, {illustrationId: illustration.id}, context.clock())
          changed(story.id)
          return pageDto(updated ?? page)
        },
      )

      routes.post(
        '/api/stories/:id/illustrations',
        {schema: {tags: ['generation'], params: IdParams, response: {202: Type.Ref('Job'), ...errorResponses}}},
        async (request, reply) => {
          const user = currentUser(request)
          const story = await requireStory(user.id, request.params.id)
          if (story.pageCount === 0)
            throw new StorybookError('CONFLICT', 'The story has no pages to illustrate yet.', {
              next: [`POST /api/stories/${story.id}/pages`],
            })
          // One job per story: a second request (even a simultaneous one) gets the running job.
          const {job, created} = await context.jobs.exclusive(story.id, async () => {
            const active = await activeJobForStory(db, story.id)
            if (active) return {job: active, created: false}
            const fresh = await createJob(
              db,
              {userId: user.id, storyId: story.id, kind: 'story-illustrations', total: story.pageCount},
              context.clock(),
            )
            await updateStory(db, user.id, story.id, {status: 'generating'}, context.clock())
            return {job: fresh, created: true}
          })
          if (created) {
            changed(story.id)
            void context.jobs.start({id: job.id, userId: user.id, storyId: story.id, characterIds: story.characterIds})
          }
          return reply.status(202).header('location', `/api/jobs/${job.id}`).send(jobDto(job))
        },
      )

      routes.get(
        '/api/jobs/:id',
        {schema: {tags: ['generation'], params: IdParams, response: {200: Type.Ref('Job'), ...errorResponses}}},
        async (request) => {
          const job = await getJob(db, currentUser(request).id, request.params.id)
          if (!job) throw new NotFoundError('No such job.')
          return jobDto(job)
        },
      )

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
          const illustration = await getIllustration(db, currentUser(request).id, request.params.id)
          if (!illustration) throw new NotFoundError('No such illustration.')
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
          const user = currentUser(request)
          const story = await requireStory(user.id, request.params.id)
          const pages = await listPages(db, story.id)
          const illustrations = new Map<string, {mimeType: string; content: string}>()
          for (const page of pages) {
            if (!page.illustration_id) continue
            const illustration = await getIllustration(db, user.id, page.illustration_id)
            if (illustration)
              illustrations.set(page.id, {mimeType: illustration.mime_type, content: illustration.content})
          }
          const pdf = await context.pdf.render({
            title: story.title,
            byline: `A story for ages ${story.target_age}${story.theme ? ` about ${story.theme}` : ''}`,
            // The cover is drawn offline: a download must not cost (or wait for) a remote image call.
            cover: await new BuiltinIllustrationProvider().generate({
              kind: 'page',
              characters: await sketches(user.id, story.characterIds),
              text: story.title,
              seed: story.id,
              ...PAGE_ILLUSTRATION_SIZE,
            }),
            pages: pages.map((page) => ({text: page.text, illustration: illustrations.get(page.id)})),
          })
          const {ascii, unicode} = downloadFileNames(story.title)
          return reply
            .type('application/pdf')
            .header(
              'content-disposition',
              `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(unicode)}`,
            )
            .send(pdf)
        },
      )
    })
  }
}
