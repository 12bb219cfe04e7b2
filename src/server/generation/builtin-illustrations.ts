// The offline illustrator: draws an SVG scene from the page text and each character's traits.
// Species decide the head, ears and features; hair sets the fur colour; clothing the body;
// personality the expression; favourite things a small prop. Deterministic for a given seed.
import type {Traits} from '../catalog.js'
import {pick, seededRandom, type Random} from './random.js'
import type {CharacterSketch, GeneratedImage, IllustrationProvider, IllustrationRequest} from './types.js'
import {describeIllustration} from './types.js'

const HAIR_COLOURS: Record<string, string> = {
  black: '#2b2b2b',
  brown: '#7a4a26',
  blonde: '#e8c55a',
  red: '#b5412b',
  orange: '#e8822e',
  white: '#f4f1ea',
  grey: '#9a9a9a',
  blue: '#4a78c2',
  none: '#c9b49a',
}

const SPECIES_DEFAULT_COLOUR: Record<string, string> = {
  human: '#f2c7a5',
  fox: '#e8822e',
  cat: '#9a9a9a',
  dog: '#b88a5a',
  bear: '#7a4a26',
  rabbit: '#f4f1ea',
  owl: '#8d6e4c',
  dragon: '#5aa35a',
  robot: '#aab4be',
}

const CLOTHING_COLOURS = ['#d9534f', '#4a78c2', '#5aa35a', '#f0ad4e', '#8e6bbf', '#2aa5a5']

interface Scene {
  sky: [string, string]
  ground: string
  extras: string
}

