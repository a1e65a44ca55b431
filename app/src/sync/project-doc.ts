import { CLOSE_CODES } from '@taskflow/api'
import type { BoardView } from '@taskflow/board'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { config } from '../config'
import { type BoardSchemaStore, createBoardSchemaStore } from './board-schema'
import {
  boardSnapshotWritesSettled,
  deleteBoardSnapshot,
  readBoardSnapshot,
} from './board-snapshot'
import { LocalPersistence } from './local-persistence'
import { createSyncStatusStore, type SyncStatusStore } from './sync-status'
import { clearUnsynced, unsyncedKey } from './unsynced'

/**
 * One open project: its Y.Doc, the IndexedDB copy it renders from first, and the
 * WebSocket provider that syncs it. Shared by every component of the project (board,
 * task panel, settings) and kept a few seconds after the last one lets go, so moving
 * between them does not reconnect.
 */
export interface ProjectDoc {
  projectId: string
  doc: Y.Doc
  /** The IndexedDB copy: read while the snapshot (if any) paints, applied after it. */
  persistence: LocalPersistence
  provider: WebsocketProvider
  status: SyncStatusStore
  /**
   * The board's schema (document-schema.md B3): migrated on open, `newer_schema` when a newer
   * TaskFlow saved it (then nothing may write to it). Checked before `whenLocalLoaded` resolves.
   */
  schema: BoardSchemaStore
  /** Resolves once IndexedDB content is applied (immediately useful offline). */
  whenLocalLoaded: Promise<void>
  /** The board as last saved (board-snapshot.ts), shown until the document is loaded. */
  snapshot: SnapshotSource
  /**
   * The document state the stored snapshot was derived from (read with it, then kept by the
   * writer, use-board.ts), or null when unknown: the writer skips storing the same state again.
   */
  snapshotDocState: Y.Snapshot | null
  /** Set when the project's documents are closed (sign-out): nothing may be saved after. */
  closed: boolean
  /** Set when the server refused this account (4401/4403/4404); the provider stops reconnecting. */
  refusal: { code: number; reason: string } | null
}

export interface SnapshotSource {
  get: () => BoardView | null
  subscribe: (listener: () => void) => () => void
}

interface Entry {
  value: ProjectDoc
  /** The session token its provider connects with. */
  token: string
  refs: number
  closeTimer?: ReturnType<typeof setTimeout>
  destroy: () => void
}

