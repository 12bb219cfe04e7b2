// The pieces scenes are built from: sky and light for the time of day, hills, trees, clouds and
// falling weather. Colours are written for a clear day and tinted for evening and night.
import {mix} from './colour.js'
import type {Random} from './random.js'
import type {SceneChoice, TimeOfDay} from './scene-words.js'
import {el, n, points} from './svg.js'

export interface Canvas {
  width: number
  height: number
  random: Random
  /** The day colour as it looks at this scene's time and weather. */
  paint: (colour: string) => string
  choice: SceneChoice
}

export interface Box {
  left: number
  top: number
  width: number
  height: number
}

const SKIES: Record<TimeOfDay, [string, string]> = {
  day: ['#87ceeb', '#e0f4ff'],
  evening: ['#5b4b8a', '#f6a86b'],
  night: ['#0d1b3d', '#31407a'],
}

export function painter(choice: SceneChoice): (colour: string) => string {
  const {time, weather} = choice
  return (colour) => {
    const weathered = weather === 'rain' ? mix(colour, '#7d8791', 0.3) : colour
    if (time === 'night') return mix(weathered, '#0d1b3d', 0.55)
    if (time === 'evening') return mix(weathered, '#c0603a', 0.22)
    return weathered
  }
}

export function skyColours(choice: SceneChoice): [string, string] {
  const [top, bottom] = SKIES[choice.time]
  if (choice.weather === 'rain') return [mix(top, '#6b7680', 0.6), mix(bottom, '#9aa4ad', 0.6)]
  if (choice.weather === 'snow' && choice.time === 'day') return ['#b9d3ea', '#eef5fb']
  return [top, bottom]
}

const whole = (canvas: Canvas): Box => ({left: 0, top: 0, width: canvas.width, height: canvas.height})

function stars(random: Random, count: number, box: Box): string {
  const dots = Array.from({length: count}, () =>
    el('circle', {cx: box.left + random() * box.width, cy: box.top + random() * box.height, r: 0.8 + random() * 1.6}),
  )
  return el('g', {fill: '#fff8c4'}, dots.join(''))
}

/** The sun, the evening sun low on the horizon, or the moon and stars, inside the given box. */
export function lights(canvas: Canvas, box: Box = whole(canvas)): string {
  const {choice} = canvas
  const size = Math.min(box.width, box.height)
  const at = (x: number, y: number) => ({cx: box.left + box.width * x, cy: box.top + box.height * y})
  if (choice.weather === 'rain') return ''
  if (choice.time === 'night') {
    const sky = {...box, height: box.height * 0.5}
    return stars(canvas.random, 26, sky) + el('circle', {...at(0.78, 0.2), r: size * 0.08, fill: '#f6f0c4'})
  }
  if (choice.time === 'evening') return el('circle', {...at(0.7, 0.5), r: size * 0.1, fill: '#ffb347'})
  if (choice.weather === 'snow') return ''
  return el('circle', {...at(0.85, 0.15), r: size * 0.07, fill: '#ffd54f'})
}

export function clouds(canvas: Canvas, count: number): string {
  const {random, width, height, choice} = canvas
  if (choice.time === 'night' && choice.weather === 'clear') return ''
  const colour = choice.weather === 'rain' ? '#6f7a84' : canvas.paint('#ffffff')
  const puffs = Array.from({length: count}, () => {
    const x = random() * width * 0.9
    const y = 30 + random() * height * 0.18
    return (
      el('circle', {cx: x, cy: y, r: 18}) +
      el('circle', {cx: x + 20, cy: y - 8, r: 22}) +
      el('circle', {cx: x + 42, cy: y, r: 16})
    )
  })
  return el('g', {fill: colour, opacity: 0.9}, puffs.join(''))
}

/** A rolling band of land from `top` to the bottom of the picture. */
export function hills(canvas: Canvas, top: number, colour: string, bumps = 3): string {
  const {width, height, random} = canvas
  const step = width / bumps
  let path = `M0 ${n(top)}`
  for (let index = 0; index < bumps; index++) {
    const peak = top - 15 - random() * 35
    path += ` Q${n(step * index + step / 2)} ${n(peak)} ${n(step * (index + 1))} ${n(top)}`
  }
  return el('path', {d: `${path} L${width} ${height} L0 ${height}Z`, fill: colour})
}

