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
  const document = new PDFDocument({size: 'A5', layout: 'landscape', margin: 36, autoFirstPage: false, info: {Title: story.title, Creator: 'Storybook'}})
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

  story.pages.forEach((page, index) => {
    document.addPage()
    const imageHeight = page.illustration ? height * 0.6 : 0
    if (page.illustration) drawImage(page.illustration, 36, 30, width - 72, imageHeight)
    // Long text shrinks rather than spilling onto a page of its own.
    const box = {width: width - 96, align: 'center' as const, lineGap: 3}
    let size = 15
    document.font('Body')
    while (size > 8 && document.fontSize(size).heightOfString(page.text, box) > height - 80 - imageHeight) size--
    document.fontSize(size).fillColor('#222').text(page.text, 48, 40 + imageHeight, {...box, height: height - 70 - imageHeight, ellipsis: true})
    // Inside the bottom margin: lift the margin for the number, or pdfkit would start a new page.
    const bottom = document.page.margins.bottom
    document.page.margins.bottom = 0
    document.font('Body').fontSize(10).fillColor('#888').text(String(index + 1), 0, height - 24, {width, align: 'center', lineBreak: false})
    document.page.margins.bottom = bottom
  })
  document.end()
  return finished
}
