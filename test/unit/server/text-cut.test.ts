import {describe, expect, it} from 'vitest'
import {cutText} from '../../../src/server/text-cut.js'
import {renderStoryPdf} from '../../../src/server/pdf.js'
import {downloadFileNames} from '../../../src/server/routes/stories.js'

describe('cutting user text', () => {
  it('never cuts inside a surrogate pair or a grapheme', () => {
    // Given texts whose cut point falls inside an emoji, a flag and a family of joined emoji
    const title = 'Die Bären und ihre Freunde im großen Zauberwald – Teil 1 😀🐻'
    expect(title.replace(/\s+/g, '-').slice(0, 60)).toMatch(/\p{Cs}/u)

    // Then each cut ends between characters
    expect(cutText(title, 60)).toBe(title)
    expect(cutText(title, 58)).toBe('Die Bären und ihre Freunde im großen Zauberwald – Teil 1 😀')
    expect(cutText('ab🇩🇪', 3)).toBe('ab')
    expect(cutText('a👨‍👩‍👧b', 4)).toBe('a')
    expect(cutText('kurz', 60)).toBe('kurz')
  })

  it('names the PDF download with well-formed names of at most 60 characters', () => {
    const {ascii, unicode} = downloadFileNames(`${'x'.repeat(59)}😀🐻`)
    expect(ascii).toBe(`${'x'.repeat(59)}.pdf`)
    expect(unicode).toBe(`${'x'.repeat(59)}😀.pdf`)
    expect(() => encodeURIComponent(unicode)).not.toThrow()
    expect(downloadFileNames('😀 ').ascii).toBe('story.pdf')
  })

  it('draws a cover whose long emoji title is cut with an ellipsis', async () => {
    const pdf = await renderStoryPdf({title: '😀🐻'.repeat(60), byline: 'by Ann', cover: undefined, pages: []})
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  })
})
