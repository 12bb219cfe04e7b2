// The offline story writer: a short picture-book arc (opening, wish, journey, problem, help,
// resolution, goodnight) woven from the characters' names, species, personalities and favourite
// things, the theme and the reader's age. Deterministic for a given seed.
import type {Traits} from '../catalog.js'
import {pick, seededRandom} from './random.js'
import type {StoryTextProvider, StoryTextRequest} from './types.js'

/** What a character notices on the extra pages beyond the story's beats. */
const DISCOVERIES = ['a glowing pebble', 'a friendly snail', 'a song in the trees', 'a rainbow over the water']

function first(traits: Traits, key: string): string | undefined {
  const value = traits[key]
  return Array.isArray(value) ? value[0] : value
}

export class BuiltinStoryTextProvider implements StoryTextProvider {
  readonly name = 'builtin'

  async generate(request: StoryTextRequest): Promise<string[]> {
    const random = seededRandom(request.seed)
    const cast =
      request.characters.length > 0 ? request.characters : [{name: 'Little Star', traits: {species: 'human'}}]
    const hero = cast[0] as (typeof cast)[number]
    const friend = cast[1]
    const describe = (character: (typeof cast)[number]) => {
      const species = first(character.traits, 'species') ?? 'friend'
      const trait = first(character.traits, 'personality') ?? pick(random, ['kind', 'curious', 'brave'])
      return `${character.name}, a ${trait} little ${species === 'human' ? 'child' : species}`
    }
    const loves = first(hero.traits, 'favouriteThings') ?? pick(random, ['stars', 'books', 'music'])
    const theme = request.theme.trim() || pick(random, ['friendship', 'courage', 'kindness'])
    const young = /^(0|1|2|3|4|5)\b|^[0-5]-/.test(request.targetAge)
    const place = pick(random, [
      'the whispering forest',
      'the sleepy seaside town',
      'the hill behind the old mill',
      'the garden by the river',
    ])
    const problem = pick(random, [
      'the path was blocked by a fallen tree',
      'a storm rolled in and the wind howled',
      'they could not remember the way home',
      'a small bird was stuck in a thorny bush',
    ])
    const beats = [
      `Once upon a time, in ${place}, there lived ${describe(hero)} who loved ${loves} more than anything.`,
      friend
        ? `${hero.name}'s best friend was ${describe(friend)}. Together they were never bored.`
        : `Every morning, ${hero.name} wondered what the day would bring.`,
      `One day, ${hero.name} had a wish: to learn what ${theme} really means.`,
      `So off they went, ${young ? 'hop, skip and jump' : 'step by careful step'}, past ${place}.`,
      `But then ${problem}. ${hero.name} felt a little worried.`,
      friend
        ? `"We can do this together," said ${friend.name}, and ${hero.name} took a deep breath.`
        : `${hero.name} took a deep breath and remembered everything ${loves} had taught them.`,
      `Working side by side, they found a way, and the worry melted like snow in the sun.`,
      `On the way home, ${hero.name} smiled. ` +
        `${theme.charAt(0).toUpperCase()}${theme.slice(1)} was not a thing you find, but a thing you share.`,
      young
        ? `And when the moon came up, everyone went to sleep, happy and warm. Goodnight!`
        : `That night, under a sky full of stars, ${hero.name} knew the adventure had only just begun.`,
    ]
    const count = Math.max(1, Math.min(request.pageCount, 24))
    if (count <= beats.length) {
      // Keep the opening and the ending; take evenly spaced beats in between.
      if (count === 1) return [beats[0] as string]
      return Array.from(
        {length: count},
        (_, index) => beats[Math.round((index * (beats.length - 1)) / (count - 1))] as string,
      )
    }
    const extra = Array.from(
      {length: count - beats.length},
      (_, index) => `${pick(random, cast).name} noticed something new: ${pick(random, DISCOVERIES)}. (${index + 1})`,
    )
    return [...beats.slice(0, -1), ...extra, beats.at(-1) as string]
  }
}
