// A fake of the dashboard's HTTP side at the network boundary: routes answered by the test, and
// every request recorded (method, path with its query, JSON body).
import {vi} from 'vitest'

export interface Recorded {
  method: string
  url: URL
  body: unknown
}

type Handler = (request: Recorded) => unknown

export function fakeDashboard(routes: Record<string, Handler>): Recorded[] {
  const requests: Recorded[] = []
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://127.0.0.1:8001')
    const method = init?.method ?? 'GET'
    const request = {method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined}
    requests.push(request)
    const handler = routes[`${method} ${url.pathname}`]
    if (!handler)
      return new Response(JSON.stringify({error: {message: `not faked: ${method} ${url.pathname}`}}), {status: 404})
    return new Response(JSON.stringify(handler(request)), {headers: {'content-type': 'application/json'}})
  })
  return requests
}
