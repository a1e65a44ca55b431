import type { WebSocket } from 'ws'
import type { Access } from './access.js'
import { encodeFrame, type Frame, socketOf, writeFrame } from './frames.js'
import type { Backlog, OutputBudget } from './output-budget.js'

let connections = 0

/** One authorized socket on one document. */
export class Connection implements Backlog {
  /** Names this socket in every log line about it (`conn`); unique within the process. */
  readonly id = `c${(++connections).toString(36)}`
  access: Access = 'read'
  userId: string | null = null
  sessionId: string | null = null
  /** The server's sync step 1 is owed once the room's Y.Doc exists (see Room). */
  needsStep1 = true
  closed = false
  /** Unsent output counted by the output budget (SPEC 5.5). */
  queuedBytes = 0
  budgetUser: string | null = null
  /** The user this socket is counted under for the sockets-per-user limit (SPEC 5.8). */
  countedUser: string | null = null
  /** Sync step 1 messages received in the current minute (SPEC 5.7). */
  step1Count = 0
  step1WindowStart = Number.NEGATIVE_INFINITY
  /** The latest sync step 1 that arrived while this socket's output was backlogged. */
  deferredStep1: Uint8Array | null = null

  constructor(
    readonly ws: WebSocket,
    readonly docName: string,
    /** Kept only to re-run authorize on reauthorize(); never logged. */
    readonly token: string | null,
    private readonly budget: OutputBudget<Connection>,
  ) {}

  /** Sends one message to this socket only. Never throws. */
  send(payload: Uint8Array): void {
    this.sendFrame(encodeFrame(payload))
  }

  /** Writes a prebuilt (possibly shared) frame and counts a backlog. Never throws. */
  sendFrame(frame: Frame): void {
    if (writeFrame(this.ws, frame)) this.budget.queued(this, socketOf(this.ws)?.writableLength ?? 0)
  }

  /** Closes once with a named code; later calls are ignored. */
  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.ws.close(code, reason.slice(0, 120))
  }
}
