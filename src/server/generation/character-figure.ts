// Draws a character's look as one SVG group in its own units (head radius 50, the head's centre at
// (0, -135), the feet at (0, 0)). Where the figure stands and how big it is belong to the group
// around it, so the figure's markup is the same on every page and in the portrait.
import {mix} from './colour.js'
import type {CharacterLook} from './character-look.js'
import {el, n, points} from './svg.js'

/** From the feet up to the centre of the head, in figure units. */
export const HEAD_HEIGHT = 135
/** The figure's full height in figure units, ears and hair included. */
export const FIGURE_HEIGHT = 210

const INK = '#222222'

/** A left and a right part, the right one the mirror image of the left (`side` is -1, then 1). */
const pair = (draw: (side: number) => string): string => draw(-1) + draw(1)

function ears(look: CharacterLook): string {
  const {skin: fur, light} = look
  const dark = mix(fur, '#000000', 0.4)
  switch (look.species) {
    case 'human':
      return pair((side) => el('circle', {cx: 48 * side, cy: 2, r: 9, fill: fur}))
    case 'fox':
    case 'cat': {
      const inner = look.species === 'fox' ? light : '#f2b8c6'
      return pair(
        (side) =>
          el('polygon', {points: points([37.5 * side, -27.5], [27.5 * side, -62.5], [7.5 * side, -40]), fill: fur}) +
          el('polygon', {points: points([30 * side, -32.5], [26 * side, -52.5], [15 * side, -40]), fill: inner}),
      )
    }
    case 'rabbit':
      return pair(
        (side) =>
          el('ellipse', {cx: 17.5 * side, cy: -67.5, rx: 9, ry: 30, fill: fur}) +
          el('ellipse', {cx: 17.5 * side, cy: -67.5, rx: 4, ry: 22.5, fill: light}),
      )
    case 'bear':
      return pair(
        (side) =>
          el('circle', {cx: 35 * side, cy: -35, r: 15, fill: fur}) +
          el('circle', {cx: 35 * side, cy: -35, r: 7.5, fill: dark}),
      )
    case 'dog':
      return pair((side) => el('ellipse', {cx: 45 * side, cy: -2, rx: 12.5, ry: 27.5, fill: dark}))
    case 'owl':
      return pair((side) =>
        el('polygon', {points: points([40 * side, -30], [30 * side, -55], [17.5 * side, -37.5]), fill: fur}),
      )
    case 'dragon':
      return pair((side) =>
        el('polygon', {points: points([25 * side, -40], [17.5 * side, -70], [7.5 * side, -45]), fill: '#f0ad4e'}),
      )
    case 'robot':
      return (
        el('line', {x1: 0, y1: -45, x2: 0, y2: -70, stroke: '#555555', 'stroke-width': 3}) +
        el('circle', {cx: 0, cy: -73, r: 6, fill: '#e74c3c'})
      )
    default:
      return ''
  }
}

/** Hair that shows behind the head (long hair, a ponytail). */
function hairBehind(look: CharacterLook): string {
  const {colour, style} = look.hair
  if (style === 'long') return el('path', {d: 'M-52 -5 Q-58 50 -40 60 L40 60 Q58 50 52 -5Z', fill: colour})
  if (style === 'ponytail')
    return el('ellipse', {cx: 52, cy: 5, rx: 13, ry: 28, fill: colour, transform: 'rotate(-20 52 5)'})
  return ''
}

