// Accounts: register, log in, log out, and who am I.
import {Type} from '@sinclair/typebox'
import type {FastifyPluginAsyncTypebox} from '@fastify/type-provider-typebox'
import {hashPassword, verifyPassword} from '../../core/auth/password.js'
import {StorybookError} from '../../core/errors.js'
import type {ServerContext} from '../context.js'
import {authenticate, bearerToken, currentUser, forgetSession} from '../plugins/auth.js'
import {createSession, createUser, deleteSession, findUserByEmail} from '../repositories/accounts.js'
import {errorResponses, NonEmptyText} from '../schemas/common.js'
import {SessionDto, userDto} from '../schemas/resources.js'

const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000
/**
 * The address rule Ajv applies for `format: email` (ajv-formats' full mode, case-insensitive), written
 * out as the pattern too: the format alone lets a client think `a@localhost` or `"a b"@x.org` will do.
 */
export const EMAIL_PATTERN =
  "^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*" +
  '@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$'
const Email = Type.String({format: 'email', pattern: EMAIL_PATTERN, maxLength: 254})
const Password = Type.String({minLength: 8, maxLength: 200})
/** Verifying against this keeps "no such user" as slow as "wrong password". */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

export function authRoutes(context: ServerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const strict = {max: context.config.rateLimit.authMax, timeWindow: context.config.rateLimit.windowMs}

    app.post(
      '/api/auth/register',
      {
        config: {rateLimit: strict},
        schema: {
          tags: ['accounts'],
          body: Type.Object(
            {email: Email, password: Password, displayName: NonEmptyText(60)},
            {additionalProperties: false},
          ),
          response: {201: SessionDto, ...errorResponses},
        },
      },
      async (request, reply) => {
        const {email, password, displayName} = request.body
        if (await findUserByEmail(context.db, email)) {
          throw new StorybookError('CONFLICT', 'An account with this email exists already.', {
            next: ['POST /api/auth/login'],
          })
        }
        const user = await createUser(
          context.db,
          {email, displayName, passwordHash: await hashPassword(password)},
          context.clock(),
        ).catch(async (error: unknown) => {
          // Two registrations racing for the same email: the unique index decides.
          if (await findUserByEmail(context.db, email))
            throw new StorybookError('CONFLICT', 'An account with this email exists already.')
          throw error
        })
        const session = await createSession(
          context.db,
          user.id,
          context.clock(),
          SESSION_TTL_MS,
          context.config.sessionSecret,
        )
        return reply.status(201).send({user: userDto(user), ...session})
      },
    )

    app.post(
      '/api/auth/login',
      {
        config: {rateLimit: strict},
        schema: {
          tags: ['accounts'],
          body: Type.Object({email: Email, password: Type.String({maxLength: 200})}, {additionalProperties: false}),
          response: {200: SessionDto, ...errorResponses},
        },
      },
      async (request) => {
        const user = await findUserByEmail(context.db, request.body.email)
        const valid = await verifyPassword(request.body.password, user?.password_hash ?? DUMMY_HASH)
        if (!user || !valid) throw new StorybookError('UNAUTHORIZED', 'The email or the password is wrong.')
        const session = await createSession(
          context.db,
          user.id,
          context.clock(),
          SESSION_TTL_MS,
          context.config.sessionSecret,
        )
        return {user: userDto(user), ...session}
      },
    )

    app.post(
      '/api/auth/logout',
      {
        onRequest: authenticate(context),
        schema: {tags: ['accounts'], response: {204: Type.Null(), ...errorResponses}},
      },
      async (request, reply) => {
        const token = bearerToken(request) as string
        await deleteSession(context.db, token, context.config.sessionSecret)
        forgetSession(context, token)
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/api/auth/me',
      {
        onRequest: authenticate(context),
        schema: {tags: ['accounts'], response: {200: Type.Object({user: Type.Ref('User')}), ...errorResponses}},
      },
      async (request) => ({user: userDto(currentUser(request))}),
    )
  }
}
