import type { BoardView } from '@taskflow/board'

/**
 * A plain copy of each project's last board view, painted before the Yjs document is
 * loaded: applying a 5,000-task document takes ~400 ms of main thread, the snapshot a few
 * ms to read (shared/bench/results/browser-indexeddb-2026-11-26.md). Display-only: the
 * board is read-only until the document itself is loaded. One database per account, under
 * the account's prefix, so sign-out's deleteAccountDatabases removes it with the documents.
 */
const STORE = 'views'
const FORMAT = 1

interface Stored {
  format: number
  savedAt: number
  view: BoardView
}

const dbName = (accountPrefix: string) => `${accountPrefix}~board-views`

/**
 * Writes in flight. Sign-out waits for them before it lists the account's databases: a
 * first write still creating the database would otherwise be missed by the listing and
 * leave the account's board behind on the device.
 */
const writing = new Set<Promise<void>>()

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

function isView(v: unknown): v is BoardView {
  const view = v as BoardView | null
  return !!view && Array.isArray(view.columns) && Array.isArray(view.trash)
}

/** The saved view of a project, or null (none yet, unreadable, or another format). */
export async function readBoardSnapshot(
  accountPrefix: string,
  projectId: string,
): Promise<BoardView | null> {
  try {
    const db = await openDb(accountPrefix, false)
    try {
      const stored = await new Promise<Stored | undefined>((resolve, reject) => {
        const req = db.transaction(STORE, 'readonly').objectStore(STORE).get(projectId)
        req.onsuccess = () => resolve(req.result as Stored | undefined)
        req.onerror = () => reject(req.error)
      })
      return stored?.format === FORMAT && isView(stored.view) ? stored.view : null
    } finally {
      db.close()
    }
  } catch {
    return null
  }
}

/** Saves the view (structured clone, no JSON). Failures only cost the fast first paint. */
export function writeBoardSnapshot(
  accountPrefix: string,
  projectId: string,
  view: BoardView,
): Promise<void> {
  const run = storeBoardSnapshot(accountPrefix, projectId, view)
  writing.add(run)
  return run.finally(() => writing.delete(run))
}

async function storeBoardSnapshot(
  accountPrefix: string,
  projectId: string,
  view: BoardView,
): Promise<void> {
  try {
    const db = await openDb(accountPrefix)
    try {
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(STORE, 'readwrite')
        const stored: Stored = { format: FORMAT, savedAt: Date.now(), view }
        tx.objectStore(STORE).put(stored, projectId)
        tx.oncomplete = () => resolve()
        tx.onerror = tx.onabort = () => reject(tx.error)
      })
    } finally {
      db.close()
    }
  } catch {
    // Quota, a private window, or sign-out deleting the database meanwhile.
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
