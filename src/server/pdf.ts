// The print-ready export: a cover, then one page per story page with its illustration and text,
// page numbers, and an embedded font (Atkinson Hyperlegible, made for young readers).
import {createRequire} from 'node:module'
import type {GeneratedImage} from './generation/types.js'

export interface PdfStory {
  title: string
  byline: string
  cover: GeneratedImage | undefined
  pages: Array<{text: string; illustration: {mimeType: string; content: string} | undefined}>
}

const require = createRequire(import.meta.url)
const FONT = (weight: 400 | 700) => require.resolve(`@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-${weight}-normal.woff`)

export async function renderStoryPdf(story: PdfStory): Promise<Buffer> {
  const {default: PDFDocument} = await import('pdfkit')
  const {default: svgToPdf} = await import('svg-to-pdfkit')
  // A5 landscape, the shape of a picture book.
  // bufferPages: page numbers are written at the end, when a long text may have added pages.
  const document = new PDFDocument({size: 'A5', layout: 'landscape', margin: 36, autoFirstPage: false, bufferPages: true, info: {Title: story.title, Creator: 'Storybook'}})
  document.registerFont('Body', FONT(400))
  document.registerFont('Title', FONT(700))
  const chunks: Buffer[] = []
  document.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)))
    document.on('error', reject)
  })

  const drawImage = (image: {mimeType: string; content: string}, x: number, y: number, width: number, height: number) => {
    if (image.mimeType.startsWith('image/svg')) {
      svgToPdf(document, image.content, x, y, {width, height, preserveAspectRatio: 'xMidYMid meet', fontCallback: () => 'Body'})
    } else {
      document.image(Buffer.from(image.content, 'base64'), x, y, {fit: [width, height], align: 'center', valign: 'center'})
    }
  }

  // Cover
  document.addPage()
  const {width, height} = document.page
  if (story.cover) drawImage(story.cover, 36, 36, width - 72, height - 170)
  document.font('Title').fontSize(26).fillColor('#222').text(story.title, 36, height - 125, {width: width - 72, align: 'center', height: 70, ellipsis: true})
  document.font('Body').fontSize(13).fillColor('#555').text(story.byline, {width: width - 72, align: 'center'})

  for (const page of story.pages) {
    document.addPage()
    const imageHeight = page.illustration ? height * 0.6 : 0
    if (page.illustration) drawImage(page.illustration, 36, 30, width - 72, imageHeight)
    const box = {width: width - 96, align: 'center' as const, lineGap: 3}
    const room = height - 80 - imageHeight
    document.font('Body').fillColor('#222')
    // Long text shrinks a little; longer still, it moves to pages of its own, never cut off.
    let size = 15
    while (size > 11 && document.fontSize(size).heightOfString(page.text, box) > room) size--
    if (document.fontSize(size).heightOfString(page.text, box) <= room) {
      document.text(page.text, 48, 40 + imageHeight, box)
    } else {
      document.addPage()
      document.fontSize(13).text(page.text, 48, 40, box)
    }
  }
  // Page numbers on every page after the cover, inside the bottom margin (lifted for the number).
  const {count} = document.bufferedPageRange()
  for (let index = 1; index < count; index++) {
    document.switchToPage(index)
    const bottom = document.page.margins.bottom
    document.page.margins.bottom = 0
    document.font('Body').fontSize(10).fillColor('#888').text(String(index), 0, height - 24, {width, align: 'center', lineBreak: false})
    document.page.margins.bottom = bottom
  }
  document.end()
  return finished
}
