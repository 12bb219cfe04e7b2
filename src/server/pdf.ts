// The print-ready export: a cover, then one page per story page with its illustration and text,
// page numbers, and an embedded font (Atkinson Hyperlegible, made for young readers) in two
// subsets, Latin and Latin Extended (see pdf-text.ts).
import type {GeneratedImage} from './generation/types.js'
import {mixedText, needsExtendedFont, storyFontFile} from './pdf-text.js'

export interface PdfStory {
  title: string
  byline: string
  cover: GeneratedImage | undefined
  pages: Array<{text: string; illustration: {mimeType: string; content: string} | undefined}>
}

export async function renderStoryPdf(story: PdfStory): Promise<Buffer> {
  const {default: PDFDocument} = await import('pdfkit')
  const {default: svgToPdf} = await import('svg-to-pdfkit')
  // A5 landscape, the shape of a picture book.
  // bufferPages: page numbers are written at the end, when a long text may have added pages.
  const document = new PDFDocument({
    size: 'A5',
    layout: 'landscape',
    margin: 36,
    autoFirstPage: false,
    bufferPages: true,
    info: {Title: story.title, Creator: 'Storybook'},
  })
  for (const [name, weight] of [
    ['Body', 400],
    ['Title', 700],
  ] as const) {
    document.registerFont(name, storyFontFile('latin', weight))
    document.registerFont(`${name} extended`, storyFontFile('latin-ext', weight))
  }
  const chunks: Buffer[] = []
  document.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)))
    document.on('error', reject)
  })

  /** document.text, or the layout of pdf-text.ts when the text needs both subsets of the font. */
  const write = (
    font: 'Body' | 'Title',
    raw: string,
    at: {x: number; y: number} | undefined,
    options: PDFKit.Mixins.TextOptions & {width: number},
  ) => {
    const text = raw.normalize('NFC') // a letter and its combining accent as the one letter the font has
    if (needsExtendedFont(text)) {
      mixedText(document, font, text, {width: options.width, lineGap: options.lineGap, maxHeight: options.height}).draw(
        at?.x ?? document.x,
        at?.y ?? document.y,
      )
    } else if (at) {
      document.font(font).text(text, at.x, at.y, options)
    } else {
      document.font(font).text(text, options)
    }
  }
  const heightAt = (size: number, text: string, options: {width: number; lineGap: number}) => {
    document.fontSize(size)
    const normalized = text.normalize('NFC')
    return needsExtendedFont(normalized)
      ? mixedText(document, 'Body', normalized, options).height
      : document.font('Body').heightOfString(normalized, options)
  }

  const drawImage = (
    image: {mimeType: string; content: string},
    x: number,
    y: number,
    width: number,
    height: number,
  ) => {
    if (image.mimeType.startsWith('image/svg')) {
      svgToPdf(document, image.content, x, y, {
        width,
        height,
        preserveAspectRatio: 'xMidYMid meet',
        fontCallback: () => 'Body',
      })
    } else {
      document.image(Buffer.from(image.content, 'base64'), x, y, {
        fit: [width, height],
        align: 'center',
        valign: 'center',
      })
    }
  }

  // Cover
  document.addPage()
  const {width, height} = document.page
  if (story.cover) drawImage(story.cover, 36, 36, width - 72, height - 170)
  document.fontSize(26).fillColor('#222')
  write(
    'Title',
    story.title,
    {x: 36, y: height - 125},
    {width: width - 72, align: 'center', height: 70, ellipsis: true},
  )
  document.fontSize(13).fillColor('#555')
  write('Body', story.byline, undefined, {width: width - 72, align: 'center'})

  for (const page of story.pages) {
    document.addPage()
    const imageHeight = page.illustration ? height * 0.6 : 0
    if (page.illustration) drawImage(page.illustration, 36, 30, width - 72, imageHeight)
    const box = {width: width - 96, align: 'center' as const, lineGap: 3}
    const room = height - 80 - imageHeight
    document.font('Body').fillColor('#222')
    // Long text shrinks a little; longer still, it moves to pages of its own, never cut off.
    let size = 15
    while (size > 11 && heightAt(size, page.text, box) > room) size--
    if (heightAt(size, page.text, box) <= room) {
      write('Body', page.text, {x: 48, y: 40 + imageHeight}, box)
    } else {
      document.addPage()
      document.fontSize(13)
      write('Body', page.text, {x: 48, y: 40}, box)
    }
  }
  // Page numbers on every page after the cover, inside the bottom margin (lifted for the number).
  const {count} = document.bufferedPageRange()
  for (let index = 1; index < count; index++) {
    document.switchToPage(index)
    const bottom = document.page.margins.bottom
    document.page.margins.bottom = 0
    document
      .font('Body')
      .fontSize(10)
      .fillColor('#888')
      .text(String(index), 0, height - 24, {width, align: 'center', lineBreak: false})
    document.page.margins.bottom = bottom
  }
  document.end()
  return finished
}
