// The built-in illustrator: a character looks the same on every page and in its portrait, a page's
// scene follows its words (English and German), and every picture is a small, self-contained SVG
// that the PDF export can draw.
import {inflateSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {drawIllustration} from '../../../src/server/generation/builtin-illustrations.js'
import type {CharacterSketch, IllustrationRequest} from '../../../src/server/generation/types.js'
import {renderStoryPdf} from '../../../src/server/pdf.js'

const LUNA: CharacterSketch = {
  id: 'char-luna',
  name: 'Luna',
  traits: {
    ageGroup: 'child',
    species: 'fox',
    hair: 'orange',
    clothing: 'scarf',
    personality: ['curious'],
    favouriteThings: ['stars'],
  },
}
const MIA: CharacterSketch = {
  id: 'char-mia',
  name: 'Mia',
  traits: {
    ageGroup: 'child',
    species: 'human',
    hair: 'brown',
    clothing: 'dress',
    personality: ['kind'],
    favouriteThings: ['flowers'],
  },
}
const PIP: CharacterSketch = {
  id: 'char-pip',
  name: 'Pip',
  traits: {ageGroup: 'child', species: 'robot', favouriteThings: ['gears']},
}
const BRUNO: CharacterSketch = {
  id: 'char-bruno',
  name: 'Bruno',
  traits: {
    ageGroup: 'adult',
    species: 'bear',
    clothing: 'overalls',
    personality: ['gentle'],
    favouriteThings: ['cake'],
  },
}

const page = (text: string, characters: CharacterSketch[] = [LUNA], seed = 'seed'): IllustrationRequest => ({
  kind: 'page',
  characters,
  text,
  seed,
  width: 800,
  height: 600,
})
const portrait = (character: CharacterSketch): IllustrationRequest => ({
  kind: 'character',
  characters: [character],
  text: 'whatever the description says',
  seed: character.id ?? character.name,
  width: 400,
  height: 400,
})

/** The markup of the `<g data-character="id">` group, its nested groups included. */
function figureOf(svg: string, id: string): string {
  const start = svg.indexOf(`<g data-character="${id}"`)
  if (start < 0) throw new Error(`no <g data-character="${id}"> in the SVG`)
  let depth = 0
  for (const tag of svg.slice(start).matchAll(/<g[\s>]|<\/g>/g)) {
    depth += tag[0] === '</g>' ? -1 : 1
    if (depth === 0) return svg.slice(start, start + (tag.index as number) + 4)
  }
  throw new Error(`the group of ${id} is not closed`)
}

/** Every fill and stroke colour, in drawing order. */
const paints = (markup: string) => [...markup.matchAll(/(?:fill|stroke)="([^"]+)"/g)].map((match) => match[1])

/** The scene the root element says it shows. */
function sceneOf(svg: string): {setting?: string; time?: string; weather?: string; room?: string} {
  const root = /^<svg [^>]*>/.exec(svg)?.[0] ?? ''
  const attribute = (name: string) => new RegExp(` data-${name}="([^"]*)"`).exec(root)?.[1]
  return {
    setting: attribute('setting'),
    time: attribute('time'),
    weather: attribute('weather'),
    room: attribute('room'),
  }
}

/**
 * Well-formed XML, checked by hand: every tag closed in order, attributes quoted, no stray `<` or
 * `&` in text. Enough for the flat SVG the illustrator writes.
 */
function expectWellFormed(svg: string): void {
  const open: string[] = []
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y
  let index = 0
  while (index < svg.length) {
    const next = svg.indexOf('<', index)
    const text = svg.slice(index, next < 0 ? svg.length : next)
    expect(text, `text before offset ${next}`).not.toMatch(/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/)
    if (next < 0) break
    tag.lastIndex = next
    const match = tag.exec(svg)
    if (!match) throw new Error(`malformed tag at offset ${next}: ${svg.slice(next, next + 80)}`)
    const [, closing, name, , selfClosing] = match
    if (closing) expect(open.pop(), `</${name}> at offset ${next}`).toBe(name)
    else if (!selfClosing) open.push(name as string)
    index = tag.lastIndex
  }
  expect(open, 'unclosed elements').toEqual([])
}

/** The fill colours the PDF's (inflated) content streams set, as #rrggbb. */
function pdfColours(pdf: Buffer): Set<string> {
  const text = pdf.toString('latin1')
  const colours = new Set<string>()
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = (match.index as number) + match[0].length
    let content: string
    try {
      content = inflateSync(pdf.subarray(start, text.indexOf('endstream', start))).toString('latin1')
    } catch {
      continue // not a compressed content stream (a font, an image)
    }
    for (const [, ...channels] of content.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) (?:rg|scn?)\b/g)) {
      const hex = channels.map((channel) =>
        Math.round(Number(channel) * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      colours.add(`#${hex.join('')}`)
    }
  }
  return colours
}

