import * as Y from 'yjs'

/**
 * A project's stored document in y-indexeddb 9's format, so `IndexeddbPersistence` can still
 * open every database the app writes (and the app every database y-indexeddb wrote): one
 * database per document, an auto-increment `updates` store of Yjs v1 updates whose union is
 * the document, and a `custom` store the app leaves alone. Plain IndexedDB and `Y.mergeUpdates`
 * (no Y.Doc), so the same code runs in the compaction worker, on the page and in tests.
 */
export const UPDATES_STORE = 'updates'
const CUSTOM_STORE = 'custom'

/** Opens (creating like y-indexeddb does) a document's database. Sign-out's delete closes it. */
export function openUpdatesDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name)
    req.onupgradeneeded = () => {
      const db = req.result
      if (!db.objectStoreNames.contains(UPDATES_STORE))
        db.createObjectStore(UPDATES_STORE, { autoIncrement: true })
      if (!db.objectStoreNames.contains(CUSTOM_STORE)) db.createObjectStore(CUSTOM_STORE)
    }
    req.onsuccess = () => {
      const db = req.result
      db.onversionchange = () => db.close()
      resolve(db)
    }
    req.onerror = () => reject(req.error)
    req.onblocked = () => reject(new Error(`opening ${name} is blocked`))
  })
}

/**
 * Opens a document's database only if it exists: null otherwise, and none is created. The
 * worker's ops use this, so one finishing after sign-out deleted the account's databases
 * cannot bring an empty one back.
 */
export function openExistingUpdatesDb(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name)
    let absent = false
    req.onupgradeneeded = (e) => {
      if (e.oldVersion !== 0) return
      // Aborting the creating upgrade leaves no database behind.
      absent = true
      req.transaction?.abort()
    }
    req.onsuccess = () => {
      const db = req.result
      if (!db.objectStoreNames.contains(UPDATES_STORE)) {
        db.close()
        return resolve(null)
      }
      db.onversionchange = () => db.close()
      resolve(db)
    }
    req.onerror = (e) => {
      if (!absent) return reject(req.error)
      e.preventDefault()
      resolve(null)
    }
    req.onblocked = () => reject(new Error(`opening ${name} is blocked`))
  })
}

/** Every stored row, read in one transaction, and the highest key among them. */
export interface StoredRows {
  updates: Uint8Array[]
  /** Highest key read, or null when the store is empty. Rows added later have larger keys. */
  lastKey: number | null
}

export function readRows(db: IDBDatabase): Promise<StoredRows> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(UPDATES_STORE, 'readonly')
    const store = tx.objectStore(UPDATES_STORE)
    const values = store.getAll()
    const keys = store.getAllKeys()
    tx.oncomplete = () => {
      const updates = (values.result as unknown[]).filter(
        (v): v is Uint8Array => v instanceof Uint8Array,
      )
      const last = keys.result.at(-1)
      resolve({ updates, lastKey: typeof last === 'number' ? last : null })
    }
    tx.onerror = tx.onabort = () => reject(tx.error)
  })
}

/** Appends one update as its own row (as y-indexeddb stores each local edit). */
export function appendRow(db: IDBDatabase, update: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(UPDATES_STORE, 'readwrite')
    tx.objectStore(UPDATES_STORE).add(update)
    tx.oncomplete = () => resolve()
    tx.onerror = tx.onabort = () => reject(tx.error)
  })
}

export function countRows(db: IDBDatabase): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = db.transaction(UPDATES_STORE, 'readonly').objectStore(UPDATES_STORE).count()
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

/**
 * Replaces the rows with keys ≤ `upToKey` by `merged`, in one transaction, and returns how
 * many rows remain. The merged row must hold exactly the rows read up to that key: rows
 * appended since (by this page or another tab) have larger keys, are outside the deleted
 * range and stay. The add and the delete commit together or not at all, so a tab closed
 * mid-way leaves either the old rows or the merged one, never neither.
 */
export function replaceRows(db: IDBDatabase, merged: Uint8Array, upToKey: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(UPDATES_STORE, 'readwrite')
    tx.oncomplete = () => resolve(count.result)
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('compaction aborted'))
    let count: IDBRequest<number>
    try {
      const store = tx.objectStore(UPDATES_STORE)
      // Added first, so no delete is ever queued without it. Auto-increment gives it a key
      // above every key used so far, inside the range a later compaction reads and deletes.
      store.add(merged)
      store.delete(IDBKeyRange.upperBound(upToKey))
      count = store.count()
    } catch (error) {
      // A transaction left to itself after a throw would commit what was queued.
      tx.abort()
      reject(error)
    }
  })
}

/** The union of rows as one update; a single row is passed through. */
export function mergeRows(updates: Uint8Array[]): Uint8Array | null {
  if (updates.length === 0) return null
  if (updates.length === 1) return updates[0] as Uint8Array
  return Y.mergeUpdates(updates)
}

/** What a document's rows hold, merged for one `Y.applyUpdate`. */
export interface LoadedRows {
  /** The whole stored document as one update, or null for a new document. */
  update: Uint8Array | null
  rows: number
}

export async function loadRows(db: IDBDatabase): Promise<LoadedRows> {
  const { updates } = await readRows(db)
  return { update: mergeRows(updates), rows: updates.length }
}

/**
 * Merges every stored row into one (read, merge outside any transaction, then
 * `replaceRows`). Returns the number of rows left, which includes rows appended meanwhile.
 */
export async function compactRows(db: IDBDatabase): Promise<number> {
  const { updates, lastKey } = await readRows(db)
  if (updates.length < 2 || lastKey === null) return updates.length
  const merged = mergeRows(updates) as Uint8Array
  return replaceRows(db, merged, lastKey)
}

/** Opens the document's database, runs one op on its rows and closes it again. */
export async function runRowsOp(
  op: 'load' | 'compact',
  name: string,
): Promise<LoadedRows | number> {
  const db = await openExistingUpdatesDb(name)
  if (!db) return op === 'load' ? { update: null, rows: 0 } : 0
  try {
    return op === 'load' ? await loadRows(db) : await compactRows(db)
  } finally {
    // Opened per op: a long-lived connection would hold up sign-out's deleteDatabase.
    db.close()
  }
}
