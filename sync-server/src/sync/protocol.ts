import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * The y-websocket wire protocol (y-protocols): every frame is one binary message whose
 * first varUint is the message type. Parsing is strict so that a malformed frame is
 * rejected before it touches a room (SPEC rule 5.2).
 */
export const MESSAGE_TYPE = { sync: 0, awareness: 1, queryAwareness: 3 } as const
export const SYNC_STEP = { step1: 0, step2: 1, update: 2 } as const

export type IncomingMessage =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'queryAwareness' }

export type ParseResult = { ok: true; message: IncomingMessage } | { ok: false; reason: string }

/** Document names: what a project id or any sane identifier needs, nothing that needs escaping. */
const DOC_NAME = /^[A-Za-z0-9_.:-]{1,128}$/

export function isValidDocName(name: string): boolean {
  return DOC_NAME.test(name)
}

/** Never throws: a truncated or trailing-garbage frame is `{ ok: false }`. */
export function parseMessage(data: Uint8Array): ParseResult {
  const decoder = decoding.createDecoder(data)
  try {
    const type = readVarUintStrict(decoder)
    let message: IncomingMessage
    if (type === MESSAGE_TYPE.sync) {
      const step = readVarUintStrict(decoder)
      const payload = readBytes(decoder)
      if (step === SYNC_STEP.step1) message = { kind: 'syncStep1', stateVector: payload }
      else if (step === SYNC_STEP.step2 || step === SYNC_STEP.update)
        message = { kind: 'update', update: payload }
      else return { ok: false, reason: `unknown sync step ${step}` }
    } else if (type === MESSAGE_TYPE.awareness) {
      message = { kind: 'awareness', update: readBytes(decoder) }
    } else if (type === MESSAGE_TYPE.queryAwareness) {
      message = { kind: 'queryAwareness' }
    } else {
      return { ok: false, reason: `unknown message type ${type}` }
    }
    if (decoder.pos !== data.length) return { ok: false, reason: 'trailing bytes' }
    return { ok: true, message }
  } catch {
    return { ok: false, reason: 'truncated message' }
  }
}

/** lib0's readVarUint silently accepts some overlong input; cap at 2^53 like Yjs does. */
export function readVarUintStrict(decoder: decoding.Decoder): number {
  if (decoder.pos >= decoder.arr.length) throw new Error('unexpected end')
  const n = decoding.readVarUint(decoder)
  if (!Number.isSafeInteger(n)) throw new Error('varUint out of range')
  return n
}

/**
 * Reads a length-prefixed byte array as a view (no copy). Bounds are checked against the
 * frame itself: lib0's reader would read past it into a pooled Buffer's neighbour bytes.
 */
export function readBytes(decoder: decoding.Decoder): Uint8Array {
  const len = readVarUintStrict(decoder)
  if (decoder.pos + len > decoder.arr.length) throw new Error('unexpected end')
  const view = decoder.arr.subarray(decoder.pos, decoder.pos + len)
  decoder.pos += len
  return view
}

/**
 * The bytes in memory of their own, as a Buffer (what better-sqlite3 binds as a BLOB). A
 * parsed update is a view into ws's receive buffer (a Buffer: its `slice()` is a view too, not
 * a copy), so one kept until compaction would keep the whole chunk it arrived in alive; and
 * `Buffer.from` puts small copies in a shared pool slab, which would do the same.
 */
export function ownCopy(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length)
  copy.set(bytes)
  return copy
}

function encodeWith(type: number, step: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  if (step !== null) encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

export const encodeSyncStep1 = (stateVector: Uint8Array) =>
  encodeWith(MESSAGE_TYPE.sync, SYNC_STEP.step1, stateVector)
export const encodeSyncStep2 = (update: Uint8Array) =>
  encodeWith(MESSAGE_TYPE.sync, SYNC_STEP.step2, update)
export const encodeUpdate = (update: Uint8Array) =>
  encodeWith(MESSAGE_TYPE.sync, SYNC_STEP.update, update)
export const encodeAwareness = (update: Uint8Array) =>
  encodeWith(MESSAGE_TYPE.awareness, null, update)

/**
 * The bytes before the update in `encodeUpdate(update)` for an update of `length` bytes: a
 * frame can be built from this and the update with one copy of it (frames.ts encodeFrame),
 * where lib0's encoder copies a large update twice more (an 8.7 MB board: tens of ms).
 */
export function updateMessageHead(length: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync)
  encoding.writeVarUint(encoder, SYNC_STEP.update)
  encoding.writeVarUint(encoder, length)
  return encoding.toUint8Array(encoder)
}

/** An update with no structs and no deletions ([0, 0] in v1): nothing to store or relay. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}

/** A state vector with no clients: the peer holds nothing yet. */
export function isEmptyStateVector(sv: Uint8Array): boolean {
  return sv.length === 1 && sv[0] === 0
}

/**
 * False for a Yjs update in the v2 encoding, which y-websocket never sends and
 * `Y.applyUpdate` would misread. A v2 update starts with a 0 feature flag; a v1 update
 * starting with 0 has no structs, only a delete set, which is parsed here to its last byte.
 * Updates with structs (first byte not 0) cost one comparison. Never throws.
 */
export function isV1Update(update: Uint8Array): boolean {
  if (update.length === 0 || update[0] !== 0) return true
  const decoder = decoding.createDecoder(update)
  decoder.pos = 1
  try {
    const clients = readVarUintStrict(decoder)
    for (let i = 0; i < clients; i++) {
      readVarUintStrict(decoder) // client
      const ranges = readVarUintStrict(decoder)
      for (let r = 0; r < ranges; r++) {
        readVarUintStrict(decoder) // clock
        readVarUintStrict(decoder) // length
      }
    }
    return decoder.pos === update.length
  } catch {
    return false
  }
}
