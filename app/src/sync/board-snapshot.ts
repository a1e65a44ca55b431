import type { BoardView, TaskSummary } from '@taskflow/board'
import * as Y from 'yjs'

/**
 * A plain copy of each project's last board view, painted before the Yjs document is
 * loaded: applying a 5,000-task document takes ~400 ms of main thread, the snapshot a few
 * ms to read (shared/bench/results/browser-indexeddb-2026-11-26.md). Display-only: the
 * board is read-only until the document itself is loaded. One database per account, under
 * the account's prefix, so sign-out's deleteAccountDatabases removes it with the documents.
 */
const STORE = 'views'
/**
 * Format 2 keeps the tasks out of the project's record, in parts of `PART_TASKS` (keys
 * `partKey`), each put from the previous put's success callback: cloning a 10,000-task view
 * in one `put` was one main-thread task of 60–220 ms (a keystroke typed then waited for it);
 * a part is a few ms, and the browser handles input between parts. One transaction, so a
 * reader never sees a half-written snapshot.
 */
const FORMAT = 2
const PART_TASKS = 500

interface Stored {
  format: number
  savedAt: number
  /** The view with every column's `tasks` and the trash empty; they are in the parts. */
  view: BoardView
  /** Tasks of each column, then of the trash, in the parts' order. */
  counts: number[]
  /** `Y.encodeSnapshot` of the document the view was derived from (absent before it was kept). */
  docState?: Uint8Array
  /** The code that derived it (`BUILD`). */
  build?: string
}

/**
 * The code that derives views: in a built app the bundle's URL carries a hash of its content
 * and its imports', so a release that changes `BoardView` (without changing `FORMAT`) does not
 * count a snapshot its older self derived as current (see `StoredBoardSnapshot.docState`).
 */
const BUILD = import.meta.url

/** A saved board, and the document state it was derived from. */
export interface StoredBoardSnapshot {
  view: BoardView
  /**
   * The state (state vector and delete set) of the document the view was derived from by
   * this build, or null when unknown: the same state gives the same view, so a document
   * found in this state needs no new snapshot.
   */
  docState: Y.Snapshot | null
}

const partKey = (projectId: string, i: number) => `${projectId}#${String(i).padStart(6, '0')}`
const partsOf = (projectId: string) => IDBKeyRange.bound(`${projectId}#`, `${projectId}#\uffff`)

const dbName = (accountPrefix: string) => `${accountPrefix}~board-views`

/**
 * Writes in flight. Sign-out waits for them before it lists the account's databases: a
 * first write still creating the database would otherwise be missed by the listing and
 * leave the account's board behind on the device.
 */
const writing = new Set<Promise<unknown>>()

/** Resolves once every snapshot write started so far has finished (or failed). */
export async function boardSnapshotWritesSettled(): Promise<void> {
  await Promise.allSettled([...writing])
}

/** `create: false` (reads, deletes) fails instead of creating a missing database. */
function openDb(accountPrefix: string, create = true): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName(accountPrefix), 1)
    req.onupgradeneeded = () => {
      if (create) req.result.createObjectStore(STORE)
      // Aborting the upgrade of a database that did not exist leaves none behind.
      else req.transaction?.abort()
    }
    req.onsuccess = () => {
      const db = req.result
      // Sign-out deletes this database; never hold it up.
      db.onversionchange = () => db.close()
      resolve(db)
    }
    req.onerror = () => reject(req.error)
    req.onblocked = () => reject(new Error('blocked'))
  })
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T)
    req.onerror = () => reject(req.error)
  })
}

/** The stored view with its tasks put back, or null when the parts do not add up. */
function joinParts(stored: Stored, parts: TaskSummary[][]): BoardView | null {
  const tasks = parts.flat()
  const { view, counts } = stored
  if (!Array.isArray(counts) || counts.length !== view.columns.length + 1) return null
  if (counts.reduce((a, b) => a + b, 0) !== tasks.length) return null
  let at = 0
  const take = (n: number) => {
    at += n
    return tasks.slice(at - n, at)
  }
  const columns = view.columns.map((c, i) => ({ ...c, tasks: take(counts[i]!) }))
  return { ...view, columns, trash: take(counts.at(-1)!) }
}

