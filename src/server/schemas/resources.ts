// Response and body schemas of the resources, and the mappers from rows to what the API returns.
import {Type, type Static} from '@sinclair/typebox'
import type {Character, GenerationJob, Page, User} from '../../core/db/types.js'
import type {Traits} from '../catalog.js'
import type {StoryWithCharacters} from '../repositories/stories.js'
import {defaultsOptional, NonEmptyText, Text} from './common.js'
import {TraitsSchema} from './traits.js'

/** An age (`5`) or a range (`3-5`); the order of a range is checked by the route. */
const TARGET_AGE = '^\\d{1,2}(-\\d{1,2})?$'

export const UserDto = Type.Object(
  {id: Type.String(), email: Type.String(), displayName: Type.String(), createdAt: Type.String()},
  {$id: 'User'},
)
export const SessionDto = Type.Object({user: Type.Ref('User'), token: Type.String(), expiresAt: Type.String()})

/** Traits as the catalog allows them, in requests and responses alike (every stored character was checked). */
export const TraitsBody = TraitsSchema

export const CharacterBody = defaultsOptional(
  Type.Object(
    {name: NonEmptyText(60), description: Text({maxLength: 1000, default: ''}), traits: TraitsBody},
    {additionalProperties: false},
  ),
)
// Patches list their fields without defaults: a default would overwrite what the client did not send.
export const CharacterPatch = Type.Object(
  {
    name: Type.Optional(NonEmptyText(60)),
    description: Type.Optional(Text({maxLength: 1000})),
    traits: Type.Optional(TraitsBody),
  },
  {additionalProperties: false, minProperties: 1},
)
export const CharacterDto = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    traits: TraitsBody,
    portraitUrl: Type.String(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  {$id: 'Character'},
)

export const StoryBody = defaultsOptional(
  Type.Object(
    {
      title: NonEmptyText(120),
      theme: Text({maxLength: 200, default: ''}),
      targetAge: Type.String({pattern: TARGET_AGE, default: '3-5'}),
      characterIds: Type.Array(Type.String({format: 'uuid'}), {maxItems: 6, uniqueItems: true, default: []}),
      /** Write this many pages with the story-text generator (0: start empty). */
      generatePages: Type.Integer({minimum: 0, maximum: 24, default: 0}),
    },
    {additionalProperties: false},
  ),
)
export const StoryPatch = Type.Object(
  {
    title: Type.Optional(NonEmptyText(120)),
    theme: Type.Optional(Text({maxLength: 200})),
    targetAge: Type.Optional(Type.String({pattern: TARGET_AGE})),
    characterIds: Type.Optional(Type.Array(Type.String({format: 'uuid'}), {maxItems: 6, uniqueItems: true})),
  },
  {additionalProperties: false, minProperties: 1},
)
export const PageDto = Type.Object(
  {
    id: Type.String(),
    position: Type.Integer(),
    text: Type.String(),
    illustrationId: Type.Union([Type.String(), Type.Null()]),
    illustrationUrl: Type.Union([Type.String(), Type.Null()]),
    updatedAt: Type.String(),
  },
  {$id: 'Page'},
)
export const StoryDto = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    theme: Type.String(),
    targetAge: Type.String(),
    status: Type.String(),
    characterIds: Type.Array(Type.String()),
    pageCount: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  {$id: 'Story'},
)
export const StoryDetailDto = Type.Intersect([Type.Ref('Story'), Type.Object({pages: Type.Array(Type.Ref('Page'))})])
export const JobDto = Type.Object(
  {
    id: Type.String(),
    storyId: Type.String(),
    kind: Type.String(),
    status: Type.String(),
    progress: Type.Object({done: Type.Integer(), total: Type.Integer()}),
    error: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
  },
  {$id: 'Job'},
)

export const userDto = (user: User): Static<typeof UserDto> => ({
  id: user.id,
  email: user.email,
  displayName: user.display_name,
  createdAt: user.created_at,
})

export const characterDto = (character: Character): Static<typeof CharacterDto> => ({
  id: character.id,
  name: character.name,
  description: character.description,
  traits: JSON.parse(character.traits) as Traits,
  // The version in the URL changes with every edit, so the picture may be cached.
  portraitUrl: `/api/characters/${character.id}/portrait.svg?v=${encodeURIComponent(character.updated_at)}`,
  createdAt: character.created_at,
  updatedAt: character.updated_at,
})

export const storyDto = (story: StoryWithCharacters): Static<typeof StoryDto> => ({
  id: story.id,
  title: story.title,
  theme: story.theme,
  targetAge: story.target_age,
  status: story.status,
  characterIds: story.characterIds,
  pageCount: story.pageCount,
  createdAt: story.created_at,
  updatedAt: story.updated_at,
})

export const pageDto = (page: Page): Static<typeof PageDto> => ({
  id: page.id,
  position: page.position,
  text: page.text,
  illustrationId: page.illustration_id,
  illustrationUrl: page.illustration_id ? `/api/illustrations/${page.illustration_id}` : null,
  updatedAt: page.updated_at,
})

export const jobDto = (job: GenerationJob): Static<typeof JobDto> => ({
  id: job.id,
  storyId: job.story_id,
  kind: job.kind,
  status: job.status,
  progress: {done: job.progress_done, total: job.progress_total},
  error: job.error,
  createdAt: job.created_at,
  finishedAt: job.finished_at,
})

export const SHARED_SCHEMAS = [UserDto, CharacterDto, StoryDto, PageDto, JobDto]
