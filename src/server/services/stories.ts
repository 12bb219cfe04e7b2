// The rules of stories and their pages: target ages that run forwards, at most 100 pages, one
// illustration job per story, and the PDF export. Routes parse and answer; the SQL is in the
// repositories (plain functions taking the db first, so the db handed in here is theirs).
import type {Kysely} from 'kysely'
import {NotFoundError, StorybookError} from '../../core/errors.js'
import type {Database, GenerationJob, Illustration, Page, StoryStatus} from '../../core/db/types.js'
import type {Traits} from '../catalog.js'
import type {JobRunner} from '../generation/jobs.js'
import {PAGE_ILLUSTRATION_SIZE} from '../generation/jobs.js'
import type {CharacterSketch, IllustrationProvider, StoryTextProvider} from '../generation/types.js'
import type {PdfRenderer} from '../pdf-renderer.js'
import type {ReadCache} from '../read-cache.js'
import {getCharacters} from '../repositories/characters.js'
import {
  activeJobForStory,
  createJob,
  getIllustration,
  getIllustrations,
  getJob,
  saveIllustration,
} from '../repositories/media.js'
import * as stories from '../repositories/stories.js'
import type {StoryInput, StoryWithCharacters} from '../repositories/stories.js'
import {cutText} from '../text-cut.js'

/** A story has at most this many pages (the PDF and the reorder body are sized for it). */
export const MAX_PAGES = 100

export interface StoriesServiceOptions {
  /** The database the repositories work on. */
  db: Kysely<Database>
  storyText: StoryTextProvider
  /** Page pictures: the configured provider (built-in or remote). */
  illustrations: IllustrationProvider
  /** PDF covers: drawn offline, so that a download never costs (or waits for) a remote image call. */
  coverIllustrations: IllustrationProvider
  jobs: Pick<JobRunner, 'exclusive' | 'start'>
  pdf: Pick<PdfRenderer, 'render'>
  cache: ReadCache
  clock: () => Date
  /** Seeds of regenerated pages: a new one each time, since regenerating asks for a different picture. */
  random?: () => number
}

/** A story with its pages in order: what a reader of one story gets. */
export interface StoryDetail {
  story: StoryWithCharacters
  pages: Page[]
}

export interface NewStory extends StoryInput {
  /** Write this many pages with the story-text generator (0: start empty). */
  generatePages: number
}

export interface IllustrationJob {
  job: GenerationJob
  /** False when the story already had a job queued or running: that one is returned. */
  created: boolean
}

export interface StoryPdf {
  pdf: Buffer
  fileNames: {ascii: string; unicode: string}
}

/** Drops every cached read of a story (for every reader). */
export function invalidateStory(cache: ReadCache, storyId: string): void {
  cache.invalidate(storyCachePrefix(storyId))
}

const storyCachePrefix = (storyId: string) => `story:${storyId}:`

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

/** A range such as `7-3` is refused with the order it should have. */
export function checkTargetAge(targetAge: string | undefined): void {
  const [from, to] = (targetAge ?? '').split('-').map(Number)
  if (from !== undefined && to !== undefined && from > to) {
    throw new StorybookError('VALIDATION_FAILED', `targetAge ${targetAge} runs backwards; write it as ${to}-${from}.`)
  }
}

export class StoriesService {
  private readonly random: () => number

  constructor(private readonly options: StoriesServiceOptions) {
    this.random = options.random ?? Math.random
  }

  async list(
    userId: string,
    filter: {limit: number; offset: number; query?: string | undefined; status?: StoryStatus | undefined},
  ): Promise<{items: StoryWithCharacters[]; total: number}> {
    return stories.listStories(this.options.db, userId, filter)
  }

  async create(userId: string, {generatePages, ...input}: NewStory): Promise<StoryDetail> {
    checkTargetAge(input.targetAge)
    await this.requireOwnCharacters(userId, input.characterIds)
    const pages =
      generatePages > 0
        ? await this.options.storyText.generate({
            title: input.title,
            theme: input.theme,
            targetAge: input.targetAge,
            characters: await this.sketches(userId, input.characterIds),
            pageCount: generatePages,
            seed: `${input.title}:${input.theme}`,
          })
        : []
    const story = await stories.createStory(this.options.db, userId, input, pages, this.options.clock())
    return this.detail(userId, story.id)
  }

  /** The story with its pages, from the cache when nothing was written since. */
  async detail(userId: string, id: string): Promise<StoryDetail> {
    return this.options.cache.getOrLoad(`${storyCachePrefix(id)}${userId}`, async (): Promise<StoryDetail> => {
      const story = await this.requireStory(userId, id)
      return {story, pages: await stories.listPages(this.options.db, id)}
    })
  }

