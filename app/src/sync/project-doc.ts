import { CLOSE_CODES } from '@taskflow/api'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { config } from '../config'
import { createSyncStatusStore, type SyncStatusStore } from './sync-status'

/**
 * One open project: its Y.Doc, the IndexedDB copy it renders from first, and the
 * WebSocket provider that syncs it. Shared by every component of the project (board,
 * task panel, settings) and kept a few seconds after the last one lets go, so moving
 * between them does not reconnect.
 */
export interface ProjectDoc {
  projectId: string
  doc: Y.Doc
  persistence: IndexeddbPersistence
  provider: WebsocketProvider
  status: SyncStatusStore
  /** Resolves once IndexedDB content is applied (immediately useful offline). */
  whenLocalLoaded: Promise<void>
  /** Set when the server refused this account (4401/4403); the provider stops reconnecting. */
  refusal: { code: number; reason: string } | null
}

interface Entry {
  value: ProjectDoc
  refs: number
  closeTimer?: ReturnType<typeof setTimeout>
  destroy: () => void
}

const KEEP_ALIVE_MS = 5_000
const open = new Map<string, Entry>()
const refusalListeners = new Set<(doc: ProjectDoc) => void>()

/** IndexedDB database of one account's copy of one project; the account prefix lets sign-out drop it. */
export const accountDbPrefix = (userId: string) => `taskflow.${userId}.`
const dbName = (userId: string, projectId: string) => `${accountDbPrefix(userId)}${projectId}`

export interface Identity {
  userId: string
  token: string
}

/** Opens (or reuses) a project's document. Pair every call with `releaseProjectDoc`. */
export function acquireProjectDoc(identity: Identity, projectId: string): ProjectDoc {
  const key = `${identity.userId}/${projectId}`
  const existing = open.get(key)
  if (existing) {
    existing.refs++
    clearTimeout(existing.closeTimer)
    return existing.value
  }
  const doc = new Y.Doc()
  const persistence = new IndexeddbPersistence(dbName(identity.userId, projectId), doc)
  const provider = new WebsocketProvider(config.syncUrl, projectId, doc, {
    params: { token: identity.token },
    // A teammate's edit should show within a second after the network returns.
    maxBackoffTime: 1_000,
    // Offline at start (e.g. a reload with no network): wait for the `online` event.
    connect: navigator.onLine,
  })
  // Browsers may keep a dead socket open for a while after the network drops; follow the
  // browser's own online/offline signal so edits are queued locally and resent on return.
  const onOffline = () => provider.disconnect()
  const onOnline = () => {
    if (!value.refusal) provider.connect()
  }
  window.addEventListener('offline', onOffline)
  window.addEventListener('online', onOnline)
  const status = createSyncStatusStore({
    doc,
    provider,
    persistence,
    storageKey: `taskflow.unsynced.${identity.userId}.${projectId}`,
  })
  const value: ProjectDoc = {
    projectId,
    doc,
    persistence,
    provider,
    status,
    whenLocalLoaded: persistence.whenSynced.then(() => undefined),
    refusal: null,
  }
  provider.on('closed', (close: { code: number; reason: string }) => {
    if (close.code !== CLOSE_CODES.unauthenticated && close.code !== CLOSE_CODES.forbidden) return
    value.refusal = close
    for (const l of refusalListeners) l(value)
  })
  const entry: Entry = {
    value,
    refs: 1,
    destroy() {
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      status.destroy()
      provider.destroy()
      void persistence.destroy()
      doc.destroy()
    },
  }
  open.set(key, entry)
  return value
}

export function releaseProjectDoc(identity: Identity, projectId: string): void {
  const key = `${identity.userId}/${projectId}`
  const entry = open.get(key)
  if (!entry) return
  entry.refs--
  if (entry.refs > 0) return
  entry.closeTimer = setTimeout(() => {
    if (entry.refs > 0) return
    open.delete(key)
    entry.destroy()
  }, KEEP_ALIVE_MS)
}

/** Called when the server refuses a connection (token expired, membership removed). */
export function onProjectRefused(listener: (doc: ProjectDoc) => void): () => void {
  refusalListeners.add(listener)
  return () => refusalListeners.delete(listener)
}

/** Closes every open document of an account (sign-out) so its databases can be deleted. */
export function closeAccountDocs(userId: string): void {
  for (const [key, entry] of open) {
    if (!key.startsWith(`${userId}/`)) continue
    open.delete(key)
    clearTimeout(entry.closeTimer)
    entry.destroy()
  }
}

/** Deletes every IndexedDB database of the account. Never throws. */
export async function deleteAccountDatabases(userId: string): Promise<void> {
  try {
    const prefix = accountDbPrefix(userId)
    const dbs = await indexedDB.databases()
    await Promise.all(
      dbs
        .map((d) => d.name)
        .filter((name): name is string => !!name?.startsWith(prefix))
        .map(
          (name) =>
            new Promise<void>((resolve) => {
              const req = indexedDB.deleteDatabase(name)
              req.onsuccess = req.onerror = req.onblocked = () => resolve()
            }),
        ),
    )
  } catch {
    // A browser without indexedDB.databases() keeps the data; nothing else to do offline.
  }
}