describe('a character in the built-in pictures', () => {
  it('looks the same on every page, whatever the text, seed, cast or place in the line-up, and in its portrait', () => {
    const pages = [
      drawIllustration(page('At night Luna sailed across the sea under the moon.', [LUNA, MIA], 'one')),
      drawIllustration(page('In the morning they walked into the forest.', [MIA, LUNA, PIP], 'two')),
      drawIllustration(page('Sie kamen zum Schloss des Königs.', [PIP, BRUNO, MIA, LUNA], 'three')),
      drawIllustration(page('In der Küche backte Bruno einen Kuchen.', [LUNA, MIA], 'four')),
      drawIllustration(page('Snow fell all winter.', [MIA, LUNA], 'five')),
    ]
    for (const character of [LUNA, MIA]) {
      const id = character.id as string
      const inPortrait = figureOf(drawIllustration(portrait(character)), id)
      for (const svg of pages) {
        expect(paints(figureOf(svg, id))).toEqual(paints(inPortrait))
        expect(figureOf(svg, id)).toBe(inPortrait)
      }
    }
  })

  it('names its skin, hair and clothing colours on its group, and they follow its traits', () => {
    const svg = drawIllustration(page('They played.', [LUNA, MIA, PIP]))
    expect(figureOf(svg, 'char-luna')).toMatch(/^<g data-character="char-luna" data-species="fox" data-skin="#e8822e"/)
    // A brown-haired person has brown hair; a fox with orange "hair" has orange fur
    expect(figureOf(svg, 'char-mia')).toContain('data-hair="#7a4a26"')
    // A person with no clothing trait still wears something; a robot needs nothing
    expect(figureOf(drawIllustration(page('x', [{...MIA, traits: {species: 'human'}}])), 'char-mia')).not.toContain(
      'data-clothing="none"',
    )
    expect(figureOf(svg, 'char-pip')).toContain('data-clothing="none"')
    // Changing a trait changes the look: white fur instead of orange
    const whiteFox = {...LUNA, traits: {...LUNA.traits, hair: 'white'}}
    expect(figureOf(drawIllustration(page('They played.', [whiteFox])), 'char-luna')).toContain('data-skin="#f4f1ea"')
  })

  it('keeps the clothes visible against the fur, for any name', () => {
    for (const name of ['Luna', 'Ruby', 'Sam', 'Ada', 'Otto', 'Zoe', 'Finn', 'Ida', 'Max', 'Lea']) {
      const group = figureOf(drawIllustration(page('x', [{...LUNA, name}])), 'char-luna')
      const clothing = /data-clothing="(#[0-9a-f]{6})"/.exec(group)?.[1] as string
      const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(clothing.slice(at, at + 2), 16))
      // the fox's orange fur is #e8822e = (232, 130, 46)
      expect(Math.hypot((r ?? 0) - 232, (g ?? 0) - 130, (b ?? 0) - 46), `${name}: ${clothing}`).toBeGreaterThan(90)
    }
  })

  it('shows in the wizard (no id yet) the portrait the saved character will get', () => {
    const {id: _unsaved, ...preview} = LUNA
    const before = figureOf(drawIllustration(portrait(preview)), 'name-luna')
    const after = figureOf(drawIllustration(portrait(LUNA)), 'char-luna')
    expect(before.replace('data-character="name-luna"', 'data-character="char-luna"')).toBe(after)
  })

  it('escapes names, so a name cannot inject markup', () => {
    const svg = drawIllustration(page('x', [{name: '<script>"x"</script>', traits: LUNA.traits}]))
    expect(svg).not.toContain('<script>')
    expectWellFormed(svg)
    // Names print dark on a white outline (two texts: the PDF export ignores paint-order)
    expect(drawIllustration(page('x', [LUNA]))).toMatch(/<text [^>]*fill="#222222"[^>]*>Luna<\/text>/)
  })
})