  async update(userId: string, id: string, changes: Partial<StoryInput>): Promise<StoryDetail> {
    checkTargetAge(changes.targetAge)
    if (changes.characterIds) await this.requireOwnCharacters(userId, changes.characterIds)
    const story = await stories.updateStory(this.options.db, userId, id, changes, this.options.clock())
    if (!story) throw new NotFoundError('No such story.')
    this.changed(story.id)
    return this.detail(userId, story.id)
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await stories.deleteStory(this.options.db, userId, id))) throw new NotFoundError('No such story.')
    this.changed(id)
  }

  async addPage(userId: string, storyId: string, page: {text: string; position?: number | undefined}): Promise<Page> {
    const story = await this.requireStory(userId, storyId)
    if (story.pageCount >= MAX_PAGES) throw new StorybookError('CONFLICT', `A story has at most ${MAX_PAGES} pages.`)
    const added = await stories.addPage(this.options.db, story.id, page.text, page.position, this.options.clock())
    this.changed(story.id)
    return added
  }

  async editPage(userId: string, storyId: string, pageId: string, text: string): Promise<Page> {
    const story = await this.requireStory(userId, storyId)
    const page = await stories.updatePage(this.options.db, story.id, pageId, {text}, this.options.clock())
    if (!page) throw new NotFoundError('No such page.')
    this.changed(story.id)
    return page
  }

  async removePage(userId: string, storyId: string, pageId: string): Promise<void> {
    const story = await this.requireStory(userId, storyId)
    if (!(await stories.deletePage(this.options.db, story.id, pageId, this.options.clock())))
      throw new NotFoundError('No such page.')
    this.changed(story.id)
  }

  async reorderPages(userId: string, storyId: string, pageIds: string[]): Promise<Page[]> {
    const story = await this.requireStory(userId, storyId)
    const pages = await stories.reorderPages(this.options.db, story.id, pageIds, this.options.clock())
    if (pages === 'mismatch') {
      throw new StorybookError('VALIDATION_FAILED', "pageIds must list each of the story's pages exactly once.", {
        details: {expected: story.pageCount},
      })
    }
    this.changed(story.id)
    return pages
  }

  /** A new picture for one page, drawn now (not as a job). */
  async regeneratePage(userId: string, storyId: string, pageId: string): Promise<Page> {
    const {db, clock} = this.options
    const story = await this.requireStory(userId, storyId)
    const page = await stories.getPage(db, story.id, pageId)
    if (!page) throw new NotFoundError('No such page.')
    const image = await this.options.illustrations.generate({
      kind: 'page',
      characters: await this.sketches(userId, story.characterIds),
      text: page.text,
      seed: `${page.id}:${clock().toISOString()}:${this.random()}`,
      ...PAGE_ILLUSTRATION_SIZE,
    })
    const illustration = await saveIllustration(db, {userId, storyId: story.id}, image, clock())
    const updated = await stories.updatePage(db, story.id, page.id, {illustrationId: illustration.id}, clock())
    this.changed(story.id)
    return updated ?? page
  }

  /** Starts the job that illustrates every page, or returns the one already under way. */
  async illustrateAll(userId: string, storyId: string): Promise<IllustrationJob> {
    const {db, clock, jobs} = this.options
    const story = await this.requireStory(userId, storyId)
    if (story.pageCount === 0)
      throw new StorybookError('CONFLICT', 'The story has no pages to illustrate yet.', {
        next: [`POST /api/stories/${story.id}/pages`],
      })
    // One job per story: a second request (even a simultaneous one) gets the running job.
    const result = await jobs.exclusive(story.id, async (): Promise<IllustrationJob> => {
      const active = await activeJobForStory(db, story.id)
      if (active) return {job: active, created: false}
      const job = await createJob(
        db,
        {userId, storyId: story.id, kind: 'story-illustrations', total: story.pageCount},
        clock(),
      )
      await stories.updateStory(db, userId, story.id, {status: 'generating'}, clock())
      return {job, created: true}
    })
    if (result.created) {
      this.changed(story.id)
      void jobs.start({id: result.job.id, userId, storyId: story.id, characterIds: story.characterIds})
    }
    return result
  }

  async job(userId: string, id: string): Promise<GenerationJob> {
    const job = await getJob(this.options.db, userId, id)
    if (!job) throw new NotFoundError('No such job.')
    return job
  }

  async illustration(userId: string, id: string): Promise<Illustration> {
    const illustration = await getIllustration(this.options.db, userId, id)
    if (!illustration) throw new NotFoundError('No such illustration.')
    return illustration
  }

  /** The print-ready PDF: a cover from the offline drawer, then every page with its picture. */
  async exportPdf(userId: string, storyId: string): Promise<StoryPdf> {
    const {db} = this.options
    const story = await this.requireStory(userId, storyId)
    const pages = await stories.listPages(db, story.id)
    // One query for every picture, not one per page.
    const pictures = await getIllustrations(
      db,
      userId,
      pages.flatMap((page) => page.illustration_id ?? []),
    )
    const pdf = await this.options.pdf.render({
      title: story.title,
      byline: `A story for ages ${story.target_age}${story.theme ? ` about ${story.theme}` : ''}`,
      cover: await this.options.coverIllustrations.generate({
        kind: 'page',
        characters: await this.sketches(userId, story.characterIds),
        text: story.title,
        seed: story.id,
        ...PAGE_ILLUSTRATION_SIZE,
      }),
      pages: pages.map((page) => {
        const picture = page.illustration_id ? pictures.get(page.illustration_id) : undefined
        return {text: page.text, illustration: picture && {mimeType: picture.mime_type, content: picture.content}}
      }),
    })
    return {pdf, fileNames: downloadFileNames(story.title)}
  }

  private async requireStory(userId: string, id: string): Promise<StoryWithCharacters> {
    const story = await stories.getStory(this.options.db, userId, id)
    if (!story) throw new NotFoundError('No such story.')
    return story
  }

  private async requireOwnCharacters(userId: string, ids: string[]): Promise<void> {
    const found = await getCharacters(this.options.db, userId, ids)
    if (found.length !== ids.length) {
      // Another user's character is as unknown as a missing one.
      throw new NotFoundError('One or more characters do not exist.', {
        details: {missing: ids.filter((id) => !found.some((character) => character.id === id))},
      })
    }
  }

  private async sketches(userId: string, ids: string[]): Promise<CharacterSketch[]> {
    return (await getCharacters(this.options.db, userId, ids)).map((character) => ({
      name: character.name,
      traits: JSON.parse(character.traits) as Traits,
    }))
  }

  private changed(storyId: string): void {
    invalidateStory(this.options.cache, storyId)
  }
}
