import {describe, expect, it} from 'vitest'
import {newId} from '../../../../src/core/db/ids.js'

describe('newId', () => {
  it('makes RFC 9562 version 7 UUIDs that start with the time they were made', () => {
    const now = Date.UTC(2026, 10, 22, 7, 30)
    const id = newId(now + 1000)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(now + 1000)
  })

  it('sorts in creation order, within one millisecond and when the clock steps back', () => {
    const start = Date.now() + 10_000
    const ids = [
      ...Array.from({length: 5000}, () => newId(start)),
      newId(start - 5),
      ...Array.from({length: 100}, (_, index) => newId(start + 1 + index)),
    ]
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('differs in its random part between ids of the same millisecond', () => {
    const now = Date.now() + 20_000
    const tails = new Set(Array.from({length: 1000}, () => newId(now).slice(19)))
    expect(tails.size).toBe(1000)
  })
})
