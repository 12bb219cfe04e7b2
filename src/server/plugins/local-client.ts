// Whether a request comes from this machine: the operator-only routes (metrics, monitoring) answer
// no one else, and the 405 answers must not tell others that those paths exist.
import type {FastifyRequest} from 'fastify'

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip']

/** A request from this machine, not forwarded by a proxy on it. */
export function isLocalRequest(request: FastifyRequest): boolean {
  return isLoopback(request.socket.remoteAddress) && !FORWARDING_HEADERS.some((header) => header in request.headers)
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses; not an unknown address (a closed socket). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const ipv4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return ipv4.startsWith('127.') || address === '::1'
}
