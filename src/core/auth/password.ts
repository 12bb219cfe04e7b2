// Password hashing with scrypt from node:crypto. The stored form carries its own parameters and
// salt (`scrypt$N$r$p$salt$hash`, base64url), so parameters can be raised later without a migration.
import {randomBytes, scrypt, timingSafeEqual, type ScryptOptions} from 'node:crypto'

const KEY_LENGTH = 32
const DEFAULTS = {N: 2 ** 14, r: 8, p: 1}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, {...options, maxmem: 64 * 1024 * 1024}, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, DEFAULTS)
  return ['scrypt', DEFAULTS.N, DEFAULTS.r, DEFAULTS.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Constant-time comparison; a malformed stored hash simply does not verify. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  if (expected.length !== KEY_LENGTH) return false
  const key = await derive(password, Buffer.from(salt, 'base64url'), {N: Number(n), r: Number(r), p: Number(p)})
  return timingSafeEqual(key, expected)
}