function hairOnTop(look: CharacterLook): string {
  const {colour, style} = look.hair
  const cap = el('path', {
    d: 'M-47.5 -5 Q-50 -57.5 0 -52.5 Q50 -57.5 47.5 -5 Q30 -37.5 0 -35 Q-30 -37.5 -47.5 -5Z',
    fill: colour,
  })
  switch (style) {
    case 'short':
    case 'long':
    case 'ponytail':
      return cap
    case 'bun':
      return el('circle', {cx: 0, cy: -55, r: 17, fill: colour}) + cap
    case 'curly':
      return [200, 225, 250, 275, 300, 325, 350]
        .map((degrees) => {
          const angle = (degrees * Math.PI) / 180
          return el('circle', {cx: Math.cos(angle) * 46, cy: Math.sin(angle) * 46, r: 15, fill: colour})
        })
        .join('')
    case 'spiky': {
      const spikes =
        '-48,-10 -45,-45 -30,-38 -22,-62 -8,-44 5,-66 15,-44 30,-60 34,-38 46,-44 48,-10 30,-32 0,-34 -30,-32'
      return el('polygon', {points: spikes, fill: colour})
    }
    case 'tuft':
      return el('path', {d: 'M-4 -49 Q-10 -66 4 -66 Q-2 -60 6 -50Z', fill: colour})
    default:
      return ''
  }
}

function head(look: CharacterLook): string {
  const {skin, light} = look
  if (look.species === 'robot') {
    return el('rect', {x: -45, y: -45, width: 90, height: 85, rx: 10, fill: skin, stroke: '#6c757d', 'stroke-width': 3})
  }
  const muzzles: Record<string, string> = {
    fox: el('path', {d: 'M-45 10 Q-20 10 0 20 Q20 10 45 10 Q35 45 0 50 Q-35 45 -45 10Z', fill: light}),
    bear: el('ellipse', {cx: 0, cy: 16, rx: 20, ry: 15, fill: light}),
    dog: el('ellipse', {cx: 0, cy: 16, rx: 18, ry: 13, fill: light}),
    owl: pair((side) => el('circle', {cx: 17.5 * side, cy: -5, r: 20, fill: light})),
    dragon: el('ellipse', {cx: 0, cy: 18, rx: 24, ry: 16, fill: light}),
  }
  return el('circle', {r: 50, fill: skin}) + (muzzles[look.species] ?? '')
}

function markings(look: CharacterLook): string {
  const dark = mix(look.skin, '#000000', 0.35)
  switch (look.marking) {
    case 'patch-left':
      return el('circle', {cx: -16, cy: -9, r: 15, fill: dark})
    case 'patch-right':
      return el('circle', {cx: 16, cy: -9, r: 15, fill: dark})
    case 'stripes':
      return el('path', {
        d: 'M-12 -48 L-8 -34 M0 -50 L0 -34 M12 -48 L8 -34',
        stroke: dark,
        'stroke-width': 4,
        'stroke-linecap': 'round',
      })
    default:
      return ''
  }
}

function eyes(look: CharacterLook): string {
  if (look.species === 'owl') {
    return pair(
      (side) =>
        el('circle', {cx: 17.5 * side, cy: -5, r: 14, fill: '#ffffff'}) +
        el('circle', {cx: 17.5 * side, cy: -5, r: 7, fill: INK}),
    )
  }
  if (look.species === 'robot') {
    return pair((side) => el('rect', {x: side < 0 ? -25 : 10, y: -15, width: 15, height: 10, fill: '#5bc0de'}))
  }
  return (
    pair((side) => el('circle', {cx: 16 * side, cy: -7.5, r: 4.5, fill: look.eyes})) +
    pair((side) => el('circle', {cx: 16 * side + 1.5, cy: -9, r: 1.5, fill: '#ffffff'}))
  )
}

function noseAndWhiskers(look: CharacterLook): string {
  switch (look.species) {
    case 'owl':
      return el('polygon', {points: '0,2.5 -5,12.5 5,12.5', fill: '#f0ad4e'})
    case 'robot':
      return ''
    case 'human':
      return el('ellipse', {cx: 0, cy: 6, rx: 3, ry: 4, fill: mix(look.skin, '#000000', 0.2)})
    default: {
      const whiskers = ['cat', 'fox', 'rabbit'].includes(look.species)
        ? el('path', {
            d: 'M-10 10 L-34 6 M-10 14 L-34 16 M10 10 L34 6 M10 14 L34 16',
            stroke: '#444444',
            'stroke-width': 1.2,
          })
        : ''
      return el('ellipse', {cx: 0, cy: 7, rx: 6, ry: 4, fill: '#333333'}) + whiskers
    }
  }
}

