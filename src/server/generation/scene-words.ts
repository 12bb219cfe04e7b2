// Reads a page's words (English and German) to choose its scene: where it happens, the time of
// day, the weather and, indoors, which room. A pure function of the text, so a page keeps its
// scene when its picture is drawn again.

export type Setting = 'sea' | 'forest' | 'castle' | 'mountains' | 'snow' | 'indoors' | 'meadow'
export type TimeOfDay = 'day' | 'evening' | 'night'
export type Weather = 'clear' | 'rain' | 'snow'
export type Room = 'bedroom' | 'kitchen' | 'library' | 'living-room'

export interface SceneChoice {
  setting: Setting
  time: TimeOfDay
  weather: Weather
  /** Which room, for indoor scenes. */
  room: Room
  /** A boat on the water, for sea scenes that mention one. */
  boat: boolean
}

/**
 * `words` match whole words, with English endings (-s, -es, -ing, -ed, -y); `stems` match anywhere
 * in a word, because German builds compounds (Sandstrand, Kinderzimmer, Sommernacht); `except`
 * lists the words a stem would wrongly catch.
 */
interface Cue {
  words?: string[]
  stems?: string[]
  except?: string[]
}

const ENDINGS = ['', 's', 'es', 'ing', 'ed', 'y']

const PLACES: Record<Exclude<Setting, 'snow'>, Cue> = {
  sea: {
    words: [
      'sea',
      'ocean',
      'beach',
      'wave',
      'shore',
      'seaside',
      'island',
      'ship',
      'sail',
      'sailor',
      'harbour',
      'harbor',
    ],
    stems: [
      'meer',
      'strand',
      'ozean',
      'küste',
      'nordsee',
      'ostsee',
      'welle',
      'insel',
      'schiff',
      'segel',
      'hafen',
      'möwe',
    ],
    except: ['meerschwein', 'tinsel', 'wellensittich'],
  },
  forest: {
    words: ['forest', 'wood', 'tree', 'pine', 'jungle', 'woodland', 'oak', 'mushroom', 'grove'],
    stems: ['wald', 'wälder', 'baum', 'bäume', 'tanne', 'pilz', 'dschungel', 'lichtung'],
    except: ['weihnachtsbaum'],
  },
  castle: {
    words: ['castle', 'palace', 'king', 'queen', 'prince', 'princess', 'knight', 'tower', 'throne', 'kingdom', 'moat'],
    stems: ['schloss', 'schlösser', 'burg', 'palast', 'könig', 'prinz', 'ritter', 'thron', 'turm'],
    except: ['schlossen', 'burger', 'sturm'],
  },
  mountains: {
    words: ['mountain', 'peak', 'cliff', 'climb', 'summit', 'alps'],
    stems: ['berg', 'gipfel', 'felsen', 'klettern', 'kletter', 'alpen'],
    except: ['verberg', 'herberg', 'eisberg', 'iceberg'],
  },
  indoors: {
    words: ['house', 'room', 'bedroom', 'kitchen', 'bed', 'inside', 'indoors', 'library', 'classroom', 'sofa'],
    stems: [
      'zimmer',
      'küche',
      'haus',
      'hause',
      'stube',
      'drinnen',
      'wohnung',
      'bibliothek',
      'dachboden',
      'keller',
      'bett',
    ],
    except: ['exhaust', 'better', 'bettina'],
  },
  meadow: {
    words: ['meadow', 'field', 'garden', 'park', 'grass', 'flower', 'farm', 'picnic', 'valley', 'hill'],
    stems: ['wiese', 'feld', 'garten', 'blume', 'bauernhof', 'hügel', 'picknick'],
  },
}

const TIMES: Record<TimeOfDay, Cue> = {
  // Evening first: "Sonnenuntergang" is a sunset, not a sunny day.
  evening: {words: ['evening', 'sunset', 'dusk', 'twilight'], stems: ['abend', 'sonnenuntergang', 'dämmerung']},
  night: {
    words: [
      'night',
      'tonight',
      'midnight',
      'moon',
      'moonlight',
      'star',
      'starry',
      'dark',
      'darkness',
      'sleep',
      'asleep',
    ],
    stems: ['nacht', 'nächt', 'mond', 'stern', 'dunkel', 'schlaf', 'traum', 'träum', 'goodnight', 'bedtime', 'dream'],
    // a sleepy town (verschlafen) is not asleep at night
    except: [
      'nachtisch',
      'almond',
      'diamond',
      'monday',
      'raymond',
      'edmond',
      'ostern',
      'western',
      'sleepy',
      'verschlaf',
    ],
  },
  day: {
    words: [
      'day',
      'today',
      'morning',
      'noon',
      'afternoon',
      'sun',
      'sunny',
      'sunshine',
      'breakfast',
      'daylight',
      'sunrise',
    ],
    stems: ['morgen', 'sonne', 'sonnig', 'frühstück', 'mittag', 'tageslicht', 'sonnenaufgang'],
  },
}

