// The typed API client: openapi-fetch over the generated schema, with the session's bearer token,
// and every failure turned into an ApiError with a readable message. A 401 on a signed-in request
// ends the session here, once, so that every screen sends the user back to log in.
import createClient from 'openapi-fetch'
import type {components, paths} from './schema'
import {ApiError, problemFromNetworkError, problemFromResponse} from './errors'
import {useSession} from '../store/session'
import {reportRejectedRequest} from '../metrics'

export type Character = components['schemas']['Character']
export type Story = components['schemas']['Story']
export type Page = components['schemas']['Page']
export type Job = components['schemas']['Job']
export type User = components['schemas']['User']
export type StoryDetail = Story & {pages: Page[]}
/** Traits as a draft holds them while they are chosen, before the wizard's checks. */
export type Traits = Record<string, string | string[]>
/** Traits as the API takes them: every required category chosen, values from the catalog. */
export type CharacterTraits = Character['traits']

/** fetch looked up on every call, so tests can replace it at the network boundary. */
const networkFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)

const origin = () => globalThis.location?.origin ?? 'http://localhost'

export const api = createClient<paths>({baseUrl: origin(), fetch: networkFetch})

api.use({
  onRequest({request}) {
    const token = useSession.getState().token
    if (token) request.headers.set('authorization', `Bearer ${token}`)
    return request
  },
})

interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/** The error of a failed response; a 401 to a request sent with the current token ends that session. */
function failed(response: Response, body: unknown, tokenSent: string | null): ApiError {
  reportRejectedRequest(response.status, response.url)
  const error = problemFromResponse(response.status, body, tokenSent !== null)
  const session = useSession.getState()
  if (error.problem === 'session-expired' && session.token === tokenSent) session.expire()
  return error
}

/**
 * Runs one openapi-fetch call and returns its data, or throws an ApiError: network failures as
 * "API down", error responses with the API's own message.
 */
export async function call<T>(request: () => Promise<FetchResult<T>>): Promise<T> {
  const tokenSent = useSession.getState().token
  let result: FetchResult<T>
  try {
    result = await request()
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error
    throw problemFromNetworkError()
  }
  if (!result.response.ok) throw failed(result.response, result.error, tokenSent)
  return result.data as T
}

/** A file from the API (a portrait, an illustration, the PDF), with the session's token. */
export async function fetchFile(url: string, init: RequestInit = {}): Promise<Blob> {
  const token = useSession.getState().token
  const headers = new Headers(init.headers)
  if (token) headers.set('authorization', `Bearer ${token}`)
  let response: Response
  try {
    response = await networkFetch(new URL(url, origin()).toString(), {...init, headers})
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error
    throw problemFromNetworkError()
  }
  if (!response.ok) throw failed(response, await response.json().catch(() => undefined), token)
  return response.blob()
}