function mouthAndBrows(look: CharacterLook): string {
  const {smile, brows, cheeks, laughing} = look.expression
  const width = 50 * smile
  const mouth =
    look.species === 'robot'
      ? el('rect', {x: -15, y: 17.5, width: 30, height: 4, fill: '#555555'})
      : el('path', {
          d: `M${n(-width)} 15 Q0 ${n(15 + width)} ${n(width)} 15`,
          stroke: INK,
          'stroke-width': 2.5,
          fill: laughing ? '#c0392b' : 'none',
          'stroke-linecap': 'round',
        })
  const browLines =
    brows === 'brave'
      ? el('path', {d: 'M-24 -21 L-9 -16 M24 -21 L9 -16', stroke: INK, 'stroke-width': 3})
      : brows === 'curious'
        ? el('path', {d: 'M-24 -19 Q-16.5 -25 -9 -19', stroke: INK, 'stroke-width': 3, fill: 'none'})
        : ''
  const blush = cheeks ? pair((side) => el('circle', {cx: 25 * side, cy: 9, r: 5, fill: '#f19cb1', opacity: 0.7})) : ''
  const lenses = pair((side) => el('circle', {cx: 16 * side, cy: -7.5, r: 10}))
  const glasses = look.glasses
    ? el('g', {fill: 'none', stroke: '#333333', 'stroke-width': 2.5}, lenses + el('path', {d: 'M-6 -8 L6 -8'}))
    : ''
  return mouth + browLines + blush + glasses
}

function accessory(look: CharacterLook): string {
  const {kind, colour} = look.accessory
  const bow = pair((side) => el('polygon', {points: points([0, 0], [14 * side, -9], [14 * side, 9])}))
  switch (kind) {
    case 'bow':
      return el('g', {transform: 'translate(30 -42)', fill: colour}, bow + el('circle', {r: 4}))
    case 'cap':
      return (
        el('path', {d: 'M-46 -16 Q-46 -58 0 -58 Q46 -58 46 -16Z', fill: colour}) +
        el('rect', {x: -8, y: -22, width: 66, height: 8, rx: 4, fill: mix(colour, '#000000', 0.3)})
      )
    case 'headband':
      return el('path', {d: 'M-46 -18 Q0 -62 46 -18', stroke: colour, 'stroke-width': 7, fill: 'none'})
    case 'bowtie': {
      const tie = pair((side) => el('polygon', {points: points([0, 0], [12 * side, -7], [12 * side, 7])}))
      return el('g', {transform: 'translate(0 53)', fill: colour}, tie + el('circle', {r: 3}))
    }
    case 'collar':
      return (
        el('rect', {x: -26, y: 46, width: 52, height: 7, rx: 3.5, fill: colour}) +
        el('circle', {cx: 0, cy: 57, r: 5, fill: '#ffd54f'})
      )
    default:
      return ''
  }
}

