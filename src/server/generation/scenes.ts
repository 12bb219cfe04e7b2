// The backdrops, one per setting: drawn behind the characters (`back`) and, for weather and boats,
// in front of them (`front`). What is drawn follows the page's SceneChoice; where things stand
// may vary with the seed.
import {
  clouds,
  falling,
  flowers,
  hills,
  lights,
  n,
  painter,
  pine,
  roundTree,
  skyColours,
  type Canvas,
} from './scene-parts.js'
import type {Random} from './random.js'
import {indoors} from './scene-indoors.js'
import type {SceneChoice, Setting} from './scene-words.js'

export interface Backdrop {
  /** Gradients the backdrop refers to. */
  defs: string
  back: string
  front: string
  /** Where the characters' feet stand, in pixels from the top. */
  feet: number
}

function sky(canvas: Canvas): string {
  return `<rect width="${canvas.width}" height="${canvas.height}" fill="url(#sky)"/>${lights(canvas)}${clouds(canvas, 3)}`
}

function snowman(canvas: Canvas, x: number, base: number): string {
  const white = canvas.paint('#ffffff')
  return (
    `<circle cx="${n(x)}" cy="${n(base - 22)}" r="24" fill="${white}" stroke="#c9d6e0"/>` +
    `<circle cx="${n(x)}" cy="${n(base - 58)}" r="16" fill="${white}" stroke="#c9d6e0"/>` +
    `<polygon points="${n(x)},${n(base - 58)} ${n(x + 16)},${n(base - 55)} ${n(x)},${n(base - 54)}" fill="#f0812e"/>` +
    `<circle cx="${n(x - 5)}" cy="${n(base - 63)}" r="2" fill="#222222"/><circle cx="${n(x + 5)}" cy="${n(base - 63)}" r="2" fill="#222222"/>`
  )
}

function meadow(canvas: Canvas): string {
  const {width, height, random, choice} = canvas
  const snowy = choice.weather === 'snow'
  const treeX = random() < 0.5 ? width * 0.12 : width * 0.88
  return (
    sky(canvas) +
    hills(canvas, height * 0.58, canvas.paint(snowy ? '#dfeaf3' : '#9fd18b')) +
    roundTree(canvas, treeX, height * 0.68, height * 0.28) +
    hills(canvas, height * 0.7, canvas.paint(snowy ? '#f7fbff' : '#7cbf5a'), 2) +
    flowers(canvas, height * 0.74, 18)
  )
}

function forest(canvas: Canvas): string {
  const {width, height, random, choice} = canvas
  const snowy = choice.weather === 'snow'
  const far = Array.from({length: 11}, (_, index) =>
    pine(
      canvas,
      (index + 0.2 + random() * 0.6) * (width / 11),
      height * 0.62,
      height * (0.2 + random() * 0.08),
      '#3f7a4a',
    ),
  ).join('')
  const near = [0.06, 0.94, 0.2].map((at) => pine(canvas, width * at, height * 0.8, height * 0.32)).join('')
  const mushrooms = snowy
    ? []
    : [0.03, 0.97].map((at) => {
        const x = width * at
        const y = height * 0.95
        return `<rect x="${n(x - 3)}" y="${n(y - 12)}" width="6" height="12" fill="${canvas.paint('#f4f1ea')}"/><path d="M${n(x - 11)} ${n(y - 11)} Q${n(x)} ${n(y - 28)} ${n(x + 11)} ${n(y - 11)}Z" fill="${canvas.paint('#d9534f')}"/>`
      })
  return (
    sky(canvas) +
    hills(canvas, height * 0.6, canvas.paint(snowy ? '#e3eef7' : '#5c9a48')) +
    far +
    hills(canvas, height * 0.72, canvas.paint(snowy ? '#f7fbff' : '#4f8a3c'), 2) +
    near +
    mushrooms.join('')
  )
}

function tower(canvas: Canvas, x: number, base: number, width: number, height: number): string {
  const stone = canvas.paint('#b8b2a7')
  const roof = canvas.paint('#c0504d')
  const window = canvas.choice.time === 'night' ? '#ffd54f' : canvas.paint('#3b3b4f')
  const top = base - height
  return (
    `<rect x="${n(x - width / 2)}" y="${n(top)}" width="${n(width)}" height="${n(height)}" fill="${stone}"/>` +
    `<polygon points="${n(x - width * 0.62)},${n(top)} ${n(x)},${n(top - width * 1.1)} ${n(x + width * 0.62)},${n(top)}" fill="${roof}"/>` +
    `<path d="M${n(x)} ${n(top - width * 1.1)} L${n(x)} ${n(top - width * 1.5)}" stroke="#555555" stroke-width="2"/>` +
    `<polygon points="${n(x)},${n(top - width * 1.5)} ${n(x + 18)},${n(top - width * 1.4)} ${n(x)},${n(top - width * 1.3)}" fill="#f0ad4e"/>` +
    `<rect x="${n(x - 5)}" y="${n(top + height * 0.25)}" width="10" height="16" rx="5" fill="${window}"/>`
  )
}

