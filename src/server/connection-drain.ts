// Graceful close that loses no request: Node's closeIdleConnections() also closes connections
// whose request has arrived but was not parsed yet (the event loop was busy), and the client sees
// a reset. Here a connection is closed only once it has no request in flight, has read nothing new
// across two checks, and has either served a request or had a second to send its first one;
// responses during shutdown carry `Connection: close`.
import type {Server, ServerResponse} from 'node:http'
import type {Socket} from 'node:net'

interface Tracked {
  inFlight: number
  requests: number
  acceptedAt: number
  lastBytesRead: number
  quietChecks: number
}

/** A connection that never sent a request is given this long to send one before it is closed. */
const FIRST_REQUEST_WAIT_MS = 1_000

export interface ConnectionDrain {
  /** True once drain() started: responses should ask clients to close their connection. */
  readonly closing: boolean
  /**
   * Resolves once no new connection has arrived for `quietMs`, or after `maxMs` at the latest
   * (steady traffic must not keep a stopping server listening).
   */
  quiet(quietMs: number, maxMs?: number): Promise<void>
  /** Closes connections as they become idle; resolves when none is left. */
  drain(): Promise<void>
}

export function trackConnections(server: Server, checkEveryMs = 50): ConnectionDrain {
  const sockets = new Map<Socket, Tracked>()
  let closing = false
  let lastConnectionAt = 0
  server.on('connection', (socket: Socket) => {
    lastConnectionAt = Date.now()
    sockets.set(socket, {inFlight: 0, requests: 0, acceptedAt: Date.now(), lastBytesRead: 0, quietChecks: 0})
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('request', (request: {socket: Socket}, response: ServerResponse) => {
    const tracked = sockets.get(request.socket)
    if (!tracked) return
    tracked.inFlight++
    tracked.requests++
    if (closing) response.setHeader('connection', 'close')
    response.once('close', () => {
      tracked.inFlight--
    })
  })
  return {
    get closing() {
      return closing
    },
    quiet(quietMs, maxMs = quietMs * 5) {
      closing = true
      const deadline = Date.now() + maxMs
      return new Promise((resolve) => {
        // A timer, then setImmediate: the poll phase in between accepts whatever is waiting.
        const check = () =>
          setImmediate(() =>
            Date.now() - lastConnectionAt >= quietMs || Date.now() >= deadline
              ? resolve()
              : setTimeout(check, quietMs / 2),
          )
        setTimeout(check, quietMs)
      })
    },
    drain() {
      closing = true
      return new Promise((resolve) => {
        const check = () => {
          for (const [socket, tracked] of sockets) {
            const read = socket.bytesRead
            tracked.quietChecks = tracked.inFlight === 0 && read === tracked.lastBytesRead ? tracked.quietChecks + 1 : 0
            tracked.lastBytesRead = read
            const waitedForFirst = tracked.requests > 0 || Date.now() - tracked.acceptedAt > FIRST_REQUEST_WAIT_MS
            if (tracked.quietChecks >= 2 && waitedForFirst) socket.destroy()
          }
          if (sockets.size === 0) resolve()
          else setTimeout(check, checkEveryMs).unref()
        }
        check()
      })
    },
  }
}
