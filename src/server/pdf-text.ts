// Centred text that needs two fonts. The story font comes in subsets (Latin, and Latin Extended
// for names such as Łucja, Dvořák or Şule); PDFKit lays out text in one font, and its `continued`
// runs in other fonts are each centred on their own, so they overlap. Text that needs only the
// Latin subset is left to PDFKit; text that needs both is wrapped and centred here, breaking
// lines where PDFKit would: at spaces (not no-break spaces), after hyphens, at line ends.
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

export const storyFontFile = (subset: 'latin' | 'latin-ext', weight: 400 | 700): string =>
  require.resolve(`@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-${subset}-${weight}-normal.woff`)

export interface FontRun {
  text: string
  extended: boolean
}

interface Piece {
  text: string
  font: string
  width: number
}

interface Line {
  pieces: Piece[]
  width: number
}

export interface TextBlock {
  /** Height at the document's current font size. */
  height: number
  /** Draws the lines centred in the width from (x, y), on new pages past the bottom margin. */
  draw(x: number, y: number): void
}

/** Whitespace a line may break at: no-break spaces keep "Pan Łukasz" together. */
const BREAKABLE_SPACE = /([^\S\u00a0\u2007\u202f]+)/

let extendedOnly: ReadonlySet<number> | undefined

/** Letters that only the Latin Extended file has (ą, ł, ř, and also ˇ, †, ℓ), read from the files once. */
function isExtended(codePoint: number): boolean {
  if (!extendedOnly) {
    const {openSync} = require('fontkit') as typeof import('fontkit')
    const latin = new Set(openSync(storyFontFile('latin', 400)).characterSet)
    extendedOnly = new Set(openSync(storyFontFile('latin-ext', 400)).characterSet.filter((point) => !latin.has(point)))
  }
  return extendedOnly.has(codePoint)
}

export const needsExtendedFont = (text: string): boolean => fontRuns(text).some((run) => run.extended)

/** The text cut where it changes between the two subsets. */
export function fontRuns(text: string): FontRun[] {
  const runs: FontRun[] = []
  for (const character of text.normalize('NFC')) {
    const extended = isExtended(character.codePointAt(0) as number)
    const last = runs.at(-1)
    if (last && last.extended === extended) last.text += character
    else runs.push({text: character, extended})
  }
  return runs
}

/**
 * `font` names the Latin subset as registered; `${font} extended` the other. Past `maxHeight` the
 * text is cut after a whole line and ends with an ellipsis.
 */
export function mixedText(
  document: PDFKit.PDFDocument,
  font: string,
  text: string,
  options: {width: number; lineGap?: number; maxHeight?: number},
): TextBlock {
  const {width} = options
  text = text.normalize('NFC') // a letter and its combining accent as one letter, which the font has
  const gap = options.lineGap ?? 0
  const measure = (run: FontRun): Piece => {
    const name = run.extended ? `${font} extended` : font
    return {text: run.text, font: name, width: document.font(name).widthOfString(run.text)}
  }
  const lineHeight = document.font(font).currentLineHeight(true)

  const lines: Line[] = []
  let line: Line = {pieces: [], width: 0}
  const add = (piece: Piece) => {
    line.pieces.push(piece)
    line.width += piece.width
  }
  const breakLine = () => {
    lines.push(line)
    line = {pieces: [], width: 0}
  }
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    const tokens = paragraph.split(BREAKABLE_SPACE) // words at even places, the spaces between them at odd ones
    const firstLine = lines.length
    let space: Piece | undefined
    tokens.forEach((token, index) => {
      if (index % 2 === 1) {
        space = measure({text: token, extended: false})
        return
      }
      // A line may also break after a hyphen ("Dvořák-|Nováková").
      token.split(/(?<=-)/).forEach((part, partIndex) => {
        if (part === '') return
        // The space before a word is kept inside a line and at the start of a paragraph (indentation).
        const gap =
          partIndex === 0 && space && (line.pieces.length > 0 || lines.length === firstLine) ? space : undefined
        const pieces = fontRuns(part).map(measure)
        const partWidth = pieces.reduce((sum, piece) => sum + piece.width, 0)
        if (partWidth <= width) {
          if (line.pieces.length > 0 && line.width + (gap?.width ?? 0) + partWidth > width) breakLine()
          else if (gap) add(gap)
          for (const piece of pieces) add(piece)
          return
        }
        // Wider than a line: it starts on this one and is broken between letters, as PDFKit does.
        if (gap) add(gap)
        for (const character of part) {
          const piece = measure(fontRuns(character)[0] as FontRun)
          if (line.pieces.length > 0 && line.width + piece.width > width) breakLine()
          add(piece)
        }
      })
      space = undefined
    })
    breakLine()
  }

  const fitting =
    options.maxHeight === undefined
      ? lines.length
      : Math.max(1, Math.floor((options.maxHeight + gap) / (lineHeight + gap)))
  if (lines.length > fitting) {
    lines.length = fitting
    const last = lines.at(-1) as Line
    const ellipsis = measure({text: '…', extended: false})
    while (last.pieces.length > 0 && last.width + ellipsis.width > width) {
      const piece = last.pieces.pop() as Piece
      last.width -= piece.width
      const shorter = [...piece.text].slice(0, -1).join('')
      if (shorter) {
        const kept = {...piece, text: shorter, width: document.font(piece.font).widthOfString(shorter)}
        last.pieces.push(kept)
        last.width += kept.width
      }
    }
    last.pieces.push(ellipsis)
    last.width += ellipsis.width
  }

  return {
    height: lines.length * (lineHeight + gap) - gap,
    draw(x, y) {
      let top = y
      for (const current of lines) {
        if (top + lineHeight > document.page.height - document.page.margins.bottom) {
          document.addPage()
          top = document.page.margins.top
        }
        let left = x + (width - current.width) / 2
        for (const piece of current.pieces) {
          document.font(piece.font).text(piece.text, left, top, {lineBreak: false})
          left += piece.width
        }
        top += lineHeight + gap
      }
      document.font(font)
      document.x = x
      document.y = top
    },
  }
}
