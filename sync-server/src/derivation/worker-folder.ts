import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../logger.js'
import type { FoldBase, FoldOutput } from './board-fold.js'
import type { LogEntry } from './committed-log.js'
import type { Folder } from './folder.js'
import { joinPage, OUTPUT_PAGE_ITEMS, type OutputPage } from './output-pages.js'

export type FolderRequest =
  | { id: number; op: 'init'; key: string; base: FoldBase; at: number }
  | { id: number; op: 'advance'; key: string; rows: readonly LogEntry[]; pageItems: number }
  /** The next page of `key`'s last advance (its answer said how many there are). */
  | { id: number; op: 'page'; key: string }
  | { id: 0; op: 'drop'; key: string }

export type FolderResponse =
  | {
      id: number
      ok: true
      pos: number
      /** An advance's output; with `pages`, its long lists follow in that many pages. */
      out?: FoldOutput
      pages?: number
      page?: OutputPage
    }
  | { id: number; ok: false; error: string }

/**
 * Updates at least this large are copied once and the copy's memory is moved to the worker
 * (transferred), not cloned: cloning an 8.7 MB row (an imported 10,000-task board) took
 * ~90 ms of the event loop. The caller's own buffers may be shared (a room keeps its
 * committed rows), so they are never transferred themselves.
 */
const TRANSFER_MIN_BYTES = 64 * 1024

export interface WorkerFolderOptions {
  /** Items per message of a large output (default OUTPUT_PAGE_ITEMS). */
  pageItems?: number
}

/**
 * Runs the folds on one worker thread, started at first use and shared by every engine in
 * the process (test files start many servers; each would otherwise pay the worker's start).
 * Messages are answered in order; a worker that dies fails what is pending (the engine
 * re-derives those documents from their cursors) and the next request starts a new one.
 */
export class WorkerFolder implements Folder {
  static #instances = 0
  readonly #prefix = `${++WorkerFolder.#instances}:`
  readonly #keys = new Set<string>()

  readonly #pageItems: number

  constructor(
    private readonly logger: Logger,
    opts: WorkerFolderOptions = {},
  ) {
    this.#pageItems = opts.pageItems ?? OUTPUT_PAGE_ITEMS
  }

  async init(key: string, base: FoldBase, at: number): Promise<number> {
    this.#keys.add(key)
    const transfer: ArrayBuffer[] = []
    const snapshot = base.snapshot && {
      ...base.snapshot,
      state: movable(base.snapshot.state, transfer),
    }
    const r = await host.ask(
      {
        id: host.nextId(),
        op: 'init',
        key: this.#prefix + key,
        base: { ...base, snapshot, rows: movableRows(base.rows, transfer) },
        at,
      },
      this.logger,
      transfer,
    )
    return r.pos
  }

  async advance(key: string, rows: readonly LogEntry[]) {
    const transfer: ArrayBuffer[] = []
    const r = await host.ask(
      {
        id: host.nextId(),
        op: 'advance',
        key: this.#prefix + key,
        rows: movableRows(rows, transfer),
        pageItems: this.#pageItems,
      },
      this.logger,
      transfer,
    )
    const out = r.out
    if (!out) throw new Error('fold worker answered without output')
    // One message per page, each asked for when the last one is in: the event loop runs
    // between them (messages already queued would be received in one go).
    for (let i = 0; i < (r.pages ?? 0); i++) {
      const p = await host.ask(
        { id: host.nextId(), op: 'page', key: this.#prefix + key },
        this.logger,
      )
      if (!p.page) throw new Error('fold worker answered without a page')
      joinPage(out, p.page)
    }
    return { pos: r.pos, out }
  }

  drop(key: string): void {
    this.#keys.delete(key)
    host.drop(this.#prefix + key)
  }

  async close(): Promise<void> {
    for (const key of [...this.#keys]) this.drop(key)
  }
}

/** The process's fold worker (unref'd: it never keeps the process alive). */
class FoldWorkerHost {
  #worker: Worker | null = null
  #nextId = 1
  readonly #pending = new Map<number, (r: FolderResponse) => void>()

  nextId(): number {
    return this.#nextId++
  }

  ask(
    req: Exclude<FolderRequest, { op: 'drop' }>,
    logger: Logger,
    transfer: ArrayBuffer[] = [],
  ): Promise<Extract<FolderResponse, { ok: true }>> {
    const worker = this.#start(logger)
    return new Promise((resolve, reject) => {
      this.#pending.set(req.id, (r) => (r.ok ? resolve(r) : reject(new Error(r.error))))
      worker.postMessage(req, transfer)
    })
  }

  drop(key: string): void {
    this.#worker?.postMessage({ id: 0, op: 'drop', key } satisfies FolderRequest)
  }

  #start(logger: Logger): Worker {
    if (this.#worker) return this.#worker
    const worker = new Worker(workerEntry())
    worker.unref()
    worker.on('message', (r: FolderResponse) => {
      const p = this.#pending.get(r.id)
      this.#pending.delete(r.id)
      p?.(r)
    })
    worker.on('error', (err) => logger.error('fold worker failed', { err: String(err) }))
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return
      this.#worker = null
      logger.error('fold worker exited', { code })
      for (const [id, p] of this.#pending) p({ id, ok: false, error: 'fold worker exited' })
      this.#pending.clear()
    })
    this.#worker = worker
    return worker
  }
}

const host = new FoldWorkerHost()

/** `update` as it is sent to the worker: a large one copied into memory of its own, moved. */
function movable(update: Uint8Array, transfer: ArrayBuffer[]): Uint8Array {
  if (update.length < TRANSFER_MIN_BYTES) return update
  // Not zero-filled first: every byte is written by the copy.
  const copy = Buffer.allocUnsafeSlow(update.length)
  copy.set(update)
  transfer.push(copy.buffer)
  return copy
}

function movableRows(rows: readonly LogEntry[], transfer: ArrayBuffer[]): readonly LogEntry[] {
  if (!rows.some((r) => r.update.length >= TRANSFER_MIN_BYTES)) return rows
  return rows.map((r) => ({ ...r, update: movable(r.update, transfer) }))
}

/**
 * The build ships fold-worker.js next to the bundle. Run from sources (tsx, vitest), the
 * worker registers tsx's loader first: a worker does not inherit its parent's loaders.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./fold-worker.js', import.meta.url)
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href
  const entry = new URL('./fold-worker.ts', import.meta.url).href
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)})`
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`)
}
