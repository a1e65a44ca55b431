import type { Socket } from 'node:net'
import { WebSocket } from 'ws'

/**
 * Fan-out without per-receiver work: a server→client WebSocket frame is unmasked, so the
 * same bytes (header + payload) can be written to every receiver's socket. `ws.send` would
 * build a header and cork/uncork per receiver; at 200 clients that is most of the relay cost.
 */
export type Frame = Buffer

export function encodeFrame(payload: Uint8Array): Frame {
  const len = payload.length
  const headerLen = len < 126 ? 2 : len < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerLen + len)
  frame[0] = 0x82 // FIN + binary opcode
  if (len < 126) {
    frame[1] = len
  } else if (len < 65536) {
    frame[1] = 126
    frame.writeUInt16BE(len, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(len / 2 ** 32), 2)
    frame.writeUInt32BE(len >>> 0, 6)
  }
  frame.set(payload, headerLen)
  return frame
}

/** Bytes queued for one socket beyond which the peer is considered gone (4× a 16 MiB frame). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024

interface WsInternals {
  _socket?: Socket
  _sender?: { _state?: number; _queue?: unknown[] }
}

/**
 * Writes a prebuilt frame. Falls back to `ws.send` whenever ws has its own frames queued
 * (it never does with compression off, which is how the sync server runs it), so frame
 * order on the socket is always ws's order. Never throws.
 */
export function sendFrame(ws: WebSocket, frame: Frame, payload: Uint8Array): void {
  if (ws.readyState !== WebSocket.OPEN) return
  const internals = ws as unknown as WsInternals
  const socket = internals._socket
  const sender = internals._sender
  if (socket && sender && !sender._state && !sender._queue?.length) {
    // A peer that stopped reading would make the server buffer every update for it
    // forever; drop it instead (its provider reconnects and resyncs from the handshake).
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      ws.terminate()
      return
    }
    socket.write(frame)
  } else {
    ws.send(payload, { binary: true })
  }
}