describe('the scene of a page', () => {
  const cases: Array<[string, string, string, string]> = [
    // [text, setting, time, weather]
    ['The waves rolled onto the beach by the ocean.', 'sea', 'day', 'clear'],
    ['Am Sandstrand rauschte das Meer.', 'sea', 'day', 'clear'],
    ['They got lost among the trees of the dark woods.', 'forest', 'night', 'clear'],
    ['Im Tannenwald sangen die Vögel.', 'forest', 'day', 'clear'],
    ['The princess waited at the palace for the king.', 'castle', 'day', 'clear'],
    ['Der Ritter ritt zur alten Burg.', 'castle', 'day', 'clear'],
    ['Snowflakes fell all winter long.', 'snow', 'day', 'snow'],
    ['Im Schnee bauten sie einen Schneemann.', 'snow', 'day', 'snow'],
    ['In the kitchen the kettle sang.', 'indoors', 'day', 'clear'],
    ['Im Kinderzimmer war es warm.', 'indoors', 'day', 'clear'],
    ['They climbed the mountain to the summit.', 'mountains', 'day', 'clear'],
    ['Sie wanderten auf den Berg.', 'mountains', 'day', 'clear'],
    ['They played together and laughed.', 'meadow', 'day', 'clear'],
    ['It rained on the meadow.', 'meadow', 'day', 'rain'],
  ]

  it.each(cases)('"%s" is drawn as %s, %s, %s', (text, setting, time, weather) => {
    expect(sceneOf(drawIllustration(page(text)))).toMatchObject({setting, time, weather})
  })

  it('tells day from evening and night, in English and German', () => {
    const timeOf = (text: string) => sceneOf(drawIllustration(page(text))).time
    expect(['The sun shone all morning.', 'Am Morgen schien die Sonne.', 'A sunny afternoon.'].map(timeOf)).toEqual([
      'day',
      'day',
      'day',
    ])
    expect(
      ['The moon and the stars came out.', 'In der Nacht leuchtete der Mond.', 'Time to sleep.'].map(timeOf),
    ).toEqual(['night', 'night', 'night'])
    expect(['At sunset they went home.', 'Am Abend kam der Sonnenuntergang.'].map(timeOf)).toEqual([
      'evening',
      'evening',
    ])
    // Words that only look like night or day: dessert (Nachtisch), almonds, Easter (Ostern)
    expect(['Zum Nachtisch gab es Eis.', 'She ate almonds.', 'An Ostern suchten sie Eier.'].map(timeOf)).toEqual([
      'day',
      'day',
      'day',
    ])
  })

  it('draws a night sea for a page with "night" and "sea": dark sky, moon, stars and water', () => {
    const svg = drawIllustration(page('That night the sea was calm and silver.'))
    expect(sceneOf(svg)).toMatchObject({setting: 'sea', time: 'night', weather: 'clear'})
    expect(svg).toContain('stop-color="#0d1b3d"') // the night sky
    expect(svg).toContain('fill="#f6f0c4"') // the moon
    expect(svg).not.toContain('fill="#ffd54f"/>') // and no sun
    const day = drawIllustration(page('That day the sea was calm and blue.'))
    expect(sceneOf(day)).toMatchObject({setting: 'sea', time: 'day'})
    expect(day).toContain('fill="#2f7fc1"') // the daylight sea
  })

  it('furnishes the room the text names, with a window on the time outside', () => {
    expect(sceneOf(drawIllustration(page('Mia went to bed in her bedroom; stars shone through the window.')))).toEqual({
      setting: 'indoors',
      time: 'night',
      weather: 'clear',
      room: 'bedroom',
    })
    expect(sceneOf(drawIllustration(page('In der Küche kochte Oma Suppe.'))).room).toBe('kitchen')
    expect(sceneOf(drawIllustration(page('In the library they found a book.'))).room).toBe('library')
  })

  it('is not fooled by words that contain a place: better, exhausted, guinea pigs, burgers, storms', () => {
    const settingOf = (text: string) => sceneOf(drawIllustration(page(text))).setting
    expect(settingOf('This is better, said the exhausted fox.')).toBe('meadow')
    expect(settingOf('Das Meerschweinchen aß einen Hamburger.')).toBe('meadow')
    expect(settingOf('Ein Sturm zog auf.')).toBe('meadow')
    // but German compounds count: Meeresufer, Zauberwald, Schlossgarten
    expect(['Am Meeresufer.', 'Im Zauberwald.', 'Im Schlossgarten.'].map(settingOf)).toEqual([
      'sea',
      'forest',
      'castle',
    ])
  })

  it('chooses the place named most, and on a tie the one named last', () => {
    const settingOf = (text: string) => sceneOf(drawIllustration(page(text))).setting
    expect(settingOf('They left the forest and at last they reached the sea.')).toBe('sea')
    expect(settingOf('The forest was deep, the trees were tall, and far away lay the sea.')).toBe('forest')
    // snow on a named place makes it wintry instead of replacing it
    expect(sceneOf(drawIllustration(page('Snow fell on the forest.')))).toMatchObject({
      setting: 'forest',
      weather: 'snow',
    })
    expect(sceneOf(drawIllustration(page('Im Schloss war es warm; draußen schneite es.')))).toMatchObject({
      setting: 'castle',
      weather: 'snow',
    })
    // similes and sleepy towns are no weather and no night; the way home is still outdoors
    expect(sceneOf(drawIllustration(page('The worry melted like snow in the sun.')))).toMatchObject({
      setting: 'meadow',
      time: 'day',
      weather: 'clear',
    })
    expect(sceneOf(drawIllustration(page('In the sleepy seaside town lived a fox.')))).toMatchObject({
      setting: 'sea',
      time: 'day',
    })
    expect(sceneOf(drawIllustration(page('On the way home, Luna smiled.'))).setting).toBe('meadow')
    // cutting bread (schneiden) is not snowing
    expect(sceneOf(drawIllustration(page('Sie schneiden Brot.'))).weather).toBe('clear')
  })

  it('depends on the words only: other seeds move things about but keep the scene; the same seed draws the same picture', () => {
    const text = 'At night the knights rode to the castle in the rain.'
    const first = drawIllustration(page(text, [LUNA], 'a'))
    const second = drawIllustration(page(text, [LUNA], 'b'))
    expect(sceneOf(first)).toEqual({setting: 'castle', time: 'night', weather: 'rain', room: undefined})
    expect(sceneOf(second)).toEqual(sceneOf(first))
    expect(drawIllustration(page(text, [LUNA], 'a'))).toBe(first)
  })

  it('looks different from one setting to the next', () => {
    const backgrounds = ['meadow', 'sea', 'forest', 'castle', 'snow', 'kitchen', 'mountain'].map((place) =>
      drawIllustration(page(`the ${place}`, [])),
    )
    expect(new Set(backgrounds.map((svg) => sceneOf(svg).setting)).size).toBe(7)
    expect(new Set(backgrounds).size).toBe(7)
  })
})

