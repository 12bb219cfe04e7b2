// Users and their sessions. Plain functions over a Kysely instance; the token itself is never
// stored, only its HMAC.
import {createHmac, randomBytes} from 'node:crypto'
import type {Kysely} from 'kysely'
import {newId} from '../../core/db/ids.js'
import type {Database, User} from '../../core/db/types.js'

/**
 * What the database stores for a token: an HMAC keyed with SESSION_SECRET, so a copy of the
 * database alone cannot even be checked against guessed tokens. Changing the secret logs everyone out.
 */
export function storedTokenHash(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('hex')
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
}

export async function createUser(
  db: Kysely<Database>,
  input: {email: string; displayName: string; passwordHash: string},
  now: Date,
): Promise<User> {
  const user: User = {
    id: newId(),
    email: input.email.toLowerCase(),
    display_name: input.displayName,
    password_hash: input.passwordHash,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }
  await db.insertInto('users').values(user).execute()
  return user
}

export interface NewSession {
  token: string
  expiresAt: string
}

export async function createSession(
  db: Kysely<Database>,
  userId: string,
  now: Date,
  ttlMs: number,
  secret: string,
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString()
  await db
    .insertInto('sessions')
    .values({
      id: newId(),
      user_id: userId,
      token_hash: storedTokenHash(token, secret),
      created_at: now.toISOString(),
      expires_at: expiresAt,
      last_used_at: now.toISOString(),
    })
    .execute()
  return {token, expiresAt}
}

/**
 * The user a bearer token belongs to and when the session expires, if it exists and has not expired;
 * marks the session as used (the API asks at most every few seconds per session, so this write is rare).
 */
export async function findSessionByToken(
  db: Kysely<Database>,
  token: string,
  now: Date,
  secret: string,
): Promise<{user: User; expiresAt: string} | undefined> {
  const hash = storedTokenHash(token, secret)
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at as session_expires_at')
    .where('sessions.token_hash', '=', hash)
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst()
  if (!row) return undefined
  await db.updateTable('sessions').set({last_used_at: now.toISOString()}).where('token_hash', '=', hash).execute()
  const {session_expires_at: expiresAt, ...user} = row
  return {user, expiresAt}
}

export async function deleteSession(db: Kysely<Database>, token: string, secret: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', storedTokenHash(token, secret)).execute()
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst()
  return Number(result.numDeletedRows)
}
