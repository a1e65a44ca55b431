import type { BoardView, ColumnView, TaskSummary } from '@taskflow/board'

/**
 * A plain copy of each project's last board view, painted before the Yjs document is
 * loaded: applying a 5,000-task document takes ~400 ms of main thread, the snapshot a few
 * ms to read (shared/bench/results/browser-indexeddb-2026-11-26.md). Display-only: the
 * board is read-only until the document itself is loaded. One database per account, under
 * the account's prefix, so sign-out's deleteAccountDatabases removes it with the documents.
 */
const STORE = 'views'
/*
 * Format 2: the view without its tasks under the project id, and the tasks in records of at
 * most CHUNK_TASKS under `<projectId>\u0000<n>`. IndexedDB clones a value synchronously when
 * it is put: one 10,000-task view was one main-thread task of 40-160 ms a couple of seconds
 * after every board open (it landed on the first view switch or scroll); a chunk is a few ms.
 * Format 1 (the whole view in one record) is no longer read: the next write replaces it.
 */
const FORMAT = 2
const CHUNK_TASKS = 500

interface Stored {
  format: number
  savedAt: number
  /** The view with every task list empty; the tasks are in `chunks` records. */
  view: BoardView
  chunks: number
}

/** Tasks of one column (index into `view.columns`), or of the trash (-1). */
interface Chunk {
  column: number
  tasks: TaskSummary[]
}

/** Chunk keys sort by number (zero-padded) right after their project's key. */
const chunkKey = (projectId: string, n: number) => `${projectId}\u0000${String(n).padStart(6, '0')}`
const chunkRange = (projectId: string, from = 0) =>
  IDBKeyRange.bound(chunkKey(projectId, from), `${projectId}\u0000\uffff`)

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
      const [stored, chunks] = await new Promise<[Stored | undefined, Chunk[]]>(
        (resolve, reject) => {
          const tx = db.transaction(STORE, 'readonly')
          const store = tx.objectStore(STORE)
          const head = store.get(projectId)
          const parts = store.getAll(chunkRange(projectId))
          tx.oncomplete = () =>
            resolve([head.result as Stored | undefined, parts.result as Chunk[]])
          tx.onerror = tx.onabort = () => reject(tx.error)
        },
      )
      if (stored?.format !== FORMAT || !isView(stored.view)) return null
      if (chunks.length !== stored.chunks) return null
      return joinChunks(stored.view, chunks)
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
      const { skeleton, chunks } = splitChunks(view)
      await new Promise<void>((resolve, reject) => {
        // One transaction (a reader sees the old snapshot or the new one, never a mix), but
        // each put from the previous one's success event: every clone is its own short task.
        const tx = db.transaction(STORE, 'readwrite')
        const store = tx.objectStore(STORE)
        store.delete(chunkRange(projectId, chunks.length))
        const put = (n: number) => {
          if (n === chunks.length) {
            const stored: Stored = {
              format: FORMAT,
              savedAt: Date.now(),
              view: skeleton,
              chunks: chunks.length,
            }
            store.put(stored, projectId)
            return
          }
          store.put(chunks[n], chunkKey(projectId, n)).onsuccess = () => put(n + 1)
        }
        put(0)
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
        tx.objectStore(STORE).delete(chunkRange(projectId))
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

/** The view with empty task lists, and its tasks in chunks of at most CHUNK_TASKS. */
function splitChunks(view: BoardView): { skeleton: BoardView; chunks: Chunk[] } {
  const chunks: Chunk[] = []
  const cut = (column: number, tasks: readonly TaskSummary[]) => {
    for (let i = 0; i < tasks.length; i += CHUNK_TASKS)
      chunks.push({ column, tasks: tasks.slice(i, i + CHUNK_TASKS) })
  }
  view.columns.forEach((c, i) => {
    cut(i, c.tasks)
  })
  cut(-1, view.trash)
  const skeleton: BoardView = {
    ...view,
    columns: view.columns.map((c) => ({ ...c, tasks: [] })),
    trash: [],
  }
  return { skeleton, chunks }
}

/** The inverse of `splitChunks`; null when a chunk names a column the view lacks. */
function joinChunks(skeleton: BoardView, chunks: readonly Chunk[]): BoardView | null {
  const columns: { column: ColumnView; tasks: TaskSummary[] }[] = skeleton.columns.map(
    (column) => ({ column, tasks: [] }),
  )
  const trash: TaskSummary[] = []
  for (const chunk of chunks) {
    const into = chunk.column === -1 ? trash : columns[chunk.column]?.tasks
    if (!into || !Array.isArray(chunk.tasks)) return null
    for (const t of chunk.tasks) into.push(t)
  }
  return {
    ...skeleton,
    columns: columns.map(({ column, tasks }) => ({ ...column, tasks })),
    trash,
  }
}
