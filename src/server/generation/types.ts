// The generation interfaces: illustration and story-text providers. Built-in providers work
// offline; remote ones plug in behind the same interfaces.
import type {Traits} from '../catalog.js'

export interface CharacterSketch {
  /** The character's id, when it has one: names its figure in the SVG (`data-character`). */
  id?: string
  name: string
  traits: Traits
}

export interface IllustrationRequest {
  kind: 'character' | 'page'
  characters: CharacterSketch[]
  /** The page text (or the character's description). */
  text: string
  /** Same seed, same picture (for the built-in provider). */
  seed: string
  width: number
  height: number
}

export interface GeneratedImage {
  provider: string
  mimeType: string
  /** SVG text, or base64 for binary images. */
  content: string
  width: number
  height: number
  prompt: string
}

export interface IllustrationProvider {
  readonly name: string
  generate(request: IllustrationRequest, signal?: AbortSignal): Promise<GeneratedImage>
}

export interface StoryTextRequest {
  title: string
  theme: string
  targetAge: string
  characters: CharacterSketch[]
  pageCount: number
  seed: string
}

export interface StoryTextProvider {
  readonly name: string
  generate(request: StoryTextRequest): Promise<string[]>
}

/** A prompt for remote image models, from the same inputs the built-in drawer uses. */
export function describeIllustration(request: IllustrationRequest): string {
  const cast = request.characters
    .map((character) => {
      const traits = Object.entries(character.traits)
        .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : value}`)
        .join('; ')
      return `${character.name} (${traits})`
    })
    .join(' and ')
  return `A warm, friendly children's book illustration of ${cast || 'a gentle landscape'}. Scene: ${request.text}`
}
