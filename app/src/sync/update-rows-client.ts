import { type LoadedRows, runRowsOp } from './update-rows'
import type { RowsRequest, RowsResponse } from './update-rows.worker'

/**
 * Runs the heavy work on a document's stored rows (reading and merging them, compacting
 * them) in a Web Worker, so a 5,000-task board's megabytes are never merged or encoded on
 * the main thread. Where no worker can start (tests, a failed chunk load), the same
 * functions run in the page: slower, never wrong.
 */
interface Pending {
  op: RowsRequest['op']
  name: string
  resolve: (value: never) => void
  reject: (error: Error) => void
}

let worker: Worker | null | undefined
let nextId = 1
const pending = new Map<number, Pending>()

function startWorker(): Worker | null {
  if (typeof Worker === 'undefined') return null
  try {
    const w = new Worker(new URL('./update-rows.worker.ts', import.meta.url), {
      type: 'module',
      name: 'taskflow-update-rows',
    })
    w.onmessage = (e: MessageEvent<RowsResponse>) => {
      const p = pending.get(e.data.id)
      if (!p) return
      pending.delete(e.data.id)
      if (e.data.ok) p.resolve(e.data.result as never)
      else p.reject(new Error(e.data.error))
    }
    // The worker's script failed to load or threw at the top level: finish in the page.
    w.onerror = (e) => {
      e.preventDefault()
      w.terminate()
      worker = null
      const stranded = [...pending.values()]
      pending.clear()
      for (const p of stranded) runRowsOp(p.op, p.name).then(p.resolve as never, p.reject)
    }
    return w
  } catch {
    return null
  }
}

function request<T extends LoadedRows | number>(op: RowsRequest['op'], name: string): Promise<T> {
  if (worker === undefined) worker = startWorker()
  const w = worker
  if (!w) return runRowsOp(op, name) as Promise<T>
  const id = nextId++
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { op, name, resolve: resolve as (value: never) => void, reject })
    w.postMessage({ id, op, name } satisfies RowsRequest)
  })
}

/** Reads every stored row of the document, merged into one update. Rejects on IndexedDB errors. */
export const loadStoredDoc = (name: string) => request<LoadedRows>('load', name)

/**
 * Merges the document's stored rows into one (rows added meanwhile are kept). Resolves to
 * the rows left; rejects on IndexedDB errors, leaving the rows as they were.
 */
export const compactStoredDoc = (name: string) => request<number>('compact', name)
