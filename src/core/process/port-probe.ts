// Whether something accepts TCP connections on a port, and whether a health URL answers: the
// cheap "is the service up" probes.
import {get as httpGet} from 'node:http'
import {connect} from 'node:net'

/** Whether anything accepts connections on the port on this machine, over IPv4 or IPv6 loopback. */
export async function isLoopbackPortOpen(port: number): Promise<boolean> {
  const [v4, v6] = await Promise.all([isPortOpen('127.0.0.1', port), isPortOpen('::1', port)])
  return v4 || v6
}

export function isPortOpen(host: string, port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port})
    const done = (open: boolean) => {
      socket.destroy()
      resolve(open)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

export type HttpProbe = {ok: true; status: number} | {ok: false; problem: string; status?: number}

/**
 * A GET with node:http (cheaper to load than fetch for a one-off probe, which matters to status):
 * ok for a status below 400, else what went wrong.
 */
export function probeHttp(url: string, timeoutMs: number): Promise<HttpProbe> {
  return new Promise((resolve) => {
    const request = httpGet(url, {timeout: timeoutMs, agent: false}, (response) => {
      response.resume()
      const code = response.statusCode ?? 0
      resolve(code > 0 && code < 400 ? {ok: true, status: code} : {ok: false, problem: `HTTP ${code}`, status: code})
    })
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.on('error', (error) => resolve({ok: false, problem: error.message}))
  })
}
