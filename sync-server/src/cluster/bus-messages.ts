import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { HubMessage } from '../notifications/notification-hub.js'
import type { CommittedRow } from '../sync/room.js'

/**
 * What nodes tell each other over Redis pub/sub. Document traffic is binary (updates are
 * bytes); control events are JSON. Every message names the node that sent it, which
 * ignores its own.
 */
export type SyncMessage =
  | { kind: 'committed'; node: string; docName: string; rows: readonly CommittedRow[] }
  | { kind: 'awareness'; node: string; docName: string; update: Uint8Array }

/** Access and notification events every node acts on (revocation within 1 s, SSE). */
export type ControlEvent =
  | { type: 'reauthorize'; filter: { docName?: string; userId?: string; sessionId?: string } }
  | { type: 'closeDocument'; docName: string; reason: string }
  | { type: 'notify'; userId: string; message: HubMessage }

const COMMITTED = 1
const AWARENESS = 2

export function encodeSyncMessage(m: SyncMessage): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, m.kind === 'committed' ? COMMITTED : AWARENESS)
  encoding.writeVarString(e, m.node)
  encoding.writeVarString(e, m.docName)
  if (m.kind === 'awareness') {
    encoding.writeVarUint8Array(e, m.update)
  } else {
    encoding.writeVarUint(e, m.rows.length)
    for (const r of m.rows) {
      encoding.writeVarUint(e, r.seq)
      encoding.writeUint8(e, r.userId === null ? 0 : 1)
      if (r.userId !== null) encoding.writeVarString(e, r.userId)
      encoding.writeFloat64(e, r.at)
      encoding.writeVarUint8Array(e, r.update)
    }
  }
  return encoding.toUint8Array(e)
}

/** Null for a message this version does not understand (a newer node's). */
export function decodeSyncMessage(bytes: Uint8Array): SyncMessage | null {
  try {
    const d = decoding.createDecoder(bytes)
    const kind = decoding.readVarUint(d)
    const node = decoding.readVarString(d)
    const docName = decoding.readVarString(d)
    if (kind === AWARENESS) {
      return { kind: 'awareness', node, docName, update: decoding.readVarUint8Array(d) }
    }
    if (kind !== COMMITTED) return null
    const n = decoding.readVarUint(d)
    const rows: CommittedRow[] = []
    for (let i = 0; i < n; i++) {
      const seq = decoding.readVarUint(d)
      const userId = decoding.readUint8(d) === 0 ? null : decoding.readVarString(d)
      const at = decoding.readFloat64(d)
      rows.push({ seq, userId, at, update: decoding.readVarUint8Array(d) })
    }
    return { kind: 'committed', node, docName, rows }
  } catch {
    return null
  }
}
