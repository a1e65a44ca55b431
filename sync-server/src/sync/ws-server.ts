import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { CLOSE_CODES } from '@taskflow/api'
import { WebSocketServer } from 'ws'
import type { Logger } from '../logger.js'
import type { SyncHub } from './sync-hub.js'

const SYNC_PREFIX = '/sync/'

/**
 * Serves `GET /sync/<docName>?token=…` upgrades on the HTTP server with `ws` directly
 * (no per-message framework layer on the hot path). Returns a function that stops
 * accepting new upgrades.
 */
export function attachSyncWebSocket(
  server: Server,
  hub: SyncHub,
  maxMessageBytes: number,
  // Unused since sync lines moved to the hub (they carry the connection id); kept for callers.
  _logger: Logger,
): () => void {
  // Compression off: frames are prebuilt once per broadcast (see frames.ts).
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
  })
  let accepting = true

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (!url.pathname.startsWith(SYNC_PREFIX)) {
      // Leave other upgrade paths to other listeners, if anyone registered one.
      if (server.listenerCount('upgrade') === 1) rejectUpgrade(socket, 404, 'Not Found')
      return
    }
    if (!accepting) return rejectUpgrade(socket, 503, 'Service Unavailable')
    const docName = url.pathname.slice(SYNC_PREFIX.length)
    const token = url.searchParams.get('token')
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws answers an over-limit frame with 1009 on its own; the protocol promises 4413.
      const close = ws.close.bind(ws)
      ws.close = (code?: number, reason?: string | Buffer) =>
        code === 1009 ? close(CLOSE_CODES.tooLarge, 'message too large') : close(code, reason)
      hub.connect(ws, docName, token)
    })
  }
  server.on('upgrade', onUpgrade)
  return () => {
    accepting = false
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
