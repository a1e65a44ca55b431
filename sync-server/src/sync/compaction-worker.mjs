// The CPU part of a room's compaction, on a worker thread (sync/compaction-encoder.ts):
// rebuild the committed state from the snapshot and the log rows after it, encode it, and
// the pieces of a history diff checkpoint (history/checkpoint-diff.ts composes them).
// Plain JavaScript so it runs as is from the sources (tsx, vitest) and from dist/.
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'

/**
 * Copies of states this worker encoded, by the id the encoder gave them: the next compaction
 * of the board starts from the state the last one produced, and sending it back here (9 MB
 * for 10,000 tasks) cost the event loop 80–190 ms of structured-clone serialization (issue
 * 18). A few boards' worth; the encoder sends the bytes again after a miss.
 */
const kept = new Map()
const KEPT_STATES = 4

parentPort.on('message', (job) => {
  let result
  let transfer = []
  try {
    let base = job.base
    if (job.baseId != null) {
      base = kept.get(job.baseId)
      if (!base) {
        parentPort.postMessage({ id: job.id, ok: false, missingBase: true })
        return
      }
    }
    const value = encode({ ...job, base, updates: unpack(job.updates), rows: unpack(job.rows) })
    if (job.keepAs != null) {
      kept.delete(job.keepAs)
      kept.set(job.keepAs, value.state.slice())
      while (kept.size > KEPT_STATES) kept.delete(kept.keys().next().value)
    }
    result = { id: job.id, ok: true, value }
    transfer = ownBuffers([
      value.state,
      value.sv,
      value.diff?.update,
      value.diff?.own,
      value.diff?.deletions,
    ])
  } catch (err) {
    result = { id: job.id, ok: false, error: String(err?.stack ?? err) }
  }
  // Moved, not copied: a 10,000-task state is ~9 MB, and a structured-clone copy of it is
  // deserialized on the event loop (issue 18). This thread keeps no reference to them.
  parentPort.postMessage(result, transfer)
})

/** The arrays the encoder packed into one buffer (compaction-encoder.ts pack). */
function unpack(packed) {
  if (!packed) return packed
  const out = []
  let at = 0
  for (const n of packed.lengths) {
    out.push(packed.bytes.subarray(at, at + n))
    at += n
  }
  return out
}

/** The ArrayBuffers that each array alone spans (a view into a shared buffer is copied). */
function ownBuffers(arrays) {
  const out = new Set()
  for (const a of arrays) {
    if (a && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.byteLength > 0)
      out.add(a.buffer)
  }
  return [...out]
}

/**
 * @param {{ base: Uint8Array | null, updates: Uint8Array[], prevSv: Uint8Array | null,
 *   rows: Uint8Array[] | null }} job
 */
function encode({ base, updates, prevSv, rows }) {
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      if (base) Y.applyUpdate(doc, base)
      for (const u of updates) Y.applyUpdate(doc, u)
    })
    const state = Y.encodeStateAsUpdate(doc)
    const sv = Y.encodeStateVector(doc)
    if (!prevSv) return { state, sv, diff: null }
    const deletions =
      rows && rows.length > 0
        ? Y.diffUpdate(rows.length === 1 ? rows[0] : Y.mergeUpdates(rows), sv)
        : null
    return {
      state,
      sv,
      diff: {
        update: Y.encodeStateAsUpdate(doc, prevSv),
        own: Y.encodeStateAsUpdate(doc, sv),
        deletions,
      },
    }
  } finally {
    doc.destroy()
  }
}
