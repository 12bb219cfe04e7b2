// The backdrops, one per setting: drawn behind the characters (`back`) and, for weather and boats,
// in front of them (`front`). What is drawn follows the page's SceneChoice; where things stand
// may vary with the seed.
import type {Random} from './random.js'
import {indoors} from './scene-indoors.js'
import {
  clouds,
  falling,
  flowers,
  hills,
  lights,
  painter,
  pine,
  roundTree,
  skyColours,
  type Canvas,
} from './scene-parts.js'
import type {SceneChoice, Setting} from './scene-words.js'
import {el, n, points} from './svg.js'

export interface Backdrop {
  /** Gradients the backdrop refers to. */
  defs: string
  back: string
  front: string
  /** Where the characters' feet stand, in pixels from the top. */
  feet: number
}

const skyRect = (canvas: Canvas) => el('rect', {width: canvas.width, height: canvas.height, fill: 'url(#sky)'})

function sky(canvas: Canvas, cloudCount = 3): string {
  return skyRect(canvas) + lights(canvas) + clouds(canvas, cloudCount)
}

/** Ground in the colour of the season: white when it snows. */
const ground = (canvas: Canvas, green: string, snowy = '#f7fbff') =>
  canvas.paint(canvas.choice.weather === 'snow' ? snowy : green)

function snowman(canvas: Canvas, x: number, base: number): string {
  const white = canvas.paint('#ffffff')
  const ball = (y: number, r: number) => el('circle', {cx: x, cy: base - y, r, fill: white, stroke: '#c9d6e0'})
  const nose = points([x, base - 58], [x + 16, base - 55], [x, base - 54])
  const eyes = [-5, 5].map((dx) => el('circle', {cx: x + dx, cy: base - 63, r: 2, fill: '#222222'}))
  return ball(22, 24) + ball(58, 16) + el('polygon', {points: nose, fill: '#f0812e'}) + eyes.join('')
}

function meadow(canvas: Canvas): string {
  const {width, height, random} = canvas
  const treeX = random() < 0.5 ? width * 0.16 : width * 0.84
  return (
    sky(canvas) +
    hills(canvas, height * 0.58, ground(canvas, '#9fd18b', '#dfeaf3')) +
    roundTree(canvas, treeX, height * 0.68, height * 0.28) +
    hills(canvas, height * 0.7, ground(canvas, '#7cbf5a'), 2) +
    flowers(canvas, height * 0.74, 18)
  )
}

function mushroom(canvas: Canvas, x: number, y: number): string {
  return (
    el('rect', {x: x - 3, y: y - 12, width: 6, height: 12, fill: canvas.paint('#f4f1ea')}) +
    el('path', {
      d: `M${n(x - 11)} ${n(y - 11)} Q${n(x)} ${n(y - 28)} ${n(x + 11)} ${n(y - 11)}Z`,
      fill: canvas.paint('#d9534f'),
    })
  )
}

function forest(canvas: Canvas): string {
  const {width, height, random} = canvas
  const far = Array.from({length: 11}, (_, index) => {
    const x = (index + 0.2 + random() * 0.6) * (width / 11)
    return pine(canvas, x, height * 0.62, height * (0.2 + random() * 0.08), '#3f7a4a')
  })
  const near = [0.06, 0.94, 0.2].map((at) => pine(canvas, width * at, height * 0.8, height * 0.32))
  const mushrooms =
    canvas.choice.weather === 'snow' ? [] : [0.03, 0.97].map((at) => mushroom(canvas, width * at, height * 0.95))
  return (
    sky(canvas) +
    hills(canvas, height * 0.6, ground(canvas, '#5c9a48', '#e3eef7')) +
    far.join('') +
    hills(canvas, height * 0.72, ground(canvas, '#4f8a3c'), 2) +
    near.join('') +
    mushrooms.join('')
  )
}

function tower(canvas: Canvas, x: number, base: number, width: number, height: number): string {
  const top = base - height
  const roofTop = top - width * 1.1
  const flagTop = top - width * 1.5
  const windowColour = canvas.choice.time === 'night' ? '#ffd54f' : canvas.paint('#3b3b4f')
  return (
    el('rect', {x: x - width / 2, y: top, width, height, fill: canvas.paint('#b8b2a7')}) +
    el('polygon', {
      points: points([x - width * 0.62, top], [x, roofTop], [x + width * 0.62, top]),
      fill: canvas.paint('#c0504d'),
    }) +
    el('path', {d: `M${n(x)} ${n(roofTop)} L${n(x)} ${n(flagTop)}`, stroke: '#555555', 'stroke-width': 2}) +
    el('polygon', {
      points: points([x, flagTop], [x + 18, flagTop + width * 0.1], [x, flagTop + width * 0.2]),
      fill: '#f0ad4e',
    }) +
    el('rect', {x: x - 5, y: top + height * 0.25, width: 10, height: 16, rx: 5, fill: windowColour})
  )
}