function docStateOf(stored: Stored): Y.Snapshot | null {
  // Not `instanceof`: a clone may come from another realm (fake-indexeddb under jsdom).
  if (stored.build !== BUILD || !ArrayBuffer.isView(stored.docState)) return null
  try {
    return Y.decodeSnapshot(stored.docState)
  } catch {
    return null
  }
}

function isView(v: unknown): v is BoardView {
  const view = v as BoardView | null
  return !!view && Array.isArray(view.columns) && Array.isArray(view.trash)
}

/** The saved board of a project, or null (none yet, unreadable, or another format). */
export async function readBoardSnapshot(
  accountPrefix: string,
  projectId: string,
): Promise<StoredBoardSnapshot | null> {
  try {
    const db = await openDb(accountPrefix, false)
    try {
      const store = db.transaction(STORE, 'readonly').objectStore(STORE)
      const [stored, parts] = await Promise.all([
        request<Stored | undefined>(store.get(projectId)),
        request<TaskSummary[][]>(store.getAll(partsOf(projectId))),
      ])
      if (stored?.format !== FORMAT || !isView(stored.view)) return null
      const view = joinParts(stored, parts)
      return view && { view, docState: docStateOf(stored) }
    } finally {
      db.close()
    }
  } catch {
    return null
  }
}

/**
 * Saves the view (structured clone, no JSON), its tasks in parts (`FORMAT`), with the state
 * of the document it was derived from (`Y.snapshot(doc)` when the view was taken). Resolves
 * true once stored; failures only cost the fast first paint.
 */
export function writeBoardSnapshot(
  accountPrefix: string,
  projectId: string,
  view: BoardView,
  docState: Y.Snapshot | null = null,
): Promise<boolean> {
  const run = storeBoardSnapshot(accountPrefix, projectId, view, docState)
  writing.add(run)
  return run.finally(() => writing.delete(run))
}

async function storeBoardSnapshot(
  accountPrefix: string,
  projectId: string,
  view: BoardView,
  docState: Y.Snapshot | null,
): Promise<boolean> {
  try {
    const db = await openDb(accountPrefix)
    try {
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(STORE, 'readwrite')
        tx.oncomplete = () => resolve()
        tx.onerror = tx.onabort = () => reject(tx.error)
        const store = tx.objectStore(STORE)
        const tasks = [...view.columns.flatMap((c) => c.tasks), ...view.trash]
        const stored: Stored = {
          format: FORMAT,
          savedAt: Date.now(),
          view: { ...view, columns: view.columns.map((c) => ({ ...c, tasks: [] })), trash: [] },
          counts: [...view.columns.map((c) => c.tasks.length), view.trash.length],
          ...(docState && { docState: Y.encodeSnapshot(docState), build: BUILD }),
        }
        store.delete(partsOf(projectId))
        // Each part is cloned in its own task (the previous put's success callback).
        const put = (i: number) => {
          if (i * PART_TASKS >= tasks.length) {
            store.put(stored, projectId)
            return
          }
          const slice = tasks.slice(i * PART_TASKS, (i + 1) * PART_TASKS)
          store.put(slice, partKey(projectId, i)).onsuccess = () => put(i + 1)
        }
        put(0)
      })
      return true
    } finally {
      db.close()
    }
  } catch {
    // Quota, a private window, or sign-out deleting the database meanwhile.
    return false
  }
}

/** Removes a project's saved view (its local copy is being deleted). Never throws. */
export async function deleteBoardSnapshot(accountPrefix: string, projectId: string): Promise<void> {
  try {
    const db = await openDb(accountPrefix, false)
    try {
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(STORE, 'readwrite')
        tx.objectStore(STORE).delete(projectId)
        tx.objectStore(STORE).delete(partsOf(projectId))
        tx.oncomplete = () => resolve()
        tx.onerror = tx.onabort = () => reject(tx.error)
      })
    } finally {
      db.close()
    }
  } catch {
    // Only a stale first paint is left behind; the document itself is gone.
  }
}
