// A character's look: every colour and feature the illustrator draws, worked out from the
// character alone (its traits, and its name for what the traits leave open), never from the page
// or its seed, so that it looks the same on every page of a story and in its portrait.
import type {Traits} from '../catalog.js'
import {distance, mix} from './colour.js'
import {pick, seededRandom, type Random} from './random.js'
import type {CharacterSketch} from './types.js'

export type HairStyle = 'short' | 'long' | 'curly' | 'ponytail' | 'bun' | 'spiky' | 'tuft' | 'bald'
export type Accessory = 'none' | 'bow' | 'cap' | 'headband' | 'bowtie' | 'collar'
export type Marking = 'none' | 'patch-left' | 'patch-right' | 'stripes' | 'spots'

export interface CharacterLook {
  /** The value of the figure's `data-character` attribute: the id when known, else one made from the name. */
  key: string
  species: string
  /** Smaller for babies and children, applied where the figure is placed. */
  scale: number
  /** Skin for people, fur (or plating) for everyone else. */
  skin: string
  /** Muzzle, belly and inner ears. */
  light: string
  hair: {colour: string; style: HairStyle}
  eyes: string
  clothing: {kind: string; colour: string; accent: string} | undefined
  legs: string
  accessory: {kind: Accessory; colour: string}
  marking: Marking
  glasses: boolean
  expression: {smile: number; brows: 'brave' | 'curious' | 'none'; cheeks: boolean; laughing: boolean}
  /** The first favourite thing, held beside the figure. */
  prop: string | undefined
}

export const HAIR_COLOURS: Record<string, string> = {
  black: '#2b2b2b',
  brown: '#7a4a26',
  blonde: '#e8c55a',
  red: '#b5412b',
  orange: '#e8822e',
  white: '#f4f1ea',
  grey: '#9a9a9a',
  blue: '#4a78c2',
}

const SPECIES_COLOUR: Record<string, string> = {
  fox: '#e8822e',
  cat: '#9a9a9a',
  dog: '#b88a5a',
  bear: '#7a4a26',
  rabbit: '#f4f1ea',
  owl: '#8d6e4c',
  dragon: '#5aa35a',
  robot: '#aab4be',
}

const SPECIES_LIGHT: Record<string, string> = {
  fox: '#f4f1ea',
  bear: '#c9a27a',
  rabbit: '#f2b8c6',
  owl: '#e8d5b0',
  dragon: '#e3e8a0',
  robot: '#dfe6ec',
}

const SKIN_TONES = ['#ffdbc4', '#f2c7a5', '#e0ac87', '#c68a62', '#a66a43', '#7a4b2e']
const NATURAL_HAIR = ['#2b2b2b', '#4a2f1b', '#7a4a26', '#a0622d', '#e8c55a', '#b5412b']
const EYE_COLOURS = ['#3b2a1a', '#2c4a7a', '#2f5d3a', '#5a4632']
const CLOTHING_COLOURS = ['#d9534f', '#4a78c2', '#5aa35a', '#f0ad4e', '#8e6bbf', '#2aa5a5', '#e86fa0', '#3c4f9a']
const TROUSERS = ['#34495e', '#5b4636', '#2e4a7a', '#4b4b4b']
const AGE_SCALE: Record<string, number> = {baby: 0.7, child: 0.85, teen: 0.95, adult: 1, elder: 1}

function one(traits: Traits, key: string): string | undefined {
  const value = traits[key]
  return Array.isArray(value) ? value[0] : value
}

function many(traits: Traits, key: string): string[] {
  const value = traits[key]
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/**
 * What the traits leave open (skin tone, hair style, clothing colour) is drawn from the name, not
 * the id: the wizard's preview has no id yet and must show the portrait the character will get.
 */
function identity(sketch: CharacterSketch): string {
  return `look:${sketch.name.trim().toLowerCase()}`
}

/** A safe attribute value that names the character in the SVG, for tests, styling and the web app. */
function keyOf(sketch: CharacterSketch): string {
  const raw = sketch.id ?? `name-${sketch.name.trim().toLowerCase()}`
  return raw.replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 80) || 'character'
}

function skinOf(species: string, hair: string | undefined, random: Random): string {
  const skinTone = pick(random, SKIN_TONES)
  if (species === 'human') return skinTone
  const furFromHair = hair && hair !== 'none' ? HAIR_COLOURS[hair] : undefined
  return furFromHair ?? SPECIES_COLOUR[species] ?? '#b88a5a'
}

