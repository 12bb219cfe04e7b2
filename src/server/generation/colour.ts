// Colour arithmetic for the built-in illustrator: tinting a scene for evening or night, and
// keeping a character's clothes from vanishing into its own fur.

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16)
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]
}

function toHex([red, green, blue]: [number, number, number]): string {
  return `#${[red, green, blue].map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`
}

/** `amount` of the way from `from` to `to` (0 gives `from`, 1 gives `to`). */
export function mix(from: string, to: string, amount: number): string {
  const a = channels(from)
  const b = channels(to)
  return toHex([a[0] + (b[0] - a[0]) * amount, a[1] + (b[1] - a[1]) * amount, a[2] + (b[2] - a[2]) * amount])
}

/** Straight-line distance in RGB, 0 to about 441: below about 90 two colours read as the same at a glance. */
export function distance(first: string, second: string): number {
  const a = channels(first)
  const b = channels(second)
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}