function clothing(look: CharacterLook): string {
  if (!look.clothing) return ''
  const {kind, colour, accent} = look.clothing
  switch (kind) {
    case 'cape':
      return (
        el('path', {d: 'M-30 52 L-55 125 L55 125 L30 52Z', fill: colour}) +
        el('circle', {cx: 0, cy: 55, r: 5, fill: accent})
      )
    case 'scarf':
      return (
        el('rect', {x: -30, y: 47.5, width: 60, height: 11, rx: 5, fill: colour}) +
        el('rect', {x: 12.5, y: 55, width: 11, height: 30, fill: colour}) +
        el('rect', {x: 12.5, y: 75, width: 11, height: 4, fill: accent})
      )
    case 'dress':
      return (
        el('path', {d: 'M-22.5 55 L-45 115 L45 115 L22.5 55Z', fill: colour}) +
        el('path', {d: 'M-43 108 L43 108', stroke: accent, 'stroke-width': 4})
      )
    case 'overalls':
      return (
        el('rect', {x: -27.5, y: 75, width: 55, height: 40, rx: 4, fill: colour}) +
        pair((side) => el('rect', {x: side < 0 ? -22.5 : 15, y: 55, width: 7.5, height: 22.5, fill: colour})) +
        pair((side) => el('circle', {cx: 18.75 * side, cy: 79, r: 2.5, fill: accent}))
      )
    case 'raincoat':
      return (
        el('path', {d: 'M-32.5 55 L-40 117.5 L40 117.5 L32.5 55Z', fill: colour}) +
        el('path', {d: 'M0 57.5 L0 115', stroke: '#c9a400', 'stroke-width': 2})
      )
    case 'pyjamas': {
      const dots = [15, 35, 55].map(
        (y) => el('circle', {cx: -10, cy: 55 + y, r: 3.5}) + el('circle', {cx: 12.5, cy: 62.5 + y, r: 3.5}),
      )
      return (
        el('rect', {x: -30, y: 55, width: 60, height: 60, rx: 10, fill: colour}) +
        el('g', {fill: accent}, dots.join(''))
      )
    }
    case 'tshirt': {
      const shirt = 'M-30 55 L-47.5 72.5 L-35 80 L-30 75 L-30 105 L30 105 L30 75 L35 80 L47.5 72.5 L30 55Z'
      return el('path', {d: shirt, fill: colour}) + el('rect', {x: -30, y: 82, width: 60, height: 5, fill: accent})
    }
    default:
      return ''
  }
}

function body(look: CharacterLook): string {
  const {skin, light, legs} = look
  const feet = pair((side) => el('rect', {x: side < 0 ? -22.5 : 7.5, y: 110, width: 15, height: 25, rx: 5, fill: legs}))
  if (look.species === 'robot') {
    return (
      feet +
      el('rect', {x: -35, y: 50, width: 70, height: 65, rx: 7.5, fill: skin, stroke: '#6c757d', 'stroke-width': 3}) +
      el('circle', {cx: 0, cy: 80, r: 7.5, fill: '#e74c3c'})
    )
  }
  const belly = ['fox', 'bear', 'owl', 'dragon', 'rabbit'].includes(look.species)
    ? el('ellipse', {cx: 0, cy: 88, rx: 20, ry: 24, fill: look.species === 'rabbit' ? '#ffffff' : light})
    : ''
  const spotCircles =
    el('circle', {cx: -22, cy: 75, r: 5}) +
    el('circle', {cx: 24, cy: 95, r: 4}) +
    el('circle', {cx: -18, cy: 100, r: 3.5})
  const spots = look.marking === 'spots' ? el('g', {fill: mix(skin, '#000000', 0.3)}, spotCircles) : ''
  return feet + el('ellipse', {cx: 0, cy: 82, rx: 35, ry: 38, fill: skin}) + belly + spots
}

function tailAndWings(look: CharacterLook): string {
  const {skin, light, species} = look
  const longTail =
    el('path', {d: 'M30 100 Q80 95 75 50', stroke: skin, 'stroke-width': 15, fill: 'none', 'stroke-linecap': 'round'}) +
    (species === 'fox' ? el('circle', {cx: 75, cy: 50, r: 9, fill: light}) : '')
  const tail = ['fox', 'cat', 'dog', 'dragon'].includes(species)
    ? longTail
    : species === 'rabbit'
      ? el('circle', {cx: 34, cy: 108, r: 10, fill: '#ffffff'})
      : ''
  const wings =
    species === 'dragon'
      ? pair((side) =>
          el('path', {d: `M${30 * side} 65 L${90 * side} 30 L${70 * side} 80Z`, fill: mix(skin, '#000000', 0.25)}),
        )
      : species === 'owl'
        ? pair((side) => el('ellipse', {cx: 37.5 * side, cy: 80, rx: 12.5, ry: 30, fill: mix(skin, '#000000', 0.2)}))
        : ''
  return tail + wings
}

const STAR = points(
  [0, -17.5],
  [4.2, -5.3],
  [17.5, -5.3],
  [6.7, 2.1],
  [10.5, 14.9],
  [0, 7],
  [-10.5, 14.9],
  [-6.7, 2.1],
  [-17.5, -5.3],
  [-4.2, -5.3],
)