const KEEP_ALIVE_MS = 5_000
const open = new Map<string, Entry>()
const refusalListeners = new Set<(doc: ProjectDoc) => void>()
const openListeners = new Set<(doc: ProjectDoc) => () => void>()

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
  // Signed in again after the old token was refused: a kept-warm doc would stay refused.
  if (existing && existing.token !== identity.token && existing.refs === 0) {
    open.delete(key)
    clearTimeout(existing.closeTimer)
    existing.destroy()
  } else if (existing) {
    existing.refs++
    clearTimeout(existing.closeTimer)
    return existing.value
  }
  const doc = new Y.Doc()
  const prefix = accountDbPrefix(identity.userId)
  let localLoaded = false
  let resolveLocal!: () => void
  const whenLocalLoaded = new Promise<void>((resolve) => {
    resolveLocal = resolve
  })
  const provider = new WebsocketProvider(config.syncUrl, projectId, doc, {
    params: { token: identity.token },
    // A teammate's edit should show within a second after the network returns.
    maxBackoffTime: 1_000,
    // Connected once the local copy is loaded, so the first sync step sends its state
    // vector and the server answers with only what is missing, not the whole board.
    connect: false,
    // y-websocket's BroadcastChannel would relay this tab's document to every tab of the
    // browser on the same room, whatever account is signed in there, and a member's tab
    // would hand a viewer's edits to the server as its own. Tabs sync through the server.
    disableBc: true,
  })
  // Browsers may keep a dead socket open for a while after the network drops; follow the
  // browser's own online/offline signal so edits are queued locally and resent on return.
  const onOffline = () => provider.disconnect()
  const onOnline = () => {
    if (!value.refusal && localLoaded) provider.connect()
  }
  window.addEventListener('offline', onOffline)
  window.addEventListener('online', onOnline)
  const persistence = new LocalPersistence(dbName(identity.userId, projectId), doc, {
    quietWhileLoading: [provider._updateHandler],
  })
  const status = createSyncStatusStore({
    doc,
    provider,
    isLocalOrigin: (origin) => origin === persistence,
    // Online and waiting for the local copy reads as "connecting", not "offline".
    connectPending: () => !localLoaded,
    storageKey: unsyncedKey(identity.userId, projectId),
  })
  const schema = createBoardSchemaStore(doc)

  let snapshot: BoardView | null = null
  const snapshotListeners = new Set<() => void>()
  const setSnapshot = (view: BoardView | null) => {
    snapshot = view
    for (const l of snapshotListeners) l()
  }
  let started = false
  const startLocal = () => {
    if (started || value.closed) return
    started = true
    const loaded = persistence.hydrate().catch((error: unknown) => {
      // No readable local copy (storage disabled or broken): the server's copy still loads.
      console.warn('TaskFlow: the local copy could not be read', error)
    })
    // A task of its own for swapping the snapshot for the live board (React re-renders
    // the visible cards), so a click or a frame can run between it and the long apply.
    void loaded.then(nextTask).then(() => {
      if (value.closed) return
      localLoaded = true
      // Migrate (or refuse) the local copy before anything can edit it; the schema store
      // checks again when a sync brings or changes `meta.schemaVersion`.
      schema.start()
      // Read by app/bench/board-open.mjs (time until the board is editable).
      performance.mark('taskflow:local-loaded')
      resolveLocal()
      setSnapshot(null)
      if (navigator.onLine && !value.refusal) provider.connect()
    })
  }
  // The snapshot is read first and painted (subscribers render synchronously through
  // useSyncExternalStore); only after that frame does the long Yjs apply start.
  void readBoardSnapshot(prefix, projectId).then((stored) => {
    if (value.closed || started) return
    if (!stored) return startLocal()
    const { view, docState } = stored
    value.snapshotDocState = docState
    // The stored document is read and merged in a worker while the snapshot paints; not
    // before the snapshot's read, which would wait behind megabytes of rows.
    persistence.prefetch()
    setSnapshot(view)
    requestAnimationFrame(() => setTimeout(startLocal, 0))
    // rAF never fires in a background tab.
    setTimeout(startLocal, 250)
  })

  const value: ProjectDoc = {
    projectId,
    doc,
    persistence,
    provider,
    status,
    schema,
    whenLocalLoaded,
    snapshot: {
      get: () => snapshot,
      subscribe: (listener) => {
        snapshotListeners.add(listener)
        return () => snapshotListeners.delete(listener)
      },
    },
    snapshotDocState: null,
    closed: false,
    refusal: null,
  }
  provider.on('closed', (close: { code: number; reason: string }) => {
    const refusals: number[] = [
      CLOSE_CODES.unauthenticated,
      CLOSE_CODES.forbidden,
      CLOSE_CODES.notFound, // the project was deleted
    ]
    if (!refusals.includes(close.code)) return
    value.refusal = close
    for (const l of refusalListeners) l(value)
  })
  const detachOpenListeners = [...openListeners].map((l) => l(value))
  const entry: Entry = {
    value,
    token: identity.token,
    refs: 1,
    destroy() {
      for (const detach of detachOpenListeners) detach()
      value.closed = true
      snapshotListeners.clear()
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      status.destroy()
      schema.destroy()
      provider.destroy()
      void persistence.destroy()
      doc.destroy()
    },
  }
  open.set(key, entry)
  return value
}

/** Resolves in a new task (a message, which background tabs do not throttle like timers). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
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

/**
 * Called with every project document opened from now on, before anything is applied to
 * it; the returned function runs when it is closed (the search index follows edits so).
 */
export function onProjectDocOpened(listener: (doc: ProjectDoc) => () => void): () => void {
  openListeners.add(listener)
  return () => openListeners.delete(listener)
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

/**
 * Deletes this device's copy of one project (document, saved view, unsynced count),
 * closing it first. Unsynced changes in it are lost: callers ask first when
 * `unsyncedCount(userId, projectId)` is not 0. Never throws.
 */
export async function deleteProjectLocalCopy(userId: string, projectId: string): Promise<void> {
  const key = `${userId}/${projectId}`
  const entry = open.get(key)
  if (entry) {
    open.delete(key)
    clearTimeout(entry.closeTimer)
    entry.destroy()
    await entry.value.persistence.destroy()
  }
  await deleteDatabase(dbName(userId, projectId))
  await deleteBoardSnapshot(accountDbPrefix(userId), projectId)
  clearUnsynced(userId, projectId)
}

/** How long a deletion blocked by a connection still closing (a worker ending) may wait. */
const BLOCKED_DELETE_WAIT_MS = 3000

function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      const req = indexedDB.deleteDatabase(name)
      req.onsuccess = req.onerror = () => resolve()
      // Blocked: another connection is open. The deletion still happens once it closes
      // (a terminated worker's close soon); wait for that, but never hang a sign-out on a
      // connection another tab keeps open.
      req.onblocked = () => setTimeout(resolve, BLOCKED_DELETE_WAIT_MS)
    } catch {
      resolve()
    }
  })
}

/** Deletes every IndexedDB database of the account. Never throws. */
export async function deleteAccountDatabases(userId: string): Promise<void> {
  try {
    const prefix = accountDbPrefix(userId)
    // The account's documents are closed (no new write starts); one already started may be
    // creating its database right now: let it finish, so the listing below includes it.
    await boardSnapshotWritesSettled()
    const dbs = await indexedDB.databases()
    await Promise.all(
      dbs
        .map((d) => d.name)
        .filter((name): name is string => !!name?.startsWith(prefix))
        .map(deleteDatabase),
    )
  } catch {
    // A browser without indexedDB.databases() keeps the data; nothing else to do offline.
  }
}