const SNOW: Cue = {
  words: [
    'snow',
    'snowman',
    'snowflake',
    'winter',
    'icy',
    'frost',
    'frosty',
    'frozen',
    'sled',
    'sledge',
    'sleigh',
    'igloo',
  ],
  stems: ['schnee', 'schnei', 'winter', 'frost', 'schlitten', 'gefroren', 'iglu', 'eiszapfen'],
  except: ['schneid'],
}

const RAIN: Cue = {
  words: ['rain', 'rainy', 'umbrella', 'puddle', 'storm', 'thunder', 'drizzle'],
  stems: ['regen', 'regnet', 'pfütze', 'gewitter', 'sturm', 'donner'],
  except: ['regenbogen'],
}

const ROOMS: Record<Exclude<Room, 'living-room'>, Cue> = {
  bedroom: {
    words: ['bed', 'bedroom', 'pillow', 'blanket', 'bedtime'],
    stems: ['schlafzimmer', 'bett', 'kissen'],
    except: ['better'],
  },
  kitchen: {
    words: ['kitchen', 'cook', 'bake', 'oven', 'stove', 'pot'],
    stems: ['küche', 'koch', 'backen', 'herd', 'ofen', 'topf'],
  },
  library: {words: ['library', 'book', 'bookshelf', 'bookcase'], stems: ['bibliothek', 'bücher', 'buch', 'lesen']},
}

const BOAT: Cue = {
  words: ['boat', 'ship', 'sail', 'raft', 'canoe'],
  stems: ['boot', 'schiff', 'segel', 'floß'],
  except: ['boots'],
}

const SIMILE = new Set(['like', 'wie'])
const ARTICLES = new Set(['a', 'an', 'the', 'der', 'die', 'das', 'ein', 'eine', 'einen'])

/**
 * The page's words, less what follows "like" or "wie": "melted like snow in the sun" is a sunny
 * day, and "white like a cloud" is no cloud.
 */
function words(text: string): string[] {
  const all =
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/\p{L}+/gu) ?? []
  return all.filter((_, index) => {
    const before = all[index - 1] ?? ''
    const twoBefore = all[index - 2] ?? ''
    return !SIMILE.has(before) && !(ARTICLES.has(before) && SIMILE.has(twoBefore))
  })
}

function matches(word: string, cue: Cue): boolean {
  if (cue.except?.some((wrong) => word.includes(wrong))) return false
  if (cue.words?.some((known) => ENDINGS.some((ending) => word === known + ending))) return true
  return cue.stems?.some((stem) => word.includes(stem)) ?? false
}

/** The option named most often; on a tie, the one named last (a story moves on: "…and then they reached the sea"). */
function strongest<T extends string>(text: string[], cues: Record<T, Cue>): T | undefined {
  const tally = new Map<T, {count: number; last: number}>()
  text.forEach((word, index) => {
    const option = (Object.keys(cues) as T[]).find((key) => matches(word, cues[key]))
    if (option === undefined) return
    const seen = tally.get(option) ?? {count: 0, last: -1}
    tally.set(option, {count: seen.count + 1, last: index})
  })
  let best: T | undefined
  for (const [option, {count, last}] of tally) {
    const current = best === undefined ? undefined : tally.get(best)
    if (!current || count > current.count || (count === current.count && last > current.last)) best = option
  }
  return best
}

/** The scene a page's text describes; a meadow on a clear day when it names none. */
export function chooseScene(text: string): SceneChoice {
  const found = words(text)
  const mentions = (cue: Cue) => found.some((word) => matches(word, cue))
  const weather: Weather = mentions(SNOW) ? 'snow' : mentions(RAIN) ? 'rain' : 'clear'
  const place = strongest(found, PLACES)
  const setting: Setting = place ?? (weather === 'snow' ? 'snow' : 'meadow')
  return {
    setting,
    time: strongest(found, TIMES) ?? 'day',
    weather,
    room: strongest(found, ROOMS) ?? 'living-room',
    boat: setting === 'sea' && mentions(BOAT),
  }
}
