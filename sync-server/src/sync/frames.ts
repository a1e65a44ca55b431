import type { Socket } from 'node:net'
import { WebSocket } from 'ws'

/**
 * Fan-out without per-receiver work: a server→client WebSocket frame is unmasked, so the
 * same bytes (header + payload) can be written to every receiver's socket. `ws.send` would
 * build a header and cork/uncork per receiver; at 200 clients that is most of the relay cost.
 * Writing one Buffer to many sockets also queues it once in memory, however many of them
 * have not read it yet.
 */
export type Frame = Buffer

/** The frame of a message, given whole or as parts (copied once, one after the other). */
export function encodeFrame(...payload: readonly Uint8Array[]): Frame {
  let len = 0
  for (const p of payload) len += p.length
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
  let at = headerLen
  for (const p of payload) {
    frame.set(p, at)
    at += p.length
  }
  return frame
}

/** The message inside a frame built by encodeFrame (a view, no copy). */
function payloadOf(frame: Frame): Uint8Array {
  const len7 = frame[1]! & 0x7f
  return frame.subarray(len7 < 126 ? 2 : len7 === 126 ? 4 : 10)
}

interface WsInternals {
  _socket?: Socket
  _sender?: { _state?: number; _queue?: unknown[] }
}

/** The TCP socket under an open ws socket (ws keeps it in `_socket`). */
export function socketOf(ws: WebSocket): Socket | undefined {
  return (ws as unknown as WsInternals)._socket
}

/**
 * Writes a prebuilt frame. Falls back to `ws.send` whenever ws has its own frames queued
 * (it never does with compression off, which is how the sync server runs it), so frame
 * order on the socket is always ws's order. Returns true when the socket's unsent output
 * passed its high-water mark: its `drain` event follows once everything was written.
 * Never throws.
 */
export function writeFrame(ws: WebSocket, frame: Frame): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false
  const internals = ws as unknown as WsInternals
  const socket = internals._socket
  const sender = internals._sender
  if (socket && sender && !sender._state && !sender._queue?.length) return !socket.write(frame)
  ws.send(payloadOf(frame), { binary: true })
  return socket?.writableNeedDrain ?? false
}
