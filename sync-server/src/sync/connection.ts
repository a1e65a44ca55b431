import type { WebSocket } from 'ws'
import type { Access } from './access.js'
import { encodeFrame, sendFrame } from './frames.js'

let connections = 0

/** One authorized socket on one document. */
export class Connection {
  /** Names this socket in every log line about it (`conn`); unique within the process. */
  readonly id = `c${(++connections).toString(36)}`
  access: Access = 'read'
  userId: string | null = null
  sessionId: string | null = null
  /** The server's sync step 1 is owed once the room's Y.Doc exists (see Room). */
  needsStep1 = true
  closed = false

  constructor(
    readonly ws: WebSocket,
    readonly docName: string,
    /** Kept only to re-run authorize on reauthorize(); never logged. */
    readonly token: string | null,
  ) {}

  /** Sends one message to this socket only. Never throws. */
  send(payload: Uint8Array): void {
    sendFrame(this.ws, encodeFrame(payload), payload)
  }

  /** Closes once with a named code; later calls are ignored. */
  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.ws.close(code, reason.slice(0, 120))
  }
}
