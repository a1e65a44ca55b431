import { Worker } from 'node:worker_threads'

/** What a room sends to be encoded: its committed state as stored, and the history inputs. */
export interface EncodeJob {
  /** The snapshot (null: none yet). */
  base: Uint8Array | null
  /** Committed log rows after it, in seq order. */
  updates: Uint8Array[]
  /** The previous history checkpoint's state vector, when a diff checkpoint may be due. */
  prevSv: Uint8Array | null
  /** Every stored update after that checkpoint (null: not all stored). */
  rows: Uint8Array[] | null
}

export interface Encoded {
  state: Uint8Array
  sv: Uint8Array
  /** The pieces history/checkpoint-diff.ts composeDiff takes (null without prevSv). */
  diff: { update: Uint8Array; own: Uint8Array; deletions: Uint8Array | null } | null
}

type Reply =
  | { id: number; ok: true; value: Encoded }
  | { id: number; ok: false; error: string }
  | { id: number; ok: false; missingBase: true }

/** The worker next to this module: the .mjs source, or the copy build.mjs puts in dist/. */
const WORKER_URL = new URL('./compaction-worker.mjs', import.meta.url)

/**
 * Compaction's CPU work off the event loop (issue 18: it stalled relaying for 0.5–4 s on a
 * large board). One worker thread, started on first use and restarted after a crash; jobs
 * queue in it. It does not keep the process alive.
 */
export class CompactionEncoder {
  #worker: Worker | null = null
  #nextId = 1
  readonly #pending = new Map<
    number,
    {
      resolve: (e: Encoded) => void
      reject: (err: Error) => void
      /** The worker no longer holds the base it was pointed at: send it the bytes. */
      resend: () => void
    }
  >()
  #closed = false
  /**
   * States the worker returned, by identity, and the id it keeps a copy under: a room's next
   * compaction starts from exactly that object (its snapshot), so the worker is pointed at
   * its copy instead of being sent 9 MB that the event loop would serialize (issue 18).
   */
  #keptByWorker = new WeakMap<Uint8Array, number>()
  #nextKeepId = 1

  encode(job: EncodeJob): Promise<Encoded> {
    if (this.#closed) return Promise.reject(new Error('compaction encoder closed'))
    const worker = this.#start()
    const id = this.#nextId++
    const keepAs = this.#nextKeepId++
    const baseId = job.base ? this.#keptByWorker.get(job.base) : undefined
    return new Promise<Encoded>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: (e) => {
          this.#keptByWorker.set(e.state, keepAs)
          resolve(e)
        },
        reject,
        resend: () => this.#post(worker, { id, ...job, keepAs }),
      })
      if (baseId !== undefined) this.#post(worker, { id, ...job, base: null, baseId, keepAs })
      else this.#post(worker, { id, ...job, keepAs })
    })
  }

  /**
   * Posts a job with its many small updates packed into one buffer that is moved, not
   * cloned: a board's first compaction after an import carries ~9 MB in ~100 updates, and
   * the event loop serialized them for 0.3–1 s under load (issue 18 profile).
   */
  #post(worker: Worker, job: EncodeJob & Record<string, unknown>): void {
    const updates = pack(job.updates)
    const rows = job.rows ? pack(job.rows) : null
    const transfer = [updates.bytes.buffer, updates.lengths.buffer]
    if (rows) transfer.push(rows.bytes.buffer, rows.lengths.buffer)
    worker.postMessage({ ...job, updates, rows }, transfer)
  }

  async close(): Promise<void> {
    this.#closed = true
    const w = this.#worker
    this.#worker = null
    this.#failAll(new Error('compaction encoder closed'))
    if (w) await w.terminate()
  }

  #start(): Worker {
    if (this.#worker) return this.#worker
    const w = new Worker(WORKER_URL)
    w.unref()
    w.on('message', (reply: Reply) => {
      const p = this.#pending.get(reply.id)
      if (!p) return
      if (!reply.ok && 'missingBase' in reply) {
        p.resend()
        return
      }
      this.#pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.value)
      else p.reject(new Error(reply.error))
    })
    const gone = (err: Error) => {
      if (this.#worker !== w) return
      this.#worker = null
      // A new worker holds no states.
      this.#keptByWorker = new WeakMap()
      this.#failAll(err)
    }
    w.on('error', gone)
    w.on('exit', (code) => gone(new Error(`compaction worker exited (${code})`)))
    this.#worker = w
    return w
  }

  #failAll(err: Error): void {
    const all = [...this.#pending.values()]
    this.#pending.clear()
    for (const p of all) p.reject(err)
  }
}

/** Arrays as one fresh buffer and their lengths (the worker's unpack reverses it). */
function pack(arrays: readonly Uint8Array[]): {
  bytes: Uint8Array<ArrayBuffer>
  lengths: Uint32Array<ArrayBuffer>
} {
  let total = 0
  for (const a of arrays) total += a.length
  const bytes = new Uint8Array(total)
  const lengths = new Uint32Array(arrays.length)
  let at = 0
  arrays.forEach((a, i) => {
    bytes.set(a, at)
    lengths[i] = a.length
    at += a.length
  })
  return { bytes, lengths }
}