function hairOf(species: string, hair: string | undefined, age: string, random: Random): CharacterLook['hair'] {
  const natural = age === 'elder' ? pick(random, ['#d9d9d9', '#9a9a9a', '#f4f1ea']) : pick(random, NATURAL_HAIR)
  const colour = hair && hair !== 'none' ? (HAIR_COLOURS[hair] ?? natural) : natural
  const styles: HairStyle[] =
    age === 'baby'
      ? ['tuft']
      : age === 'elder'
        ? ['short', 'bun', 'curly']
        : ['short', 'long', 'curly', 'ponytail', 'bun', 'spiky']
  const style = pick(random, styles)
  if (species !== 'human' || hair === 'none') return {colour, style: 'bald'}
  return {colour, style}
}

/** A clothing colour that stands out against the fur, so a red fox in red shows its shirt. */
function clothingOf(kind: string | undefined, skin: string, random: Random): CharacterLook['clothing'] {
  const visible = CLOTHING_COLOURS.filter((colour) => distance(colour, skin) > 90)
  const colour = pick(random, visible.length > 0 ? visible : CLOTHING_COLOURS)
  const accent = pick(random, ['#ffffff', '#ffd54f', mix(colour, '#000000', 0.35)])
  if (!kind) return undefined
  return {kind, colour: kind === 'raincoat' ? '#f7d23e' : colour, accent}
}

function accessoryOf(species: string, random: Random): CharacterLook['accessory'] {
  const choices: Accessory[] =
    species === 'human'
      ? ['none', 'bow', 'cap', 'headband', 'bowtie']
      : species === 'dog' || species === 'cat'
        ? ['none', 'collar', 'bowtie', 'bow']
        : ['none', 'bowtie', 'bow']
  return {kind: pick(random, choices), colour: pick(random, CLOTHING_COLOURS)}
}

function markingOf(species: string, random: Random): Marking {
  const side = pick<Marking>(random, ['patch-left', 'patch-right'])
  if (species === 'dog') return pick(random, [side, 'none'])
  if (species === 'cat') return pick<Marking>(random, ['stripes', 'none'])
  if (species === 'dragon') return 'spots'
  return 'none'
}

/** The look of one character: a pure function of the sketch (traits, name, id), whatever the page. */
export function characterLook(sketch: CharacterSketch): CharacterLook {
  const {traits} = sketch
  // One generator, always drawn in the same order: each open choice is fixed by the identity.
  const random = seededRandom(identity(sketch))
  const species = one(traits, 'species') ?? 'human'
  const hairTrait = one(traits, 'hair')
  const age = one(traits, 'ageGroup') ?? 'child'
  const personality = many(traits, 'personality')
  const skin = skinOf(species, hairTrait, random)
  const hair = hairOf(species, hairTrait, age, random)
  const eyes = species === 'human' ? pick(random, EYE_COLOURS) : '#222222'
  // People are never drawn without clothes: a T-shirt unless the traits say otherwise.
  const clothing = clothingOf(one(traits, 'clothing') ?? (species === 'human' ? 'tshirt' : undefined), skin, random)
  const trousers = pick(random, TROUSERS)
  const accessory = accessoryOf(species, random)
  const marking = markingOf(species, random)
  return {
    key: keyOf(sketch),
    species,
    scale: AGE_SCALE[age] ?? 0.85,
    skin,
    light: SPECIES_LIGHT[species] ?? mix(skin, '#ffffff', 0.55),
    hair,
    eyes,
    clothing,
    legs: species === 'human' ? trousers : species === 'robot' ? '#6c757d' : mix(skin, '#000000', 0.25),
    accessory,
    marking,
    glasses: personality.includes('clever') && species !== 'robot' && species !== 'owl',
    expression: {
      smile:
        personality.includes('funny') || personality.includes('cheeky')
          ? 0.4
          : personality.includes('shy')
            ? 0.18
            : 0.28,
      brows: personality.includes('brave') ? 'brave' : personality.includes('curious') ? 'curious' : 'none',
      cheeks: personality.includes('kind') || personality.includes('gentle') || personality.includes('shy'),
      laughing: personality.includes('funny'),
    },
    prop: many(traits, 'favouriteThings')[0],
  }
}
