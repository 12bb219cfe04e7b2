// The static migration provider: every migration, in order, imported by name. No directory scan,
// so it works from the bundle and on any platform. `storybook db new NAME` appends to this list.
import type {Migration} from '../src/core/db/migrator.js'
import * as m0001 from './0001_create_users_and_sessions.js'
import * as m0002 from './0002_create_characters.js'
import * as m0003 from './0003_create_stories_and_pages.js'
import * as m0004 from './0004_create_illustrations.js'
import * as m0005 from './0005_create_generation_jobs.js'

export const MIGRATIONS: readonly Migration[] = [
  {name: '0001_create_users_and_sessions', ...m0001},
  {name: '0002_create_characters', ...m0002},
  {name: '0003_create_stories_and_pages', ...m0003},
  {name: '0004_create_illustrations', ...m0004},
  {name: '0005_create_generation_jobs', ...m0005},
]
