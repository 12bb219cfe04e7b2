// A fake API at the network boundary: global fetch answers the routes a test lists, and records
// every request. Everything above fetch (openapi-fetch, the stores, the screens) is the real code.
import {vi} from 'vitest'

export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
  authorization: string | null
}
type Handler = (request: FakeRequest, params: Record<string, string>) => Response | Promise<Response>

export const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), {status, headers: {'content-type': 'application/json'}})
export const envelope = (status: number, code: string, message: string) =>
  json(status, {error: {code, message, details: {}}})
export const svg = (label = 'picture') =>
  new Response(`<svg xmlns="http://www.w3.org/2000/svg"><title>${label}</title></svg>`, {
    headers: {'content-type': 'image/svg+xml'},
  })

function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = []
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`)
  const found = regex.exec(path)
  return found ? Object.fromEntries(names.map((name, index) => [name, found[index + 1] as string])) : null
}

function withUrl(response: Response, url: string): Response {
  Object.defineProperty(response, 'url', {value: url})
  return response
}

export function fakeApi(routes: Record<string, Handler>) {
  const requests: FakeRequest[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init)
    const url = new URL(request.url)
    const text = await request.text()
    const recorded: FakeRequest = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      authorization: request.headers.get('authorization'),
    }
    requests.push(recorded)
    for (const [key, handler] of Object.entries(routes)) {
      const [method, pattern] = key.split(' ') as [string, string]
      const params = method === request.method ? match(pattern, url.pathname) : null
      // A real fetch's response knows its URL; a constructed one does not.
      if (params) return withUrl(await handler(recorded, params), request.url)
    }
    return withUrl(envelope(404, 'NOT_FOUND', `The fake API has no ${request.method} ${url.pathname}.`), request.url)
  })
  vi.stubGlobal('fetch', fetch)
  return {fetch, requests}
}

export const TOKEN = 'test-token-0123456789abcdef'
export const USER = {id: 'u1', email: 'pip@example.test', displayName: 'Pip', createdAt: '2026-01-01T00:00:00.000Z'}

export const CATALOG = {
  categories: [
    {
      id: 'ageGroup',
      label: 'Age group',
      kind: 'one',
      required: true,
      options: [
        {id: 'child', label: 'Child'},
        {id: 'adult', label: 'Grown-up'},
      ],
    },
    {
      id: 'species',
      label: 'Species',
      kind: 'one',
      required: true,
      options: [
        {id: 'human', label: 'Human'},
        {id: 'fox', label: 'Fox'},
      ],
    },
    {
      id: 'personality',
      label: 'Personality',
      kind: 'many',
      max: 2,
      required: false,
      options: [
        {id: 'brave', label: 'Brave'},
        {id: 'kind', label: 'Kind'},
        {id: 'shy', label: 'Shy'},
      ],
    },
  ],
}
