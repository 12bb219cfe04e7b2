// Graceful close that loses no request: Node's closeIdleConnections() also closes connections
// whose request has arrived but was not parsed yet (the event loop was busy), and the client sees
// a reset. Here a connection is closed only once it has no request in flight and has read nothing
// new across two checks; responses during shutdown carry `Connection: close`.
import type {Server, ServerResponse} from 'node:http'
import type {Socket} from 'node:net'

interface Tracked {
  inFlight: number
  lastBytesRead: number
  quietChecks: number
}

export interface ConnectionDrain {
  /** True once drain() started: responses should ask clients to close their connection. */
  readonly closing: boolean
  /** Closes connections as they become idle; resolves when none is left. */
  drain(): Promise<void>
}

export function trackConnections(server: Server, checkEveryMs = 50): ConnectionDrain {
  const sockets = new Map<Socket, Tracked>()
  let closing = false
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, {inFlight: 0, lastBytesRead: 0, quietChecks: 0})
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('request', (request: {socket: Socket}, response: ServerResponse) => {
    const tracked = sockets.get(request.socket)
    if (!tracked) return
    tracked.inFlight++
    if (closing) response.setHeader('connection', 'close')
    response.once('close', () => {
      tracked.inFlight--
    })
  })
  return {
    get closing() {
      return closing
    },
    drain() {
      closing = true
      return new Promise((resolve) => {
        const check = () => {
          for (const [socket, tracked] of sockets) {
            const read = socket.bytesRead
            tracked.quietChecks = tracked.inFlight === 0 && read === tracked.lastBytesRead ? tracked.quietChecks + 1 : 0
            tracked.lastBytesRead = read
            if (tracked.quietChecks >= 2) socket.destroy()
          }
          if (sockets.size === 0) resolve()
          else setTimeout(check, checkEveryMs).unref()
        }
        check()
      })
    },
  }
}
