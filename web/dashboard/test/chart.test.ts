// A chart breaks its line where the samples stop (the API was down) instead of drawing across the gap.
import {describe, expect, it} from 'vitest'
import {withGaps} from '../src/Chart'

describe('withGaps', () => {
  it('adds one empty time in the middle of a gap wider than three usual steps', () => {
    expect(withGaps([0, 1000, 2000, 3000, 20_000, 21_000])).toEqual([0, 1000, 2000, 3000, 11_500, 20_000, 21_000])
  })

  it('leaves evenly spaced samples, and too few to judge, as they are', () => {
    expect(withGaps([0, 1000, 2000, 3500])).toEqual([0, 1000, 2000, 3500])
    expect(withGaps([5000])).toEqual([5000])
    expect(withGaps([])).toEqual([])
  })
})
