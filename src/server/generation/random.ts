// A small seeded random generator: the same seed always draws the same picture or story.
import {createHash} from 'node:crypto'

export type Random = () => number

export function seededRandom(seed: string): Random {
  const digest = createHash('sha256').update(seed).digest()
  let state = digest.readUInt32LE(0) || 1
  // mulberry32
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}