function castle(canvas: Canvas): string {
  const {width, height} = canvas
  const base = height * 0.6
  const stone = canvas.paint('#cfc9bd')
  const wallTop = base - height * 0.16
  const battlements = Array.from({length: 9}, (_, index) =>
    el('rect', {x: width * (0.3 + index * 0.05), y: wallTop - 10, width: width * 0.025, height: 10, fill: stone}),
  )
  const [left, middle, right] = [0.46, 0.5, 0.54].map((at) => n(width * at))
  const gate = `M${left} ${n(base)} L${left} ${n(base - 34)} Q${middle} ${n(base - 56)} ${right} ${n(base - 34)} L${right} ${n(base)}Z`
  const path = `M${left} ${n(base)} L${n(width * 0.3)} ${height} L${n(width * 0.7)} ${height} L${right} ${n(base)}Z`
  return (
    sky(canvas) +
    hills(canvas, height * 0.62, ground(canvas, '#8cc56e', '#eef4f9'), 2) +
    tower(canvas, width * 0.28, base, width * 0.08, height * 0.3) +
    tower(canvas, width * 0.72, base, width * 0.08, height * 0.3) +
    tower(canvas, width * 0.5, wallTop, width * 0.1, height * 0.18) +
    el('rect', {x: width * 0.3, y: wallTop, width: width * 0.4, height: base - wallTop, fill: stone}) +
    battlements.join('') +
    el('path', {d: gate, fill: canvas.paint('#6b4423')}) +
    hills(canvas, height * 0.72, ground(canvas, '#7cbf5a'), 2) +
    el('path', {d: path, fill: ground(canvas, '#d8c39a', '#e6e1d6')})
  )
}

function mountains(canvas: Canvas): string {
  const {width, height, random} = canvas
  const base = height * 0.66
  const peaks = [0.2, 0.5, 0.8].map((at, index) => {
    const x = width * at + (random() - 0.5) * 40
    const top = height * (0.12 + random() * 0.1)
    const half = width * (0.24 - index * 0.02)
    const capBottom = top + (base - top) * 0.28
    const capHalf = (half * (capBottom - top)) / (base - top)
    const rock = canvas.paint(index === 1 ? '#7b8da3' : '#93a4b8')
    return (
      el('polygon', {points: points([x, top], [x - half, base], [x + half, base]), fill: rock}) +
      el('polygon', {
        points: points([x, top], [x - capHalf, capBottom], [x + capHalf, capBottom]),
        fill: canvas.paint('#ffffff'),
      })
    )
  })
  return (
    sky(canvas) +
    peaks.join('') +
    hills(canvas, height * 0.7, ground(canvas, '#7fb069'), 2) +
    pine(canvas, width * 0.08, height * 0.8, height * 0.25) +
    pine(canvas, width * 0.93, height * 0.82, height * 0.22)
  )
}

function snowfield(canvas: Canvas): string {
  const {width, height, random} = canvas
  const pines = [0.12, 0.22, 0.82].map((at) => pine(canvas, width * at, height * 0.66, height * (0.2 + random() * 0.1)))
  return (
    sky(canvas) +
    hills(canvas, height * 0.6, canvas.paint('#e3eef7')) +
    pines.join('') +
    hills(canvas, height * 0.72, canvas.paint('#f7fbff'), 2) +
    snowman(canvas, width * (random() < 0.5 ? 0.1 : 0.9), height * 0.9)
  )
}

/** Rows of waves across the water, `count` of them from `top` down. */
function waves(canvas: Canvas, top: number, count: number): string {
  const step = n(canvas.width / 8)
  const crest = ` q${n(canvas.width / 16)} -8 ${step} 0` + ` t${step} 0`.repeat(7)
  const rows = Array.from({length: count}, (_, index) => `M0 ${n(top + index * 22)}${crest}`)
  return el('path', {d: rows.join(' '), stroke: canvas.paint('#bfe6ff'), 'stroke-width': 3, fill: 'none', opacity: 0.6})
}