/** The favourite thing, held beside the figure. */
function prop(thing: string | undefined): string {
  const held = (children: string, attributes: Record<string, string> = {}) =>
    el('g', {transform: 'translate(62.5 75)', ...attributes}, children)
  switch (thing) {
    case 'stars':
      return held(el('polygon', {points: STAR, fill: '#ffd54f', stroke: '#c9a400'}))
    case 'books':
      return held(
        el('rect', {x: -17.5, y: -12.3, width: 35, height: 24.5, fill: '#4a78c2'}) +
          el('path', {d: 'M0 -12.3 L0 12.3', stroke: '#ffffff', 'stroke-width': 2}),
      )
    case 'music':
      return held(
        el('circle', {cx: -7, cy: 10.5, r: 5.3}) +
          el('rect', {x: -2.6, y: -15.8, width: 2.1, height: 26.3}) +
          el('path', {d: 'M-0.9 -15.8 q10.5 3.5 10.5 12.3', stroke: '#333333', 'stroke-width': 3, fill: 'none'}),
        {fill: '#333333'},
      )
    case 'gears': {
      const teeth = [0, 45, 90, 135, 180, 225, 270, 315].map((degrees) =>
        el('rect', {x: -2.1, y: -18.4, width: 4.2, height: 5.3, transform: `rotate(${degrees})`}),
      )
      return held(el('circle', {r: 14}) + teeth.join('') + el('circle', {r: 5.3, fill: '#555555'}), {fill: '#8a8f96'})
    }
    case 'flowers': {
      const petals = [0, 72, 144, 216, 288].map((degrees) => {
        const angle = (degrees * Math.PI) / 180
        return el('circle', {cx: Math.cos(angle) * 8.75, cy: Math.sin(angle) * 8.75, r: 6.1})
      })
      return held(el('g', {fill: '#f19cb1'}, petals.join('')) + el('circle', {r: 5.3, fill: '#ffd54f'}))
    }
    case 'cake':
      return held(
        el('rect', {x: -17.5, y: -5.3, width: 35, height: 17.5, fill: '#f3d9b1'}) +
          el('rect', {x: -17.5, y: -7.9, width: 35, height: 5.3, fill: '#f19cb1'}) +
          el('rect', {x: -1, y: -17.5, width: 2.1, height: 9.6, fill: '#4a78c2'}) +
          el('circle', {cy: -18.9, r: 1.8, fill: '#f0ad4e'}),
      )
    case 'the sea':
      return held(
        el('path', {d: 'M-17.5 0 q8.75 -8.75 17.5 0 t17.5 0', stroke: '#2f7fc1', 'stroke-width': 4, fill: 'none'}),
      )
    case 'trains':
      return held(
        el('rect', {x: -17.5, y: -8.75, width: 35, height: 17.5, fill: '#d9534f'}) +
          el('rect', {x: -10.5, y: -17.5, width: 10.5, height: 8.75, fill: '#d9534f'}) +
          pair((side) => el('circle', {cx: 8.75 * side, cy: 10.5, r: 4.4, fill: '#333333'})),
      )
    default:
      return ''
  }
}

/**
 * The figure as one group, `data-character` naming it and its main colours repeated as attributes
 * (for the web app and for tests that check a character looks the same everywhere).
 */
export function drawFigure(look: CharacterLook): string {
  const attributes = {
    'data-character': look.key,
    'data-species': look.species,
    'data-skin': look.skin,
    'data-hair': look.hair.colour,
    'data-clothing': look.clothing?.colour ?? 'none',
  }
  const parts = [
    tailAndWings(look),
    body(look),
    clothing(look),
    hairBehind(look),
    ears(look),
    head(look),
    markings(look),
    eyes(look),
    noseAndWhiskers(look),
    mouthAndBrows(look),
    hairOnTop(look),
    accessory(look),
    prop(look.prop),
  ]
  return el('g', attributes, el('g', {transform: `translate(0 -${HEAD_HEIGHT})`}, parts.join('')))
}
