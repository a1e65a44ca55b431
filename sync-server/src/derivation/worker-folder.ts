import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../logger.js'
import type { FoldBase, FoldOutput } from './board-fold.js'
import type { LogEntry } from './committed-log.js'
import type { Folder } from './folder.js'

export type FolderRequest =
  | { id: number; op: 'init'; key: string; base: FoldBase; at: number }
  | { id: number; op: 'advance'; key: string; rows: readonly LogEntry[] }
  | { id: 0; op: 'drop'; key: string }

export type FolderResponse =
  | { id: number; ok: true; pos: number; out?: FoldOutput }
  | { id: number; ok: false; error: string }

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

  constructor(private readonly logger: Logger) {}

  async init(key: string, base: FoldBase, at: number): Promise<number> {
    this.#keys.add(key)
    const r = await host.ask(
      { id: host.nextId(), op: 'init', key: this.#prefix + key, base, at },
      this.logger,
    )
    return r.pos
  }

  async advance(key: string, rows: readonly LogEntry[]) {
    const r = await host.ask(
      { id: host.nextId(), op: 'advance', key: this.#prefix + key, rows },
      this.logger,
    )
    if (!r.out) throw new Error('fold worker answered without output')
    return { pos: r.pos, out: r.out }
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
  ): Promise<Extract<FolderResponse, { ok: true }>> {
    const worker = this.#start(logger)
    return new Promise((resolve, reject) => {
      this.#pending.set(req.id, (r) => (r.ok ? resolve(r) : reject(new Error(r.error))))
      worker.postMessage(req)
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