export function pine(canvas: Canvas, x: number, base: number, size: number, colour = '#2e6b3a'): string {
  const snowy = canvas.choice.weather === 'snow'
  const trunk = el('rect', {
    x: x - size * 0.08,
    y: base - size * 0.3,
    width: size * 0.16,
    height: size * 0.3,
    fill: canvas.paint('#6b4423'),
  })
  const tiers = [0, 1, 2].map((tier) => {
    const bottom = base - size * 0.2 - tier * size * 0.45
    const half = size * (0.55 - tier * 0.12)
    const top = bottom - size * 0.7
    const cap = el('polygon', {
      points: points([x, top], [x - half * 0.4, top + size * 0.28], [x + half * 0.4, top + size * 0.28]),
      fill: '#ffffff',
    })
    const tree = el('polygon', {
      points: points([x, top], [x - half, bottom], [x + half, bottom]),
      fill: canvas.paint(colour),
    })
    return tree + (snowy ? cap : '')
  })
  return trunk + tiers.join('')
}

export function roundTree(canvas: Canvas, x: number, base: number, size: number): string {
  const leaves = canvas.choice.weather === 'snow' ? '#e8f0f5' : '#4f9a45'
  const crown = [
    [0, -size * 1.05, size * 0.45],
    [-size * 0.32, -size * 0.8, size * 0.35],
    [size * 0.32, -size * 0.8, size * 0.35],
  ].map(([dx = 0, dy = 0, r = 0]) => el('circle', {cx: x + dx, cy: base + dy, r}))
  const trunk = el('rect', {
    x: x - size * 0.09,
    y: base - size * 0.7,
    width: size * 0.18,
    height: size * 0.7,
    fill: canvas.paint('#6b4423'),
  })
  return trunk + el('g', {fill: canvas.paint(leaves)}, crown.join(''))
}

/** Small flowers over the foreground, or fireflies at night. */
export function flowers(canvas: Canvas, top: number, count: number): string {
  const {random, width, height, choice} = canvas
  if (choice.weather === 'snow') return ''
  const spots = Array.from({length: count}, () => [random() * width, top + random() * (height - top)] as const)
  if (choice.time === 'night') {
    const fireflies = spots.map(([x, y]) => el('circle', {cx: x, cy: y - 60, r: 2.5}))
    return el('g', {fill: '#fff59d', opacity: 0.85}, fireflies.join(''))
  }
  const colours = ['#f19cb1', '#ffd54f', '#ffffff', '#b39ddb']
  return spots
    .map(([x, y]) =>
      el('circle', {cx: x, cy: y, r: 4, fill: canvas.paint(colours[Math.floor(random() * 4)] ?? '#ffffff')}),
    )
    .join('')
}

/** Rain or snow falling in front of everything, within the given box. */
export function falling(canvas: Canvas, box: Box = whole(canvas)): string {
  const {random, choice} = canvas
  const count = Math.round((box.width * box.height) / 9000)
  // Kept inside the box, so that seen through a window nothing falls across its frame.
  const at = () => [box.left + 4 + random() * (box.width - 8), box.top + random() * (box.height - 12)] as const
  if (choice.weather === 'snow') {
    const flakes = Array.from({length: count}, () => {
      const [x, y] = at()
      return el('circle', {cx: x, cy: y, r: 1.5 + random() * 2})
    })
    return el('g', {fill: '#ffffff', opacity: 0.9}, flakes.join(''))
  }
  if (choice.weather === 'rain') {
    const drops = Array.from({length: count}, () => {
      const [x, y] = at()
      return `M${n(x)} ${n(y)} l-4 12`
    })
    return el('path', {
      d: drops.join(' '),
      stroke: '#dbe7f0',
      'stroke-width': 1.6,
      opacity: 0.8,
      'stroke-linecap': 'round',
    })
  }
  return ''
}
