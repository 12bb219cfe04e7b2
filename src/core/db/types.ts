// The database as the application sees it: one interface per table and the Database that holds
// them. Timestamps are ISO-8601 text and JSON is text, so both dialects read back the same values.
import type {Insertable, Selectable, Updateable} from 'kysely'

export interface UsersTable {
  id: string
  email: string
  display_name: string
  password_hash: string
  created_at: string
  updated_at: string
}

export interface SessionsTable {
  id: string
  user_id: string
  /** SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string
  created_at: string
  expires_at: string
  last_used_at: string
}

export interface CharactersTable {
  id: string
  user_id: string
  name: string
  description: string
  /** JSON object: trait category to chosen value(s), validated against the trait catalog. */
  traits: string
  created_at: string
  updated_at: string
}

export type StoryStatus = 'draft' | 'generating' | 'ready'

export interface StoriesTable {
  id: string
  user_id: string
  title: string
  theme: string
  target_age: string
  status: StoryStatus
  created_at: string
  updated_at: string
}

export interface StoryCharactersTable {
  story_id: string
  character_id: string
  position: number
}

export interface PagesTable {
  id: string
  story_id: string
  position: number
  text: string
  illustration_id: string | null
  created_at: string
  updated_at: string
}

export interface IllustrationsTable {
  id: string
  user_id: string
  story_id: string | null
  character_id: string | null
  provider: string
  prompt: string
  mime_type: string
  /** SVG text, or base64 for binary images from a remote provider. */
  content: string
  width: number
  height: number
  created_at: string
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface GenerationJobsTable {
  id: string
  user_id: string
  story_id: string
  kind: string
  status: JobStatus
  progress_done: number
  progress_total: number
  error: string | null
  /** Updated while a worker runs the job; a stale heartbeat means the worker died. */
  heartbeat_at: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface MigrationsTable {
  name: string
  checksum: string
  applied_at: string
  execution_ms: number
  /** JSON of the statements recorded when it was applied; null for rows written before they were kept. */
  statements: string | null
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  characters: CharactersTable
  stories: StoriesTable
  story_characters: StoryCharactersTable
  pages: PagesTable
  illustrations: IllustrationsTable
  generation_jobs: GenerationJobsTable
  storybook_migrations: MigrationsTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type Character = Selectable<CharactersTable>
export type NewCharacter = Insertable<CharactersTable>
export type CharacterUpdate = Updateable<CharactersTable>
export type Story = Selectable<StoriesTable>
export type NewStory = Insertable<StoriesTable>
export type Page = Selectable<PagesTable>
export type NewPage = Insertable<PagesTable>
export type Illustration = Selectable<IllustrationsTable>
export type GenerationJob = Selectable<GenerationJobsTable>

/** The table that records applied migrations. */
export const MIGRATIONS_TABLE = 'storybook_migrations'
