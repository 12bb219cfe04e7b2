// `db new NAME`: scaffolds the next numbered migration and registers it in migrations/index.ts.
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {StorybookError, UsageError} from '../core/errors.js'
import {writeFileAtomic} from '../core/fs/atomic-write.js'

export interface NewMigrationResult {
  name: string
  file: string
  index: string
}

const TEMPLATE = (
  name: string,
) => `// ${name.replace(/^\d+_/, '').replaceAll('_', ' ')}: say here what this migration changes and why.
// Migrations are frozen in time: they use Kysely<any>, never the application's table types.
import type {Kysely} from 'kysely'

// Each migration runs in a transaction. For a statement PostgreSQL refuses in one (create index
// concurrently), uncomment this: the migration then runs outside a transaction, still under the lock.
// export const transaction = false

export async function up(db: Kysely<any>): Promise<void> {
  // e.g. await db.schema.alterTable('stories').addColumn('language', 'text', (column) => column.notNull().defaultTo('en')).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Undo exactly what up() did, e.g. await db.schema.alterTable('stories').dropColumn('language').execute()
}
`

/** `Add story language` and `add-story-language` both become `add_story_language`. */
export function migrationSlug(raw: string): string {
  const slug = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (!/^[a-z][a-z0-9_]{0,60}$/.test(slug)) {
    throw new UsageError(`"${raw}" cannot name a migration.`, {
      reason: 'Use letters, digits and separators, starting with a letter (at most 60 characters).',
      next: ['storybook db new add_story_language'],
    })
  }
  return slug
}

export async function createMigration(options: {root: string; name: string}): Promise<NewMigrationResult> {
  const slug = migrationSlug(options.name)
  const directory = join(options.root, 'migrations')
  const index = join(directory, 'index.ts')
  let files: string[]
  let indexText: string
  try {
    files = await readdir(directory)
    indexText = await readFile(index, 'utf8')
  } catch (error) {
    throw new StorybookError('NOT_FOUND', `${index} is missing, so a migration cannot be added here.`, {
      reason: 'db new works in a checkout of the project sources.',
      next: ['cd /path/to/storybook'],
      cause: error,
    })
  }
  const numbers = files
    .map((file) => /^(\d{4})_/.exec(file)?.[1])
    .filter((value): value is string => value !== undefined)
  const next = String(Math.max(0, ...numbers.map(Number)) + 1).padStart(4, '0')
  const name = `${next}_${slug}`
  if (files.some((file) => file.replace(/^\d{4}_/, '').replace(/\.ts$/, '') === slug)) {
    throw new StorybookError('CONFLICT', `A migration named ${slug} exists already.`, {next: [`ls ${directory}`]})
  }
  const listEnd = indexText.lastIndexOf(']')
  const lastImport = indexText.lastIndexOf("from './")
  if (listEnd === -1 || lastImport === -1) {
    throw new StorybookError(
      'VALIDATION_FAILED',
      `${index} does not look like the migration list (no imports or no array).`,
      {
        next: [`git checkout -- ${index}`],
      },
    )
  }
  const importEnd = indexText.indexOf('\n', lastImport) + 1
  const variable = `m${next}`
  const withImport = `${indexText.slice(0, importEnd)}import * as ${variable} from './${name}.js'\n${indexText.slice(importEnd)}`
  const end = withImport.lastIndexOf(']')
  const updated = `${withImport.slice(0, end)}  {name: '${name}', ...${variable}},\n${withImport.slice(end)}`
  const file = join(directory, `${name}.ts`)
  await writeFile(file, TEMPLATE(name), {flag: 'wx'})
  await writeFileAtomic(index, updated, 0o644)
  return {name, file, index}
}