/** The moon's path on the water at night; gulls by day. */
function seaLights(canvas: Canvas, horizon: number): string {
  const {width, choice} = canvas
  if (choice.time === 'night') {
    const glitter = [
      [0.74, 10, 0.08],
      [0.72, 30, 0.12],
      [0.75, 52, 0.06],
    ].map(([x = 0, dy = 0, length = 0]) => `M${n(width * x)} ${n(horizon + dy)} h${n(width * length)}`)
    return el('path', {d: glitter.join(' '), stroke: '#f6f0c4', 'stroke-width': 4, opacity: 0.7})
  }
  if (choice.time !== 'day' || choice.weather !== 'clear') return ''
  const gulls = `M${n(width * 0.2)} 90 q8 -8 16 0 q8 -8 16 0 M${n(width * 0.3)} 70 q6 -6 12 0 q6 -6 12 0`
  return el('path', {d: gulls, stroke: '#44505a', 'stroke-width': 2, fill: 'none'})
}

function sailboatFarAway(canvas: Canvas, horizon: number): string {
  const x = canvas.width * (0.15 + canvas.random() * 0.2)
  const hull = el('path', {d: 'M-16 0 L16 0 L11 7 L-11 7Z', fill: canvas.paint('#8d5a3b')})
  const sail = el('polygon', {points: '0,-2 0,-32 14,-4', fill: canvas.paint('#ffffff')})
  return el('g', {transform: `translate(${n(x)} ${n(horizon - 4)})`}, hull + sail)
}

function sea(canvas: Canvas): {back: string; front: string} {
  const {width, height, choice} = canvas
  const horizon = height * 0.55
  const water = el('rect', {y: horizon, width, height: height - horizon, fill: canvas.paint('#2f7fc1')})
  const base = sky(canvas, 2) + water + seaLights(canvas, horizon) + waves(canvas, horizon + 18, 5)
  if (choice.boat) return {back: base + boatBack(canvas), front: boatFront(canvas)}
  const beach = hills(canvas, height * 0.76, canvas.paint('#f3dd9b'), 2)
  const shells = [0.15, 0.85].map((at) =>
    el('circle', {cx: width * at, cy: height * 0.94, r: 6, fill: canvas.paint('#f7c6b5')}),
  )
  return {back: base + sailboatFarAway(canvas, horizon) + beach + shells.join(''), front: ''}
}

/** The mast and sail stand behind the characters; the hull they sit in is drawn in front. */
function boatBack(canvas: Canvas): string {
  const {width, height} = canvas
  const mast = width * 0.5
  const sail = points([mast + 6, height * 0.2], [mast + 6, height * 0.6], [mast + width * 0.3, height * 0.6])
  return (
    el('path', {
      d: `M${n(mast)} ${n(height * 0.86)} L${n(mast)} ${n(height * 0.18)}`,
      stroke: canvas.paint('#6b4423'),
      'stroke-width': 6,
    }) + el('polygon', {points: sail, fill: canvas.paint('#fdf6e3')})
  )
}

function boatFront(canvas: Canvas): string {
  const {width, height} = canvas
  const top = n(height * 0.83)
  const [left, right] = [n(width * 0.06), n(width * 0.94)]
  const hull = `M${left} ${top} L${right} ${top} L${n(width * 0.84)} ${n(height * 0.97)} L${n(width * 0.16)} ${n(height * 0.97)}Z`
  const quarter = n(width / 4)
  const water =
    `M0 ${n(height * 0.95)} q${n(width / 8)} -10 ${quarter} 0` +
    ` t${quarter} 0`.repeat(3) +
    ` L${width} ${height} L0 ${height}Z`
  return (
    el('path', {d: hull, fill: canvas.paint('#a0522d')}) +
    el('path', {d: `M${left} ${top} L${right} ${top}`, stroke: canvas.paint('#6b3a1e'), 'stroke-width': 8}) +
    el('path', {d: water, fill: canvas.paint('#2f7fc1')})
  )
}

const OUTDOORS: Record<Exclude<Setting, 'sea' | 'indoors'>, (canvas: Canvas) => string> = {
  meadow,
  forest,
  castle,
  mountains,
  snow: snowfield,
}

function scene(canvas: Canvas): {back: string; front: string} {
  const {setting} = canvas.choice
  if (setting === 'sea') return sea(canvas)
  if (setting === 'indoors') return {back: indoors(canvas), front: ''}
  return {back: OUTDOORS[setting](canvas), front: ''}
}

export function drawBackdrop(choice: SceneChoice, random: Random, width: number, height: number): Backdrop {
  const canvas: Canvas = {width, height, random, choice, paint: painter(choice)}
  const [top, bottom] = skyColours(choice)
  const stops = el('stop', {offset: 0, 'stop-color': top}) + el('stop', {offset: 1, 'stop-color': bottom})
  const defs = el('linearGradient', {id: 'sky', x1: 0, y1: 0, x2: 0, y2: 1}, stops)
  const {back, front} = scene(canvas)
  // Indoors the weather shows through the window only.
  const weather = choice.setting === 'indoors' ? '' : falling(canvas)
  return {defs, back, front: front + weather, feet: height * 0.86}
}
