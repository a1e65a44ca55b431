/**
 * Files attached on this device that the server does not hold yet, kept in IndexedDB so
 * they are shown at once (offline too) and uploaded when the server is reachable, across
 * reloads. One record per (project, SHA-256); removed once the upload is answered 201.
 */
export interface PendingFile {
  projectId: string
  sha256: string
  name: string
  type: string
  size: number
  blob: Blob
  queuedAt: number
  /** Why the server refused it (limit, quota): not retried until the person acts. */
  refused?: string
}

const DB_NAME = 'taskflow-attachments'
const STORE = 'pending'
let opened: Promise<IDBDatabase> | null = null

function db(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1)
    req.onupgradeneeded = () => {
      req.result.createObjectStore(STORE, { keyPath: ['projectId', 'sha256'] })
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => {
      opened = null
      reject(req.error)
    }
  })
  return opened
}

function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const tx = d.transaction(STORE, mode)
        const req = fn(tx.objectStore(STORE))
        tx.oncomplete = () => resolve(req.result)
        tx.onerror = () => reject(tx.error)
        tx.onabort = () => reject(tx.error)
      }),
  )
}

export function putPending(file: PendingFile): Promise<IDBValidKey> {
  return run('readwrite', (s) => s.put(file))
}

export function getPending(projectId: string, sha256: string): Promise<PendingFile | undefined> {
  return run('readonly', (s) => s.get([projectId, sha256]) as IDBRequest<PendingFile | undefined>)
}

export function removePending(projectId: string, sha256: string): Promise<undefined> {
  return run('readwrite', (s) => s.delete([projectId, sha256]) as IDBRequest<undefined>)
}

export function listPending(projectId: string): Promise<PendingFile[]> {
  return run(
    'readonly',
    (s) =>
      s.getAll(IDBKeyRange.bound([projectId, ''], [projectId, '\uffff'])) as IDBRequest<
        PendingFile[]
      >,
  )
}
