// The offline illustrator. A page's scene follows its words (see scene-words.ts): sea, forest,
// castle, mountains, snow, a room, or a meadow; day, evening or night; rain or snow. Each
// character is drawn from its look (see character-look.ts), which depends on the character alone,
// so it is the same on every page and in its portrait. The seed only moves things about.
import {mix} from './colour.js'
import {drawFigure, FIGURE_HEIGHT} from './character-figure.js'
import {characterLook, type CharacterLook} from './character-look.js'
import {seededRandom, type Random} from './random.js'
import {chooseScene} from './scene-words.js'
import {drawBackdrop} from './scenes.js'
import {el, escapeXml, n} from './svg.js'
import type {CharacterSketch, GeneratedImage, IllustrationProvider, IllustrationRequest} from './types.js'
import {describeIllustration} from './types.js'

/** Figures are drawn with a head radius of 50 units. */
const FIGURE_HEAD_RADIUS = 50
/** At most this many characters share a page; more would be too small to recognise. */
const MAX_CAST = 4

const twoDecimals = (value: number): string => String(Math.round(value * 100) / 100)

/** One character's figure: the single drawing used on pages, portraits and previews. */
export function drawCharacter(character: CharacterSketch): string {
  return drawFigure(characterLook(character))
}

/** A figure standing with its feet at (x, feet), its head `headRadius` pixels across the middle, and its name below. */
function placeFigure(
  look: CharacterLook,
  name: string,
  at: {x: number; feet: number; headRadius: number},
): {figure: string; label: string} {
  const scale = (at.headRadius / FIGURE_HEAD_RADIUS) * look.scale
  const fontSize = Math.max(12, at.headRadius * 0.4)
  const text = {
    x: at.x,
    y: at.feet + fontSize * 1.1,
    'text-anchor': 'middle',
    'font-family': 'sans-serif',
    'font-size': fontSize,
  }
  // A white outline under dark letters, as two texts: the PDF export knows no paint-order.
  const outline = el(
    'text',
    {...text, fill: '#ffffff', stroke: '#ffffff', 'stroke-width': 4, 'stroke-linejoin': 'round'},
    escapeXml(name),
  )
  const label = outline + el('text', {...text, fill: '#222222'}, escapeXml(name))
  const transform = `translate(${n(at.x)} ${n(at.feet)}) scale(${twoDecimals(scale)})`
  return {figure: el('g', {transform}, drawFigure(look)), label}
}

function svgDocument(request: IllustrationRequest, scene: Record<string, string>, defs: string, body: string): string {
  const {width, height} = request
  const attributes = {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': describeIllustration(request),
    ...Object.fromEntries(Object.entries(scene).map(([key, value]) => [`data-${key}`, value])),
  }
  return el('svg', attributes, el('defs', {}, defs) + body)
}

function drawPage(request: IllustrationRequest, random: Random): string {
  const {width, height} = request
  const choice = chooseScene(request.text)
  const backdrop = drawBackdrop(choice, random, width, height)
  const cast = request.characters.slice(0, MAX_CAST)
  const headRadius = Math.min(width / (cast.length * 3.4 + 1), height * 0.11)
  const placed = cast.map((character, index) => {
    const x = ((index + 1) * width) / (cast.length + 1)
    const feet = backdrop.feet + (random() - 0.5) * headRadius * 0.2
    return placeFigure(characterLook(character), character.name, {x, feet, headRadius})
  })
  // Names go on top of everything, so a boat's side or the rain never hides them.
  const figures = placed.map(({figure}) => figure).join('')
  const labels = placed.map(({label}) => label).join('')
  const attributes = {
    setting: choice.setting,
    time: choice.time,
    weather: choice.weather,
    ...(choice.setting === 'indoors' ? {room: choice.room} : {}),
  }
  return svgDocument(request, attributes, backdrop.defs, backdrop.back + figures + backdrop.front + labels)
}

/** A portrait: the character alone on a plain backdrop in a pale shade of its clothes, whatever the text. */
function drawPortrait(request: IllustrationRequest): string {
  const {width, height} = request
  const [character] = request.characters
  if (!character) return svgDocument(request, {setting: 'portrait'}, '', el('rect', {width, height, fill: '#eef4f8'}))
  const look = characterLook(character)
  const tint = look.clothing?.colour ?? look.skin
  const feet = height * 0.84
  const headRadius = ((height * 0.74) / FIGURE_HEIGHT) * FIGURE_HEAD_RADIUS
  const backdrop =
    el('rect', {width, height, fill: mix(tint, '#ffffff', 0.82)}) +
    el('circle', {
      cx: width / 2,
      cy: height * 0.48,
      r: Math.min(width, height) * 0.36,
      fill: mix(tint, '#ffffff', 0.65),
    }) +
    el('ellipse', {cx: width / 2, cy: feet, rx: width * 0.2, ry: height * 0.025, fill: '#000000', opacity: 0.12})
  const {figure, label} = placeFigure(look, character.name, {x: width / 2, feet, headRadius})
  return svgDocument(request, {setting: 'portrait'}, '', backdrop + figure + label)
}

export function drawIllustration(request: IllustrationRequest): string {
  return request.kind === 'character' ? drawPortrait(request) : drawPage(request, seededRandom(request.seed))
}

export class BuiltinIllustrationProvider implements IllustrationProvider {
  readonly name = 'builtin'

  async generate(request: IllustrationRequest): Promise<GeneratedImage> {
    return {
      provider: this.name,
      mimeType: 'image/svg+xml',
      content: drawIllustration(request),
      width: request.width,
      height: request.height,
      prompt: describeIllustration(request),
    }
  }
}
