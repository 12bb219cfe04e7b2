// The indoor scene: a room (bedroom, kitchen, library or living room) with a window that shows
// the time of day and the weather outside, and a lamp that glows at night.
import {mix} from './colour.js'
import {falling, lights, n, type Canvas} from './scene-parts.js'
import type {Room} from './scene-words.js'

const WALLS: Record<Room, string> = {
  bedroom: '#cfe0f5',
  kitchen: '#fbe7b5',
  library: '#e8d7c3',
  'living-room': '#f3d9c6',
}

/** Indoors the light is the lamp's: night dims the room only a little, not to the sky's dark blue. */
function roomPaint(canvas: Canvas): (colour: string) => string {
  const {time} = canvas.choice
  return (colour) =>
    time === 'night' ? mix(colour, '#2a3155', 0.35) : time === 'evening' ? mix(colour, '#e08a50', 0.15) : colour
}

function windowView(canvas: Canvas, paint: (colour: string) => string): string {
  const {width, height} = canvas
  const box = {left: width * 0.08, top: height * 0.12, width: width * 0.24, height: height * 0.3}
  const outside = {...canvas, width: box.width, height: box.height}
  const glass = `<rect x="${n(box.left)}" y="${n(box.top)}" width="${n(box.width)}" height="${n(box.height)}" fill="url(#sky)"/>`
  const frame = `<rect x="${n(box.left)}" y="${n(box.top)}" width="${n(box.width)}" height="${n(box.height)}" fill="none" stroke="#ffffff" stroke-width="8"/><path d="M${n(box.left + box.width / 2)} ${n(box.top)} V${n(box.top + box.height)} M${n(box.left)} ${n(box.top + box.height / 2)} H${n(box.left + box.width)}" stroke="#ffffff" stroke-width="5"/>`
  const curtain = paint('#c0504d')
  const curtains = `<path d="M${n(box.left - 18)} ${n(box.top - 12)} h30 q-8 ${n(box.height * 0.6)} 6 ${n(box.height + 24)} h-36Z" fill="${curtain}"/><path d="M${n(box.left + box.width + 18)} ${n(box.top - 12)} h-30 q8 ${n(box.height * 0.6)} -6 ${n(box.height + 24)} h36Z" fill="${curtain}"/>`
  return glass + lights(outside, box) + falling(canvas, box) + frame + curtains
}

function bed(paint: (colour: string) => string, x: number, floor: number, size: number): string {
  return (
    `<rect x="${n(x)}" y="${n(floor - size * 0.55)}" width="${n(size * 0.12)}" height="${n(size * 0.55)}" fill="${paint('#8d5a3b')}"/>` +
    `<rect x="${n(x)}" y="${n(floor - size * 0.3)}" width="${n(size * 1.1)}" height="${n(size * 0.2)}" fill="${paint('#8d5a3b')}"/>` +
    `<rect x="${n(x + size * 0.1)}" y="${n(floor - size * 0.42)}" width="${n(size)}" height="${n(size * 0.14)}" rx="6" fill="${paint('#7fa7d9')}"/>` +
    `<ellipse cx="${n(x + size * 0.25)}" cy="${n(floor - size * 0.45)}" rx="${n(size * 0.14)}" ry="${n(size * 0.06)}" fill="${paint('#ffffff')}"/>`
  )
}

function kitchen(paint: (colour: string) => string, x: number, floor: number, size: number): string {
  return (
    `<rect x="${n(x)}" y="${n(floor - size * 0.45)}" width="${n(size * 0.7)}" height="${n(size * 0.45)}" fill="${paint('#9aa3ab')}"/>` +
    `<rect x="${n(x + size * 0.08)}" y="${n(floor - size * 0.35)}" width="${n(size * 0.54)}" height="${n(size * 0.26)}" rx="4" fill="${paint('#3b3b4f')}"/>` +
    `<rect x="${n(x + size * 0.15)}" y="${n(floor - size * 0.6)}" width="${n(size * 0.36)}" height="${n(size * 0.15)}" rx="4" fill="${paint('#d9534f')}"/>` +
    `<rect x="${n(x - size * 0.62)}" y="${n(floor - size * 0.32)}" width="${n(size * 0.5)}" height="${n(size * 0.05)}" fill="${paint('#a0522d')}"/>` +
    `<path d="M${n(x - size * 0.58)} ${n(floor - size * 0.27)} V${n(floor)} M${n(x - size * 0.16)} ${n(floor - size * 0.27)} V${n(floor)}" stroke="${paint('#a0522d')}" stroke-width="5"/>`
  )
}

