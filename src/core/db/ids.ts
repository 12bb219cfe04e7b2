// Row ids: UUID version 7 (RFC 9562), a millisecond timestamp then random bits. Ids made close in
// time sort close together, so the rows committed together land in the same B-tree page of the
// primary-key index instead of one random page each: a batch of 50 inserts writes a few pages,
// not 50. The 62 random bits per id are not guessable, and every read is scoped to its owner
// anyway; what an id gives away is when its row was made, which the row says itself.
import {randomFillSync} from 'node:crypto'

const HEX = Array.from({length: 256}, (_, byte) => byte.toString(16).padStart(2, '0'))
const POOL_IDS = 256
const pool = Buffer.alloc(16 * POOL_IDS)
let poolOffset = pool.length
let lastMs = 0
let sequence = 0

/** A new UUIDv7; ids made in one process in the same millisecond still sort in creation order. */
export function newId(now = Date.now()): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16)
  poolOffset += 16
  // The 12 bits after the version count up within a millisecond (RFC 9562 §6.2, method 1).
  if (now > lastMs) {
    lastMs = now
    sequence = (((bytes[6] as number) & 0x07) << 8) | (bytes[7] as number) // a random start in the lower half leaves room to count
  } else if (++sequence > 0xfff) {
    lastMs += 1
    sequence = 0
  }
  const ms = lastMs
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff
  bytes[2] = (ms >>> 24) & 0xff
  bytes[3] = (ms >>> 16) & 0xff
  bytes[4] = (ms >>> 8) & 0xff
  bytes[5] = ms & 0xff
  bytes[6] = 0x70 | (sequence >>> 8)
  bytes[7] = sequence & 0xff
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f)
  const hex = (index: number) => HEX[bytes[index] as number] as string
  return (
    `${hex(0)}${hex(1)}${hex(2)}${hex(3)}-${hex(4)}${hex(5)}-${hex(6)}${hex(7)}-` +
    `${hex(8)}${hex(9)}-${hex(10)}${hex(11)}${hex(12)}${hex(13)}${hex(14)}${hex(15)}`
  )
}
