import {inflateSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {renderStoryPdf} from '../../../src/server/pdf.js'
import {fontRuns, mixedText, storyFontFile} from '../../../src/server/pdf-text.js'

/** Every stream of the PDF, inflated where it is compressed. */
function streams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1')
  const found: string[] = []
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = (match.index as number) + match[0].length
    const end = text.indexOf('endstream', start)
    const raw = pdf.subarray(start, end)
    try {
      found.push(inflateSync(raw).toString('latin1'))
    } catch {
      found.push(raw.toString('latin1'))
    }
  }
  return found
}

/** A page at 15 pt with the story font's two subsets registered as pdf.ts registers them. */
async function pageWithStoryFont(): Promise<PDFKit.PDFDocument> {
  const {default: PDFDocument} = await import('pdfkit')
  const document = new PDFDocument({size: 'A5', layout: 'landscape', margin: 36, autoFirstPage: false})
  document.registerFont('Body', storyFontFile('latin', 400))
  document.registerFont('Body extended', storyFontFile('latin-ext', 400))
  return document.addPage().fontSize(15)
}

const story = (text: string) => ({
  title: 'Luna',
  byline: 'by Ann',
  cover: undefined,
  pages: [{text, illustration: undefined}],
})

describe('the PDF export', () => {
  it('cuts text where it moves between the Latin and Latin Extended subsets', () => {
    expect(fontRuns('Łucja i Dvořák')).toEqual([
      {text: 'Ł', extended: true},
      {text: 'ucja i Dvo', extended: false},
      {text: 'ř', extended: true},
      {text: 'ák', extended: false},
    ])
    expect(fontRuns('Œuvre, café')).toEqual([{text: 'Œuvre, café', extended: false}]) // both in the Latin subset
    expect(fontRuns('')).toEqual([])
    // What the font files have decides, not Unicode blocks: the caron and the dagger are only in the extended file.
    expect(fontRuns('ˇ†ℓ')).toEqual([{text: 'ˇ†ℓ', extended: true}])
    // A letter typed as a letter and a combining accent is the letter the font has.
    expect(fontRuns('Dvor\u030Cák')).toEqual([
      {text: 'Dvo', extended: false},
      {text: 'ř', extended: true},
      {text: 'ák', extended: false},
    ])
  })

  it('embeds the Latin Extended subset only when the text needs it, with its letters mapped for copy and search', async () => {
    const latin = await renderStoryPdf(story('Luna and Pip went to the café.'))
    expect(latin.toString('latin1').match(/\/FontFile2/g)).toHaveLength(2) // regular and bold
    const extended = await renderStoryPdf(story('Łucja, Dvořák i Şule jedzą pierogi.'))
    expect(extended.toString('latin1').match(/\/FontFile2/g)).toHaveLength(3)
    const maps = streams(extended).filter((stream) => stream.includes('begincmap'))
    for (const codePoint of ['0141', '0159', '015e', '0105'])
      expect(maps.join('\n').toLowerCase(), `U+${codePoint}`).toContain(`<${codePoint}>`)
  })

  it('lays out text in both subsets side by side, centred, wrapped and cut with an ellipsis', async () => {
    const document = await pageWithStoryFont()
    const drawn: Array<{text: string; x: number; y: number; width: number}> = []
    const text = document.text.bind(document)
    document.text = ((value: string, x: number, y: number, options: object) => {
      drawn.push({text: value, x, y, width: document.widthOfString(value)})
      return text(value, x, y, options)
    }) as typeof document.text
    const words = 'Łucja i Dvořák jedzą pierogi z wiśniami, a Şule śpiewa piosenkę o gwiazdach. '.repeat(4)
    const block = mixedText(document, 'Body', words, {width: 300, lineGap: 3})
    block.draw(100, 50)
    const lines = new Map<number, typeof drawn>()
    for (const piece of drawn) lines.set(piece.y, [...(lines.get(piece.y) ?? []), piece])
    expect(lines.size).toBeGreaterThan(3)
    expect(block.height).toBeCloseTo(lines.size * (document.font('Body').currentLineHeight(true) + 3) - 3)
    for (const pieces of lines.values()) {
      // Each piece starts where the one before it ends: nothing overlaps.
      for (let index = 1; index < pieces.length; index++)
        expect(pieces[index]!.x).toBeCloseTo(pieces[index - 1]!.x + pieces[index - 1]!.width)
      const left = pieces[0]!.x - 100
      const right = 100 + 300 - (pieces.at(-1)!.x + pieces.at(-1)!.width)
      expect(left).toBeGreaterThanOrEqual(0)
      expect(left).toBeCloseTo(right) // centred
    }
    expect(
      drawn
        .map((piece) => piece.text)
        .join('')
        .replaceAll(' ', ''),
    ).toBe(words.replaceAll(' ', ''))

    drawn.length = 0
    mixedText(document, 'Body', words, {width: 300, maxHeight: 40}).draw(100, 300)
    expect(new Set(drawn.map((piece) => piece.y)).size).toBe(2)
    expect(drawn.at(-1)!.text).toBe('…')
  })

  it('breaks lines where PDFKit would: not at no-break spaces, after hyphens, at every kind of line end', async () => {
    const document = await pageWithStoryFont()
    const linesOf = (text: string, width: number) => {
      const drawn: Array<{text: string; y: number}> = []
      const original = document.text.bind(document)
      document.text = ((value: string, x: number, y: number, options: object) => (
        drawn.push({text: value, y}),
        original(value, x, y, options)
      )) as typeof document.text
      mixedText(document, 'Body', text, {width}).draw(40, 40)
      document.text = original as typeof document.text
      const lines = new Map<number, string>()
      for (const piece of drawn) lines.set(piece.y, (lines.get(piece.y) ?? '') + piece.text)
      return [...lines.values()]
    }
    const narrow = document.font('Body').widthOfString('Pan Łukasz ') + 1
    expect(linesOf('Pan\u00a0Łukasz i\u00a0Żaneta', narrow)).toEqual(['Pan\u00a0Łukasz', 'i\u00a0Żaneta'])
    expect(linesOf('Dvořák-Nováková', document.font('Body').widthOfString('Nováková') + 5)).toEqual([
      'Dvořák-',
      'Nováková',
    ])
    expect(linesOf('Łucja\rPip\r\nMoss\nFern', 400)).toEqual(['Łucja', 'Pip', 'Moss', 'Fern'])
    expect(linesOf('  Łucja  i  Pip', 400)).toEqual(['  Łucja  i  Pip']) // indentation and spaces as typed
  })
})