function castle(canvas: Canvas): string {
  const {width, height, choice} = canvas
  const base = height * 0.6
  const stone = canvas.paint('#cfc9bd')
  const wallTop = base - height * 0.16
  const battlements = Array.from(
    {length: 9},
    (_, index) =>
      `<rect x="${n(width * 0.3 + index * width * 0.05)}" y="${n(wallTop - 10)}" width="${n(width * 0.025)}" height="10" fill="${stone}"/>`,
  ).join('')
  const gate = `<path d="M${n(width * 0.46)} ${n(base)} L${n(width * 0.46)} ${n(base - 34)} Q${n(width * 0.5)} ${n(base - 56)} ${n(width * 0.54)} ${n(base - 34)} L${n(width * 0.54)} ${n(base)}Z" fill="${canvas.paint('#6b4423')}"/>`
  const path = `<path d="M${n(width * 0.46)} ${n(base)} L${n(width * 0.3)} ${height} L${n(width * 0.7)} ${height} L${n(width * 0.54)} ${n(base)}Z" fill="${canvas.paint(choice.weather === 'snow' ? '#e6e1d6' : '#d8c39a')}"/>`
  return (
    sky(canvas) +
    hills(canvas, height * 0.62, canvas.paint(choice.weather === 'snow' ? '#eef4f9' : '#8cc56e'), 2) +
    tower(canvas, width * 0.28, base, width * 0.08, height * 0.3) +
    tower(canvas, width * 0.72, base, width * 0.08, height * 0.3) +
    tower(canvas, width * 0.5, wallTop, width * 0.1, height * 0.18) +
    `<rect x="${n(width * 0.3)}" y="${n(wallTop)}" width="${n(width * 0.4)}" height="${n(base - wallTop)}" fill="${stone}"/>` +
    battlements +
    gate +
    hills(canvas, height * 0.72, canvas.paint(choice.weather === 'snow' ? '#f7fbff' : '#7cbf5a'), 2) +
    path
  )
}

function mountains(canvas: Canvas): string {
  const {width, height, random, choice} = canvas
  const peaks = [0.2, 0.5, 0.8]
    .map((at, index) => {
      const x = width * at + (random() - 0.5) * 40
      const top = height * (0.12 + random() * 0.1)
      const base = height * 0.66
      const half = width * (0.24 - index * 0.02)
      const cap = top + (base - top) * 0.28
      const capHalf = (half * (cap - top)) / (base - top)
      return (
        `<polygon points="${n(x)},${n(top)} ${n(x - half)},${n(base)} ${n(x + half)},${n(base)}" fill="${canvas.paint(index === 1 ? '#7b8da3' : '#93a4b8')}"/>` +
        `<polygon points="${n(x)},${n(top)} ${n(x - capHalf)},${n(cap)} ${n(x + capHalf)},${n(cap)}" fill="${canvas.paint('#ffffff')}"/>`
      )
    })
    .join('')
  return (
    sky(canvas) +
    peaks +
    hills(canvas, height * 0.7, canvas.paint(choice.weather === 'snow' ? '#f7fbff' : '#7fb069'), 2) +
    pine(canvas, width * 0.08, height * 0.8, height * 0.25) +
    pine(canvas, width * 0.93, height * 0.82, height * 0.22)
  )
}

function snowfield(canvas: Canvas): string {
  const {width, height, random} = canvas
  return (
    sky(canvas) +
    hills(canvas, height * 0.6, canvas.paint('#e3eef7')) +
    [0.12, 0.22, 0.82].map((at) => pine(canvas, width * at, height * 0.66, height * (0.2 + random() * 0.1))).join('') +
    hills(canvas, height * 0.72, canvas.paint('#f7fbff'), 2) +
    snowman(canvas, width * (random() < 0.5 ? 0.1 : 0.9), height * 0.9)
  )
}

