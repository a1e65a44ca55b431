import { Worker } from 'node:worker_threads'
import type { Insertable } from 'kysely'
import type { Durability } from '../db/database.js'
import type { DocCheckpointsTable } from '../db/schema.js'

/**
 * Writes a document's snapshot (UpdateLog.compact with history), and a full checkpoint, somewhere
 * off the event loop.
 */
export interface SnapshotWriter {
  /**
   * States smaller than this are written on the caller's own connection instead: a blob of a
   * few hundred KiB is written in about a millisecond, and the writer's thread costs ~0.3 s
   * of CPU to start and a V8 isolate (~10 MiB) to keep (issue 17: it started inside the
   * fan-out benchmark's edit phase, at the first compaction of a 200-task board).
   */
  readonly minBytes: number
  write(docName: string, uptoSeq: number, state: Uint8Array, createdAt: number): Promise<void>
  /** Inserts a checkpoint row (kept if one exists at its seq). */
  insertCheckpoint(row: Insertable<DocCheckpointsTable>): Promise<void>
  close(): Promise<void>
}

/** Default SnapshotWriter.minBytes: the size from which compaction's encode also leaves the loop (room.ts). */
export const SNAPSHOT_WRITER_MIN_BYTES = 256 * 1024

type Reply = { id: number; ok: true } | { id: number; ok: false; error: string }

/** The worker next to this module: the .mjs source, or the copy build.mjs puts in dist/. */
const WORKER_URL = new URL('./snapshot-writer-worker.mjs', import.meta.url)

/**
 * SQLite only: the snapshot upsert on a worker thread with its own connection to the same
 * file (issue 18: a multi-MB blob write blocked the event loop 0.2–3 s on a loaded disk, in
 * the kernel, not in SQLite's CPU). One worker, started on first use and restarted after a
 * crash; writes queue in it. It does not keep the process alive. Postgres needs none: its
 * writes are asynchronous already.
 */
export class SqliteSnapshotWriter implements SnapshotWriter {
  #worker: Worker | null = null
  #nextId = 1
  readonly #pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>()
  #closed = false

  constructor(
    private readonly file: string,
    private readonly durability: Durability = 'normal',
    readonly minBytes: number = SNAPSHOT_WRITER_MIN_BYTES,
  ) {}

  write(docName: string, uptoSeq: number, state: Uint8Array, createdAt: number): Promise<void> {
    return this.#send({ op: 'snapshot', docName, uptoSeq, state, createdAt })
  }

  insertCheckpoint(row: Insertable<DocCheckpointsTable>): Promise<void> {
    return this.#send({ op: 'checkpoint', row })
  }

  #send(job: Record<string, unknown>): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('snapshot writer closed'))
    const worker = this.#start()
    const id = this.#nextId++
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      worker.postMessage({ id, ...job })
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    const w = this.#worker
    this.#worker = null
    this.#failAll(new Error('snapshot writer closed'))
    if (w) await w.terminate()
  }

  #start(): Worker {
    if (this.#worker) return this.#worker
    const w = new Worker(WORKER_URL, {
      workerData: { file: this.file, durability: this.durability },
    })
    w.unref()
    w.on('message', (reply: Reply) => {
      const p = this.#pending.get(reply.id)
      if (!p) return
      this.#pending.delete(reply.id)
      if (reply.ok) p.resolve()
      else p.reject(new Error(reply.error))
    })
    const gone = (err: Error) => {
      if (this.#worker !== w) return
      this.#worker = null
      this.#failAll(err)
    }
    w.on('error', gone)
    w.on('exit', (code) => gone(new Error(`snapshot writer exited (${code})`)))
    this.#worker = w
    return w
  }

  #failAll(err: Error): void {
    for (const p of this.#pending.values()) p.reject(err)
    this.#pending.clear()
  }
}
