// Centred text that needs two fonts. The story font comes in subsets (Latin, and Latin Extended
// for names such as Łucja, Dvořák or Şule); PDFKit lays out text in one font, and its `continued`
// runs in other fonts are each centred on their own, so they overlap. Text that needs only the
// Latin subset is left to PDFKit; text that needs both is wrapped and centred here.

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

/** Latin Extended-A and -B, less the few letters the Latin subset carries itself (ı, Œ, œ). */
const isExtended = (codePoint: number) => codePoint >= 0x100 && codePoint <= 0x24f && codePoint !== 0x131 && codePoint !== 0x152 && codePoint !== 0x153

export const needsExtendedFont = (text: string): boolean => fontRuns(text).some((run) => run.extended)

/** The text cut where it changes between the two subsets. */
export function fontRuns(text: string): FontRun[] {
  const runs: FontRun[] = []
  for (const character of text) {
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
export function mixedText(document: PDFKit.PDFDocument, font: string, text: string, options: {width: number; lineGap?: number; maxHeight?: number}): TextBlock {
  const {width} = options
  const gap = options.lineGap ?? 0
  const measure = (run: FontRun): Piece => {
    const name = run.extended ? `${font} extended` : font
    return {text: run.text, font: name, width: document.font(name).widthOfString(run.text)}
  }
  const space = measure({text: ' ', extended: false})
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
  for (const paragraph of text.split('\n')) {
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const pieces = fontRuns(word).map(measure)
      const wordWidth = pieces.reduce((sum, piece) => sum + piece.width, 0)
      if (line.pieces.length > 0 && line.width + space.width + wordWidth > width) breakLine()
      else if (line.pieces.length > 0) add(space)
      if (wordWidth <= width) {
        for (const piece of pieces) add(piece)
        continue
      }
      // A word wider than the line is broken between letters, as PDFKit does.
      for (const character of word) {
        const piece = measure(fontRuns(character)[0] as FontRun)
        if (line.pieces.length > 0 && line.width + piece.width > width) breakLine()
        add(piece)
      }
    }
    breakLine()
  }

  const fitting = options.maxHeight === undefined ? lines.length : Math.max(1, Math.floor((options.maxHeight + gap) / (lineHeight + gap)))
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
