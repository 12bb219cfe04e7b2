// Small builders for the illustrator's SVG: numbers rounded to one decimal (pictures stay small
// and come out the same on every platform) and text escaped, so no name can inject markup.

/** Rounds to one decimal. */
export const n = (value: number): string => String(Math.round(value * 10) / 10)

export function escapeXml(text: string): string {
  // Control characters are not allowed in XML at all: dropped rather than escaped.
  return (
    text
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`)
  )
}

export type Attributes = Record<string, string | number | undefined>

/** One element; numbers rounded, text escaped, `undefined` attributes left out. */
export function el(name: string, attributes: Attributes, children?: string): string {
  const written = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? n(value) : escapeXml(value)}"`)
    .join('')
  return children === undefined ? `<${name}${written}/>` : `<${name}${written}>${children}</${name}>`
}

/** A `points` list for polygons. */
export const points = (...pairs: Array<[number, number]>): string => pairs.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')