function bookshelf(paint: (colour: string) => string, x: number, floor: number, size: number): string {
  const colours = ['#d9534f', '#4a78c2', '#5aa35a', '#f0ad4e', '#8e6bbf']
  const shelves = [0.25, 0.5, 0.75].map((level) => {
    const y = floor - size * level
    const books = colours
      .map(
        (colour, index) =>
          `<rect x="${n(x + 8 + index * size * 0.11)}" y="${n(y - size * 0.2)}" width="${n(size * 0.09)}" height="${n(size * 0.2)}" fill="${paint(colour)}"/>`,
      )
      .join('')
    return `<rect x="${n(x)}" y="${n(y)}" width="${n(size * 0.65)}" height="6" fill="${paint('#6b4423')}"/>${books}`
  })
  return `<rect x="${n(x)}" y="${n(floor - size * 0.95)}" width="${n(size * 0.65)}" height="${n(size * 0.95)}" fill="${paint('#8d5a3b')}"/>${shelves.join('')}`
}

function lamp(canvas: Canvas, paint: (colour: string) => string, x: number, floor: number, size: number): string {
  const glow =
    canvas.choice.time === 'night'
      ? `<circle cx="${n(x)}" cy="${n(floor - size * 0.72)}" r="${n(size * 0.3)}" fill="#ffe9a8" opacity="0.35"/>`
      : ''
  return (
    glow +
    `<path d="M${n(x)} ${n(floor)} V${n(floor - size * 0.65)}" stroke="${paint('#555555')}" stroke-width="4"/>` +
    `<polygon points="${n(x - size * 0.14)},${n(floor - size * 0.62)} ${n(x + size * 0.14)},${n(floor - size * 0.62)} ${n(x + size * 0.08)},${n(floor - size * 0.82)} ${n(x - size * 0.08)},${n(floor - size * 0.82)}" fill="${canvas.choice.time === 'night' ? '#ffe082' : paint('#f3d27a')}"/>`
  )
}

export function indoors(canvas: Canvas): string {
  const {width, height, choice} = canvas
  const paint = roomPaint(canvas)
  const floor = height * 0.7
  const wall = paint(WALLS[choice.room])
  const stripes = Array.from({length: 10}, (_, index) => `M${n((index + 0.5) * (width / 10))} 0 V${n(floor)}`).join(' ')
  const boards = [0.78, 0.87, 0.96].map((at) => `M0 ${n(height * at)} H${width}`).join(' ')
  const size = height * 0.5
  const furniture: Record<Room, string> = {
    bedroom: bed(paint, width * 0.62, height * 0.8, size),
    kitchen: kitchen(paint, width * 0.76, floor + 4, size),
    library: bookshelf(paint, width * 0.7, floor + 4, size),
    'living-room': bookshelf(paint, width * 0.78, floor + 4, size * 0.8),
  }
  const picture = `<rect x="${n(width * 0.45)}" y="${n(height * 0.14)}" width="${n(width * 0.14)}" height="${n(height * 0.14)}" fill="${paint('#fdf6e3')}" stroke="${paint('#a0522d')}" stroke-width="6"/><path d="M${n(width * 0.46)} ${n(height * 0.26)} l${n(width * 0.04)} -${n(height * 0.06)} l${n(width * 0.03)} ${n(height * 0.04)} l${n(width * 0.02)} -${n(height * 0.02)} l${n(width * 0.03)} ${n(height * 0.04)}Z" fill="${paint('#5aa35a')}"/>`
  return (
    `<rect width="${width}" height="${n(floor)}" fill="${wall}"/>` +
    `<path d="${stripes}" stroke="${mix(wall, '#ffffff', 0.35)}" stroke-width="14" opacity="0.5"/>` +
    windowView(canvas, paint) +
    picture +
    `<rect y="${n(floor)}" width="${width}" height="${n(height - floor)}" fill="${paint('#c08a5a')}"/>` +
    `<path d="${boards}" stroke="${paint('#a0714a')}" stroke-width="3"/>` +
    `<rect y="${n(floor - 10)}" width="${width}" height="10" fill="${paint('#ffffff')}"/>` +
    lamp(canvas, paint, width * 0.38, floor + 4, size) +
    furniture[choice.room] +
    `<ellipse cx="${n(width * 0.45)}" cy="${n(height * 0.88)}" rx="${n(width * 0.34)}" ry="${n(height * 0.06)}" fill="${paint('#b5412b')}" opacity="0.8"/>`
  )
}
