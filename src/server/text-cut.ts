// Cutting user text to a length without cutting a character in two: a UTF-16 slice can split a
// surrogate pair (an emoji), which encodeURIComponent, PDF and JSON writers then refuse.

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'})

/** The longest start of `text` of at most `maxCodePoints` code points that ends between graphemes. */
export function cutText(text: string, maxCodePoints: number): string {
  let kept = ''
  let count = 0
  for (const {segment} of graphemes.segment(text)) {
    const size = [...segment].length
    if (count + size > maxCodePoints) break
    kept += segment
    count += size
  }
  return kept
}