function escapeXml(text: string): string {
  // Control characters are not allowed in XML at all: dropped rather than escaped.
  return (
    text
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`)
  )
}

function one(traits: Traits, key: string): string | undefined {
  const value = traits[key]
  return Array.isArray(value) ? value[0] : value
}

function many(traits: Traits, key: string): string[] {
  const value = traits[key]
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/** The backdrop follows the words of the page: night, sea, forest, snow or a sunny day. */
function sceneFor(text: string, random: Random, width: number, height: number): Scene {
  const words = text.toLowerCase()
  const stars = (count: number) =>
    Array.from({length: count}, () => {
      const x = Math.round(random() * width)
      const y = Math.round(random() * height * 0.5)
      return `<circle cx="${x}" cy="${y}" r="${(1 + random() * 2).toFixed(1)}" fill="#fff8c4"/>`
    }).join('')
  if (/\b(night|moon|star|stars|dark|sleep|sleepy|goodnight|dream)\b/.test(words)) {
    return {
      sky: ['#0d1b3d', '#31407a'],
      ground: '#1f3b2a',
      extras: `${stars(30)}<circle cx="${width * 0.8}" cy="${height * 0.18}" r="${height * 0.08}" fill="#f6f0c4"/>`,
    }
  }
  if (/\b(sea|ocean|beach|wave|waves|boat|island|fish)\b/.test(words)) {
    const waves = Array.from(
      {length: 6},
      (_, index) =>
        `<path d="M0 ${height * 0.66 + index * 14} q ${width / 8} -10 ${width / 4} 0 t ${width / 4} 0 t ${width / 4} 0 t ${width / 4} 0" stroke="#bfe6ff" stroke-width="3" fill="none" opacity="0.7"/>`,
    ).join('')
    return {
      sky: ['#8fd3ff', '#d8f1ff'],
      ground: '#2f7fc1',
      extras: `<circle cx="${width * 0.15}" cy="${height * 0.15}" r="${height * 0.07}" fill="#ffd54f"/>${waves}`,
    }
  }
  if (/\b(forest|tree|trees|wood|woods|pine|jungle)\b/.test(words)) {
    const trees = Array.from({length: 7}, (_, index) => {
      const x = (index + 0.5) * (width / 7) + (random() - 0.5) * 20
      const size = 40 + random() * 40
      return `<rect x="${x - 5}" y="${height * 0.62 - 10}" width="10" height="30" fill="#6b4423"/><polygon points="${x},${height * 0.62 - size * 1.6} ${x - size / 1.6},${height * 0.62 - 5} ${x + size / 1.6},${height * 0.62 - 5}" fill="#2e6b3a"/>`
    }).join('')
    return {sky: ['#a7d8f0', '#e6f5e1'], ground: '#4f8a3c', extras: trees}
  }
  if (/\b(snow|winter|ice|cold|frozen)\b/.test(words)) {
    const flakes = Array.from(
      {length: 40},
      () => `<circle cx="${Math.round(random() * width)}" cy="${Math.round(random() * height)}" r="2" fill="#ffffff"/>`,
    ).join('')
    return {sky: ['#cfe3f5', '#f3f8fc'], ground: '#f7fbff', extras: flakes}
  }
  const clouds = Array.from({length: 3}, () => {
    const x = random() * width
    const y = 40 + random() * height * 0.2
    return `<g fill="#ffffff" opacity="0.9"><circle cx="${x}" cy="${y}" r="18"/><circle cx="${x + 20}" cy="${y - 8}" r="22"/><circle cx="${x + 42}" cy="${y}" r="16"/></g>`
  }).join('')
  return {
    sky: ['#87ceeb', '#e0f4ff'],
    ground: '#7cbf5a',
    extras: `<circle cx="${width * 0.85}" cy="${height * 0.15}" r="${height * 0.07}" fill="#ffd54f"/>${clouds}`,
  }
}

function ears(species: string, fur: string, size: number): string {
  const s = size
  switch (species) {
    case 'fox':
    case 'cat': {
      const inner = species === 'fox' ? '#f4f1ea' : '#f2b8c6'
      return `<polygon points="${-s * 0.75},${-s * 0.55} ${-s * 0.55},${-s * 1.25} ${-s * 0.15},${-s * 0.8}" fill="${fur}"/><polygon points="${s * 0.75},${-s * 0.55} ${s * 0.55},${-s * 1.25} ${s * 0.15},${-s * 0.8}" fill="${fur}"/><polygon points="${-s * 0.6},${-s * 0.65} ${-s * 0.52},${-s * 1.05} ${-s * 0.3},${-s * 0.8}" fill="${inner}"/><polygon points="${s * 0.6},${-s * 0.65} ${s * 0.52},${-s * 1.05} ${s * 0.3},${-s * 0.8}" fill="${inner}"/>`
    }
    case 'rabbit':
      return `<ellipse cx="${-s * 0.35}" cy="${-s * 1.35}" rx="${s * 0.18}" ry="${s * 0.6}" fill="${fur}"/><ellipse cx="${s * 0.35}" cy="${-s * 1.35}" rx="${s * 0.18}" ry="${s * 0.6}" fill="${fur}"/><ellipse cx="${-s * 0.35}" cy="${-s * 1.35}" rx="${s * 0.08}" ry="${s * 0.45}" fill="#f2b8c6"/><ellipse cx="${s * 0.35}" cy="${-s * 1.35}" rx="${s * 0.08}" ry="${s * 0.45}" fill="#f2b8c6"/>`
    case 'bear':
      return `<circle cx="${-s * 0.7}" cy="${-s * 0.7}" r="${s * 0.3}" fill="${fur}"/><circle cx="${s * 0.7}" cy="${-s * 0.7}" r="${s * 0.3}" fill="${fur}"/><circle cx="${-s * 0.7}" cy="${-s * 0.7}" r="${s * 0.15}" fill="#5a3519"/><circle cx="${s * 0.7}" cy="${-s * 0.7}" r="${s * 0.15}" fill="#5a3519"/>`
    case 'dog':
      return `<ellipse cx="${-s * 0.85}" cy="${-s * 0.1}" rx="${s * 0.25}" ry="${s * 0.55}" fill="#5a3519"/><ellipse cx="${s * 0.85}" cy="${-s * 0.1}" rx="${s * 0.25}" ry="${s * 0.55}" fill="#5a3519"/>`
    case 'owl':
      return `<polygon points="${-s * 0.8},${-s * 0.6} ${-s * 0.6},${-s * 1.1} ${-s * 0.35},${-s * 0.75}" fill="${fur}"/><polygon points="${s * 0.8},${-s * 0.6} ${s * 0.6},${-s * 1.1} ${s * 0.35},${-s * 0.75}" fill="${fur}"/>`
    case 'dragon':
      return `<polygon points="${-s * 0.5},${-s * 0.8} ${-s * 0.35},${-s * 1.4} ${-s * 0.15},${-s * 0.9}" fill="#f0ad4e"/><polygon points="${s * 0.5},${-s * 0.8} ${s * 0.35},${-s * 1.4} ${s * 0.15},${-s * 0.9}" fill="#f0ad4e"/>`
    case 'robot':
      return `<line x1="0" y1="${-s}" x2="0" y2="${-s * 1.45}" stroke="#555" stroke-width="3"/><circle cx="0" cy="${-s * 1.5}" r="${s * 0.12}" fill="#e74c3c"/>`
    default:
      return ''
  }
}

function hairFor(species: string, hair: string | undefined, size: number): string {
  if (species !== 'human' || !hair || hair === 'none') return ''
  const colour = HAIR_COLOURS[hair] ?? '#7a4a26'
  return `<path d="M${-size * 0.95} ${-size * 0.1} Q${-size} ${-size * 1.15} 0 ${-size * 1.05} Q${size} ${-size * 1.15} ${size * 0.95} ${-size * 0.1} Q${size * 0.6} ${-size * 0.75} 0 ${-size * 0.7} Q${-size * 0.6} ${-size * 0.75} ${-size * 0.95} ${-size * 0.1}Z" fill="${colour}"/>`
}

function face(species: string, personality: string[], size: number): string {
  const s = size
  const eyes =
    species === 'owl'
      ? `<circle cx="${-s * 0.35}" cy="${-s * 0.1}" r="${s * 0.3}" fill="#fff"/><circle cx="${s * 0.35}" cy="${-s * 0.1}" r="${s * 0.3}" fill="#fff"/><circle cx="${-s * 0.35}" cy="${-s * 0.1}" r="${s * 0.14}" fill="#222"/><circle cx="${s * 0.35}" cy="${-s * 0.1}" r="${s * 0.14}" fill="#222"/>`
      : species === 'robot'
        ? `<rect x="${-s * 0.5}" y="${-s * 0.3}" width="${s * 0.3}" height="${s * 0.2}" fill="#5bc0de"/><rect x="${s * 0.2}" y="${-s * 0.3}" width="${s * 0.3}" height="${s * 0.2}" fill="#5bc0de"/>`
        : `<circle cx="${-s * 0.32}" cy="${-s * 0.15}" r="${s * 0.09}" fill="#222"/><circle cx="${s * 0.32}" cy="${-s * 0.15}" r="${s * 0.09}" fill="#222"/><circle cx="${-s * 0.29}" cy="${-s * 0.18}" r="${s * 0.03}" fill="#fff"/><circle cx="${s * 0.35}" cy="${-s * 0.18}" r="${s * 0.03}" fill="#fff"/>`
  const nose =
    species === 'owl'
      ? `<polygon points="0,${s * 0.05} ${-s * 0.1},${s * 0.25} ${s * 0.1},${s * 0.25}" fill="#f0ad4e"/>`
      : species === 'robot'
        ? ''
        : `<ellipse cx="0" cy="${s * 0.12}" rx="${s * (species === 'human' ? 0.06 : 0.12)}" ry="${s * 0.08}" fill="${species === 'human' ? '#d99a7a' : '#333'}"/>`
  const smileWidth =
    personality.includes('funny') || personality.includes('cheeky') ? 0.4 : personality.includes('shy') ? 0.18 : 0.28
  const mouth =
    species === 'robot'
      ? `<rect x="${-s * 0.3}" y="${s * 0.35}" width="${s * 0.6}" height="${s * 0.08}" fill="#555"/>`
      : `<path d="M${-s * smileWidth} ${s * 0.3} Q0 ${s * (0.3 + smileWidth)} ${s * smileWidth} ${s * 0.3}" stroke="#222" stroke-width="${Math.max(2, s * 0.05)}" fill="${personality.includes('funny') ? '#c0392b' : 'none'}" stroke-linecap="round"/>`
  const brows = personality.includes('brave')
    ? `<line x1="${-s * 0.48}" y1="${-s * 0.42}" x2="${-s * 0.18}" y2="${-s * 0.32}" stroke="#222" stroke-width="3"/><line x1="${s * 0.48}" y1="${-s * 0.42}" x2="${s * 0.18}" y2="${-s * 0.32}" stroke="#222" stroke-width="3"/>`
    : personality.includes('curious')
      ? `<path d="M${-s * 0.48} ${-s * 0.38} Q${-s * 0.33} ${-s * 0.5} ${-s * 0.18} ${-s * 0.38}" stroke="#222" stroke-width="3" fill="none"/>`
      : ''
  const cheeks =
    personality.includes('kind') || personality.includes('gentle') || personality.includes('shy')
      ? `<circle cx="${-s * 0.5}" cy="${s * 0.18}" r="${s * 0.1}" fill="#f19cb1" opacity="0.7"/><circle cx="${s * 0.5}" cy="${s * 0.18}" r="${s * 0.1}" fill="#f19cb1" opacity="0.7"/>`
      : ''
  return eyes + brows + nose + mouth + cheeks
}

function clothing(kind: string | undefined, colour: string, size: number): string {
  const s = size
  switch (kind) {
    case 'cape':
      return `<path d="M${-s * 0.6} ${s * 1.05} L${-s * 1.1} ${s * 2.5} L${s * 1.1} ${s * 2.5} L${s * 0.6} ${s * 1.05}Z" fill="${colour}" opacity="0.9"/>`
    case 'scarf':
      return `<rect x="${-s * 0.6}" y="${s * 0.95}" width="${s * 1.2}" height="${s * 0.22}" rx="${s * 0.1}" fill="${colour}"/><rect x="${s * 0.25}" y="${s * 1.1}" width="${s * 0.22}" height="${s * 0.6}" fill="${colour}"/>`
    case 'dress':
      return `<path d="M${-s * 0.45} ${s * 1.1} L${-s * 0.9} ${s * 2.3} L${s * 0.9} ${s * 2.3} L${s * 0.45} ${s * 1.1}Z" fill="${colour}"/>`
    case 'overalls':
      return `<rect x="${-s * 0.55}" y="${s * 1.5}" width="${s * 1.1}" height="${s * 0.8}" fill="${colour}"/><rect x="${-s * 0.45}" y="${s * 1.1}" width="${s * 0.15}" height="${s * 0.45}" fill="${colour}"/><rect x="${s * 0.3}" y="${s * 1.1}" width="${s * 0.15}" height="${s * 0.45}" fill="${colour}"/>`
    case 'raincoat':
      return `<path d="M${-s * 0.65} ${s * 1.1} L${-s * 0.8} ${s * 2.35} L${s * 0.8} ${s * 2.35} L${s * 0.65} ${s * 1.1}Z" fill="#f7d23e"/><line x1="0" y1="${s * 1.15}" x2="0" y2="${s * 2.3}" stroke="#c9a400" stroke-width="2"/>`
    case 'pyjamas':
      return `<rect x="${-s * 0.6}" y="${s * 1.1}" width="${s * 1.2}" height="${s * 1.2}" rx="${s * 0.2}" fill="${colour}"/>${[0.3, 0.7, 1.1].map((offset) => `<circle cx="${-s * 0.2}" cy="${s * (1.1 + offset)}" r="${s * 0.07}" fill="#fff"/><circle cx="${s * 0.25}" cy="${s * (1.25 + offset)}" r="${s * 0.07}" fill="#fff"/>`).join('')}`
    case 'tshirt':
      return `<path d="M${-s * 0.6} ${s * 1.1} L${-s * 0.95} ${s * 1.45} L${-s * 0.7} ${s * 1.6} L${-s * 0.6} ${s * 1.5} L${-s * 0.6} ${s * 2.1} L${s * 0.6} ${s * 2.1} L${s * 0.6} ${s * 1.5} L${s * 0.7} ${s * 1.6} L${s * 0.95} ${s * 1.45} L${s * 0.6} ${s * 1.1}Z" fill="${colour}"/>`
    default:
      return ''
  }
}

function prop(thing: string | undefined, size: number): string {
  const s = size * 0.35
  const x = size * 1.25
  const y = size * 1.5
  switch (thing) {
    case 'stars':
      return `<polygon transform="translate(${x} ${y})" points="0,${-s} ${s * 0.24},${-s * 0.3} ${s},${-s * 0.3} ${s * 0.38},${s * 0.12} ${s * 0.6},${s * 0.85} 0,${s * 0.4} ${-s * 0.6},${s * 0.85} ${-s * 0.38},${s * 0.12} ${-s},${-s * 0.3} ${-s * 0.24},${-s * 0.3}" fill="#ffd54f" stroke="#c9a400"/>`
    case 'books':
      return `<g transform="translate(${x} ${y})"><rect x="${-s}" y="${-s * 0.7}" width="${s * 2}" height="${s * 1.4}" fill="#4a78c2"/><line x1="0" y1="${-s * 0.7}" x2="0" y2="${s * 0.7}" stroke="#fff" stroke-width="2"/></g>`
    case 'music':
      return `<g transform="translate(${x} ${y})" fill="#333"><circle cx="${-s * 0.4}" cy="${s * 0.6}" r="${s * 0.3}"/><rect x="${-s * 0.15}" y="${-s * 0.9}" width="${s * 0.12}" height="${s * 1.5}"/><path d="M${-s * 0.05} ${-s * 0.9} q ${s * 0.6} ${s * 0.2} ${s * 0.6} ${s * 0.7}" stroke="#333" stroke-width="3" fill="none"/></g>`
    case 'gears':
      return `<g transform="translate(${x} ${y})"><circle r="${s * 0.8}" fill="#8a8f96"/><circle r="${s * 0.3}" fill="#555"/>${Array.from({length: 8}, (_, index) => `<rect x="${-s * 0.12}" y="${-s * 1.05}" width="${s * 0.24}" height="${s * 0.3}" fill="#8a8f96" transform="rotate(${index * 45})"/>`).join('')}</g>`
    case 'flowers':
      return `<g transform="translate(${x} ${y})">${Array.from({length: 5}, (_, index) => `<circle cx="${Math.cos((index * 2 * Math.PI) / 5) * s * 0.5}" cy="${Math.sin((index * 2 * Math.PI) / 5) * s * 0.5}" r="${s * 0.35}" fill="#f19cb1"/>`).join('')}<circle r="${s * 0.3}" fill="#ffd54f"/></g>`
    case 'cake':
      return `<g transform="translate(${x} ${y})"><rect x="${-s}" y="${-s * 0.3}" width="${s * 2}" height="${s}" fill="#f3d9b1"/><rect x="${-s}" y="${-s * 0.45}" width="${s * 2}" height="${s * 0.3}" fill="#f19cb1"/><rect x="${-s * 0.06}" y="${-s}" width="${s * 0.12}" height="${s * 0.55}" fill="#4a78c2"/><circle cy="${-s * 1.08}" r="${s * 0.1}" fill="#f0ad4e"/></g>`
    case 'the sea':
      return `<path transform="translate(${x} ${y})" d="M${-s} 0 q ${s / 2} ${-s / 2} ${s} 0 t ${s} 0" stroke="#2f7fc1" stroke-width="4" fill="none"/>`
    case 'trains':
      return `<g transform="translate(${x} ${y})"><rect x="${-s}" y="${-s * 0.5}" width="${s * 2}" height="${s}" fill="#d9534f"/><rect x="${-s * 0.6}" y="${-s}" width="${s * 0.6}" height="${s * 0.5}" fill="#d9534f"/><circle cx="${-s * 0.5}" cy="${s * 0.6}" r="${s * 0.25}" fill="#333"/><circle cx="${s * 0.5}" cy="${s * 0.6}" r="${s * 0.25}" fill="#333"/></g>`
    default:
      return ''
  }
}

/** One character, centred on (0, 0) = the middle of the head, `size` the head radius. */
export function drawCharacter(character: CharacterSketch, size: number, random: Random): string {
  const {traits} = character
  const species = one(traits, 'species') ?? 'human'
  const hair = one(traits, 'hair')
  const fur: string =
    species === 'human'
      ? '#f2c7a5'
      : hair && hair !== 'none'
        ? (HAIR_COLOURS[hair] ?? '#999')
        : (SPECIES_DEFAULT_COLOUR[species] ?? '#999')
  const personality = many(traits, 'personality')
  const age = one(traits, 'ageGroup') ?? 'child'
  const scale = age === 'baby' ? 0.7 : age === 'child' ? 0.85 : age === 'teen' ? 0.95 : 1
  const clothColour = pick(random, CLOTHING_COLOURS)
  const head =
    species === 'robot'
      ? `<rect x="${-size * 0.9}" y="${-size * 0.9}" width="${size * 1.8}" height="${size * 1.7}" rx="${size * 0.2}" fill="${fur}" stroke="#6c757d" stroke-width="3"/>`
      : `<circle r="${size}" fill="${fur}"/>${species === 'fox' ? `<path d="M${-size * 0.7} ${size * 0.1} Q0 ${size * 1.1} ${size * 0.7} ${size * 0.1} Q0 ${size * 0.5} ${-size * 0.7} ${size * 0.1}Z" fill="#f4f1ea"/>` : ''}`
  const body =
    species === 'robot'
      ? `<rect x="${-size * 0.7}" y="${size * 1.0}" width="${size * 1.4}" height="${size * 1.3}" rx="${size * 0.15}" fill="${fur}" stroke="#6c757d" stroke-width="3"/><circle cx="0" cy="${size * 1.6}" r="${size * 0.15}" fill="#e74c3c"/>`
      : `<ellipse cx="0" cy="${size * 1.65}" rx="${size * 0.7}" ry="${size * 0.75}" fill="${species === 'human' ? '#f2c7a5' : fur}"/>`
  const wings =
    species === 'dragon'
      ? `<path d="M${-size * 0.6} ${size * 1.3} L${-size * 1.8} ${size * 0.6} L${-size * 1.4} ${size * 1.6}Z" fill="#3f7f3f"/><path d="M${size * 0.6} ${size * 1.3} L${size * 1.8} ${size * 0.6} L${size * 1.4} ${size * 1.6}Z" fill="#3f7f3f"/>`
      : species === 'owl'
        ? `<ellipse cx="${-size * 0.75}" cy="${size * 1.6}" rx="${size * 0.25}" ry="${size * 0.6}" fill="#6d5238"/><ellipse cx="${size * 0.75}" cy="${size * 1.6}" rx="${size * 0.25}" ry="${size * 0.6}" fill="#6d5238"/>`
        : ''
  const tail =
    species === 'fox' || species === 'cat' || species === 'dog' || species === 'dragon'
      ? `<path d="M${size * 0.6} ${size * 2.0} Q${size * 1.6} ${size * 1.9} ${size * 1.5} ${size * 1.0}" stroke="${fur}" stroke-width="${size * 0.3}" fill="none" stroke-linecap="round"/>`
      : ''
  const legs = `<rect x="${-size * 0.45}" y="${size * 2.2}" width="${size * 0.3}" height="${size * 0.5}" rx="${size * 0.1}" fill="#555"/><rect x="${size * 0.15}" y="${size * 2.2}" width="${size * 0.3}" height="${size * 0.5}" rx="${size * 0.1}" fill="#555"/>`
  const label = `<text y="${size * 3.15}" text-anchor="middle" font-family="sans-serif" font-size="${Math.max(12, size * 0.4)}" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(character.name)}</text>`
  return `<g transform="scale(${scale})" data-species="${escapeXml(species)}">${tail}${wings}${legs}${body}${clothing(one(traits, 'clothing'), clothColour, size)}${ears(species, fur, size)}${head}${hairFor(species, hair, size)}${face(species, personality, size)}${prop(many(traits, 'favouriteThings')[0], size)}${label}</g>`
}

export function drawIllustration(request: IllustrationRequest): string {
  const {width, height} = request
  const random = seededRandom(request.seed)
  const scene = sceneFor(request.text, random, width, height)
  const cast = request.characters.slice(0, 4)
  const size = Math.min(width / (cast.length * 3.4 + 1), height * 0.11)
  const characters = cast
    .map((character, index) => {
      const x = ((index + 1) * width) / (cast.length + 1)
      const y = height * 0.62 - size * 1.2 + (random() - 0.5) * size * 0.3
      return `<g transform="translate(${x.toFixed(1)} ${y.toFixed(1)})">${drawCharacter(character, size, random)}</g>`
    })
    .join('')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(describeIllustration(request))}">`,
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${scene.sky[0]}"/><stop offset="1" stop-color="${scene.sky[1]}"/></linearGradient></defs>`,
    `<rect width="${width}" height="${height}" fill="url(#sky)"/>`,
    scene.extras,
    `<path d="M0 ${height * 0.7} Q${width / 2} ${height * 0.6} ${width} ${height * 0.7} L${width} ${height} L0 ${height}Z" fill="${scene.ground}"/>`,
    characters,
    '</svg>',
  ].join('')
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