function sea(canvas: Canvas): {back: string; front: string} {
  const {width, height, choice, random} = canvas
  const horizon = height * 0.55
  const water = canvas.paint('#2f7fc1')
  const waves = Array.from(
    {length: 5},
    (_, index) =>
      `<path d="M0 ${n(horizon + 18 + index * 22)} q${n(width / 16)} -8 ${n(width / 8)} 0 t${n(width / 8)} 0 t${n(width / 8)} 0 t${n(width / 8)} 0 t${n(width / 8)} 0 t${n(width / 8)} 0 t${n(width / 8)} 0 t${n(width / 8)} 0" stroke="${canvas.paint('#bfe6ff')}" stroke-width="3" fill="none" opacity="0.6"/>`,
  ).join('')
  const shimmer =
    choice.time === 'night'
      ? `<path d="M${n(width * 0.74)} ${n(horizon + 10)} h${n(width * 0.08)} M${n(width * 0.72)} ${n(horizon + 30)} h${n(width * 0.12)} M${n(width * 0.75)} ${n(horizon + 52)} h${n(width * 0.06)}" stroke="#f6f0c4" stroke-width="4" opacity="0.7"/>`
      : choice.time === 'day' && choice.weather === 'clear'
        ? `<path d="M${n(width * 0.2)} 90 q8 -8 16 0 q8 -8 16 0 M${n(width * 0.3)} 70 q6 -6 12 0 q6 -6 12 0" stroke="#44505a" stroke-width="2" fill="none"/>`
        : ''
  const sail = `<g transform="translate(${n(width * (0.15 + random() * 0.2))} ${n(horizon - 4)})"><path d="M-16 0 L16 0 L11 7 L-11 7Z" fill="${canvas.paint('#8d5a3b')}"/><polygon points="0,-2 0,-32 14,-4" fill="${canvas.paint('#ffffff')}"/></g>`
  const base = `<rect width="${width}" height="${height}" fill="url(#sky)"/>${lights(canvas)}${clouds(canvas, 2)}<rect y="${n(horizon)}" width="${width}" height="${n(height - horizon)}" fill="${water}"/>${shimmer}${waves}`
  if (choice.boat) return {back: base + boatBack(canvas), front: boatFront(canvas)}
  const beach = hills(canvas, height * 0.76, canvas.paint('#f3dd9b'), 2)
  const shells = [0.15, 0.85]
    .map((at) => `<circle cx="${n(width * at)}" cy="${n(height * 0.94)}" r="6" fill="${canvas.paint('#f7c6b5')}"/>`)
    .join('')
  return {back: base + sail + beach + shells, front: ''}
}

/** The mast and sail stand behind the characters; the hull they sit in is drawn in front. */
function boatBack(canvas: Canvas): string {
  const {width, height} = canvas
  const mast = width * 0.5
  return `<path d="M${n(mast)} ${n(height * 0.86)} L${n(mast)} ${n(height * 0.18)}" stroke="${canvas.paint('#6b4423')}" stroke-width="6"/><polygon points="${n(mast + 6)},${n(height * 0.2)} ${n(mast + 6)},${n(height * 0.6)} ${n(mast + width * 0.3)},${n(height * 0.6)}" fill="${canvas.paint('#fdf6e3')}"/>`
}

function boatFront(canvas: Canvas): string {
  const {width, height} = canvas
  const top = height * 0.83
  return `<path d="M${n(width * 0.06)} ${n(top)} L${n(width * 0.94)} ${n(top)} L${n(width * 0.84)} ${n(height * 0.97)} L${n(width * 0.16)} ${n(height * 0.97)}Z" fill="${canvas.paint('#a0522d')}"/><path d="M${n(width * 0.06)} ${n(top)} L${n(width * 0.94)} ${n(top)}" stroke="${canvas.paint('#6b3a1e')}" stroke-width="8"/><path d="M0 ${n(height * 0.95)} q${n(width / 8)} -10 ${n(width / 4)} 0 t${n(width / 4)} 0 t${n(width / 4)} 0 t${n(width / 4)} 0 L${width} ${height} L0 ${height}Z" fill="${canvas.paint('#2f7fc1')}"/>`
}

export function drawBackdrop(choice: SceneChoice, random: Random, width: number, height: number): Backdrop {
  const canvas: Canvas = {width, height, random, choice, paint: painter(choice)}
  const [top, bottom] = skyColours(choice)
  const defs = `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient>`
  const outdoors: Record<Exclude<Setting, 'sea' | 'indoors'>, (canvas: Canvas) => string> = {
    meadow,
    forest,
    castle,
    mountains,
    snow: snowfield,
  }
  let scene: {back: string; front: string}
  if (choice.setting === 'sea') scene = sea(canvas)
  else if (choice.setting === 'indoors') scene = {back: indoors(canvas), front: ''}
  else scene = {back: outdoors[choice.setting](canvas), front: ''}
  const weather = choice.setting === 'indoors' ? '' : falling(canvas)
  return {defs, back: scene.back, front: scene.front + weather, feet: height * 0.86}
}
