// The indoor scene: a room (bedroom, kitchen, library or living room) with a window that shows
// the time of day and the weather outside, and a lamp that glows at night.
import {mix} from './colour.js'
import {falling, lights, type Box, type Canvas} from './scene-parts.js'
import type {Room} from './scene-words.js'
import {el, n, points} from './svg.js'

type Paint = (colour: string) => string

const WALLS: Record<Room, string> = {
  bedroom: '#cfe0f5',
  kitchen: '#fbe7b5',
  library: '#e8d7c3',
  'living-room': '#f3d9c6',
}

/** Indoors the light is the lamp's: night dims the room only a little, not to the sky's dark blue. */
function roomPaint(canvas: Canvas): Paint {
  const {time} = canvas.choice
  return (colour) =>
    time === 'night' ? mix(colour, '#2a3155', 0.35) : time === 'evening' ? mix(colour, '#e08a50', 0.15) : colour
}

function curtains(box: Box, colour: string): string {
  // Each curtain hangs from the rail and swings out at the bottom; `side` mirrors the left one.
  const hang = (x: number, side: number) =>
    `M${n(x)} ${n(box.top - 12)} h${30 * side} q${-8 * side} ${n(box.height * 0.6)} ${6 * side} ${n(box.height + 24)} h${-36 * side}Z`
  const left = hang(box.left - 18, 1)
  const right = hang(box.left + box.width + 18, -1)
  return el('path', {d: left, fill: colour}) + el('path', {d: right, fill: colour})
}

function windowView(canvas: Canvas, paint: Paint): string {
  const {width, height} = canvas
  const box: Box = {left: width * 0.08, top: height * 0.12, width: width * 0.24, height: height * 0.3}
  const pane = {x: box.left, y: box.top, width: box.width, height: box.height}
  const [middle, right, bottom] = [box.left + box.width / 2, box.left + box.width, box.top + box.height]
  const bars = `M${n(middle)} ${n(box.top)} V${n(bottom)} M${n(box.left)} ${n(box.top + box.height / 2)} H${n(right)}`
  return (
    el('rect', {...pane, fill: 'url(#sky)'}) +
    lights(canvas, box) +
    falling(canvas, box) +
    el('rect', {...pane, fill: 'none', stroke: '#ffffff', 'stroke-width': 8}) +
    el('path', {d: bars, stroke: '#ffffff', 'stroke-width': 5}) +
    curtains(box, paint('#c0504d'))
  )
}

function bed(paint: Paint, x: number, floor: number, size: number): string {
  const wood = paint('#8d5a3b')
  return (
    el('rect', {x, y: floor - size * 0.55, width: size * 0.12, height: size * 0.55, fill: wood}) +
    el('rect', {x, y: floor - size * 0.3, width: size * 1.1, height: size * 0.2, fill: wood}) +
    el('rect', {
      x: x + size * 0.1,
      y: floor - size * 0.42,
      width: size,
      height: size * 0.14,
      rx: 6,
      fill: paint('#7fa7d9'),
    }) +
    el('ellipse', {
      cx: x + size * 0.25,
      cy: floor - size * 0.45,
      rx: size * 0.14,
      ry: size * 0.06,
      fill: paint('#ffffff'),
    })
  )
}

/** A stove with a pot on it, and a table beside it. */
function kitchen(paint: Paint, x: number, floor: number, size: number): string {
  const table = paint('#a0522d')
  const legs = `M${n(x - size * 0.58)} ${n(floor - size * 0.27)} V${n(floor)} M${n(x - size * 0.16)} ${n(floor - size * 0.27)} V${n(floor)}`
  return (
    el('rect', {x, y: floor - size * 0.45, width: size * 0.7, height: size * 0.45, fill: paint('#9aa3ab')}) +
    el('rect', {
      x: x + size * 0.08,
      y: floor - size * 0.35,
      width: size * 0.54,
      height: size * 0.26,
      rx: 4,
      fill: paint('#3b3b4f'),
    }) +
    el('rect', {
      x: x + size * 0.15,
      y: floor - size * 0.6,
      width: size * 0.36,
      height: size * 0.15,
      rx: 4,
      fill: paint('#d9534f'),
    }) +
    el('rect', {x: x - size * 0.62, y: floor - size * 0.32, width: size * 0.5, height: size * 0.05, fill: table}) +
    el('path', {d: legs, stroke: table, 'stroke-width': 5})
  )
}

function bookshelf(paint: Paint, x: number, floor: number, size: number): string {
  const colours = ['#d9534f', '#4a78c2', '#5aa35a', '#f0ad4e', '#8e6bbf']
  const shelves = [0.25, 0.5, 0.75].map((level) => {
    const y = floor - size * level
    const books = colours.map((colour, index) =>
      el('rect', {
        x: x + 8 + index * size * 0.11,
        y: y - size * 0.2,
        width: size * 0.09,
        height: size * 0.2,
        fill: paint(colour),
      }),
    )
    return el('rect', {x, y, width: size * 0.65, height: 6, fill: paint('#6b4423')}) + books.join('')
  })
  return (
    el('rect', {x, y: floor - size * 0.95, width: size * 0.65, height: size * 0.95, fill: paint('#8d5a3b')}) +
    shelves.join('')
  )
}

function lamp(canvas: Canvas, paint: Paint, x: number, floor: number, size: number): string {
  const night = canvas.choice.time === 'night'
  const glow = night
    ? el('circle', {cx: x, cy: floor - size * 0.72, r: size * 0.3, fill: '#ffe9a8', opacity: 0.35})
    : ''
  const [bottom, top] = [floor - size * 0.62, floor - size * 0.82]
  const shade = points(
    [x - size * 0.14, bottom],
    [x + size * 0.14, bottom],
    [x + size * 0.08, top],
    [x - size * 0.08, top],
  )
  return (
    glow +
    el('path', {d: `M${n(x)} ${n(floor)} V${n(floor - size * 0.65)}`, stroke: paint('#555555'), 'stroke-width': 4}) +
    el('polygon', {points: shade, fill: night ? '#ffe082' : paint('#f3d27a')})
  )
}

function picture(canvas: Canvas, paint: Paint): string {
  const {width, height} = canvas
  const frame = {x: width * 0.45, y: height * 0.14, width: width * 0.14, height: height * 0.14}
  const hillsInside = points(
    [width * 0.46, height * 0.26],
    [width * 0.5, height * 0.2],
    [width * 0.53, height * 0.24],
    [width * 0.55, height * 0.22],
    [width * 0.58, height * 0.26],
  )
  return (
    el('rect', {...frame, fill: paint('#fdf6e3'), stroke: paint('#a0522d'), 'stroke-width': 6}) +
    el('polygon', {points: hillsInside, fill: paint('#5aa35a')})
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
  return (
    el('rect', {width, height: floor, fill: wall}) +
    el('path', {d: stripes, stroke: mix(wall, '#ffffff', 0.35), 'stroke-width': 14, opacity: 0.5}) +
    windowView(canvas, paint) +
    picture(canvas, paint) +
    el('rect', {y: floor, width, height: height - floor, fill: paint('#c08a5a')}) +
    el('path', {d: boards, stroke: paint('#a0714a'), 'stroke-width': 3}) +
    el('rect', {y: floor - 10, width, height: 10, fill: paint('#ffffff')}) +
    lamp(canvas, paint, width * 0.38, floor + 4, size) +
    furniture[choice.room] +
    el('ellipse', {
      cx: width * 0.45,
      cy: height * 0.88,
      rx: width * 0.34,
      ry: height * 0.06,
      fill: paint('#b5412b'),
      opacity: 0.8,
    })
  )
}
