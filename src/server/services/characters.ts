// The rules of characters: traits from the catalog, portraits drawn offline and cached per
// version, and stories' cached reads dropped when a character they show changes.
import type {Kysely} from 'kysely'
import {NotFoundError, StorybookError} from '../../core/errors.js'
import type {Character, Database} from '../../core/db/types.js'
import {traitProblems, type Traits} from '../catalog.js'
import type {GeneratedImage, IllustrationProvider} from '../generation/types.js'
import type {ReadCache} from '../read-cache.js'
import {
  createCharacter,
  deleteCharacter,
  getCharacter,
  listCharacters,
  updateCharacter,
  type CharacterInput,
  type ListOptions,
} from '../repositories/characters.js'

export const PORTRAIT_SIZE = {width: 400, height: 400}

export interface CharactersServiceOptions {
  /** The database the repositories work on. */
  db: Kysely<Database>
  /** Previews in the creation wizard: the configured provider. */
  illustrations: IllustrationProvider
  /** Portraits: the offline drawer, fast, free and the same every time. */
  portraits: IllustrationProvider
  cache: ReadCache
  clock: () => Date
}

/** Traits outside the catalog are refused, with each problem and where to read the catalog. */
export function checkTraits(traits: Traits): void {
  const problems = traitProblems(traits)
  if (problems.length > 0) {
    throw new StorybookError('VALIDATION_FAILED', `The traits do not match the catalog: ${problems.join('; ')}.`, {
      next: ['GET /api/catalog/traits'],
      details: {problems},
    })
  }
}

export class CharactersService {
  constructor(private readonly options: CharactersServiceOptions) {}

  async list(userId: string, filter: ListOptions): Promise<{items: Character[]; total: number}> {
    return listCharacters(this.options.db, userId, filter)
  }

  async create(userId: string, input: CharacterInput): Promise<Character> {
    checkTraits(input.traits)
    return createCharacter(this.options.db, userId, input, this.options.clock())
  }

  /** The portrait these traits would give, before the character exists. */
  async preview(input: {name: string; traits: Traits}): Promise<GeneratedImage> {
    checkTraits(input.traits)
    return this.options.illustrations.generate({
      kind: 'character',
      characters: [{name: input.name, traits: input.traits}],
      text: '',
      seed: JSON.stringify(input),
      ...PORTRAIT_SIZE,
    })
  }

  async get(userId: string, id: string): Promise<Character> {
    const character = await getCharacter(this.options.db, userId, id)
    if (!character) throw new NotFoundError('No such character.')
    return character
  }

  /** The portrait's SVG; each version of the character is drawn once. */
  async portrait(userId: string, id: string): Promise<string> {
    const character = await this.get(userId, id)
    const key = `portrait:${character.id}:${character.updated_at}`
    const cached = this.options.cache.get<string>(key)
    if (cached) return cached
    const image = await this.options.portraits.generate({
      kind: 'character',
      characters: [{name: character.name, traits: JSON.parse(character.traits) as Traits}],
      text: character.description,
      seed: character.id,
      ...PORTRAIT_SIZE,
    })
    this.options.cache.set(key, image.content)
    return image.content
  }

  async update(userId: string, id: string, changes: Partial<CharacterInput>): Promise<Character> {
    if (changes.traits) checkTraits(changes.traits)
    const character = await updateCharacter(this.options.db, userId, id, changes, this.options.clock())
    if (!character) throw new NotFoundError('No such character.')
    this.storiesChanged()
    return character
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await deleteCharacter(this.options.db, userId, id))) throw new NotFoundError('No such character.')
    this.storiesChanged()
  }

  /** Stories show their characters: every cached story read is dropped. */
  private storiesChanged(): void {
    this.options.cache.invalidate('story')
  }
}