describe('the SVG of a picture', () => {
  const texts = [
    'At night Luna and Pip sailed their boat across the sea under the moon.',
    'In the morning they walked into the snowy forest.',
    'It rained at the castle in the evening.',
    'Oma backte in der Küche einen Kuchen, draußen schneite es.',
    'They played in the meadow. '.repeat(40),
  ]

  it('is well-formed, self-contained and under 40 kB, with four characters on the busiest page', () => {
    for (const text of texts) {
      const svg = drawIllustration(page(text, [LUNA, MIA, PIP, BRUNO]))
      expectWellFormed(svg)
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
      // Nothing fetched from elsewhere: no links, no images, no fonts, no url() but to its own gradients
      expect(svg).not.toMatch(/href|<image|@import|<script|<foreignObject/i)
      for (const [, target] of svg.matchAll(/url\(([^)]*)\)/g)) expect(target).toBe('#sky')
      expect(svg).toContain('<linearGradient id="sky"')
      expect(svg.replace('http://www.w3.org/2000/svg', '')).not.toContain('http')
      expect(Buffer.byteLength(svg), text.slice(0, 40)).toBeLessThan(40_000)
    }
    const portraitSvg = drawIllustration(portrait(LUNA))
    expectWellFormed(portraitSvg)
    expect(Buffer.byteLength(portraitSvg)).toBeLessThan(40_000)
  })

  it('renders in the PDF export, characters and scene colours included', async () => {
    const pages = texts.slice(0, 4).map((text) => ({
      text,
      illustration: {mimeType: 'image/svg+xml', content: drawIllustration(page(text, [LUNA, MIA]))},
    }))
    const pdf = await renderStoryPdf({title: 'Luna', byline: 'by Ann', cover: undefined, pages})
    const text = pdf.toString('latin1')
    expect(text.startsWith('%PDF-')).toBe(true)
    // a cover and one page per story page
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1 + pages.length)
    // the drawing is in the page content: the fox's fur and the night's moon
    const drawn = pdfColours(pdf)
    for (const colour of ['#e8822e', '#f6f0c4']) expect(drawn, colour).toContain(colour)
  })
})
