import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createServerReach } from './server-reach'

/**
 * `offline`: the browser is offline, or we are not trying to connect. `connecting`: trying,
 * not for long yet. `unreachable`: trying, or waiting for an answer, for
 * `SERVER_UNREACHABLE_AFTER_MS` without the server answering (server down, or a network the
 * browser does not know is dead). `refused`: the server closed the socket for good (4401
 * session expired, 4403 no access): nothing syncs until the page deals with it.
 */
export type SyncPhase = 'offline' | 'connecting' | 'unreachable' | 'syncing' | 'saved' | 'refused'

export interface SyncStatus {
  phase: SyncPhase
  /**
   * Changes this person made that the server has not confirmed (survives reloads): one per
   * action (a created task, a move, a comment, a field typed into), not per Yjs update.
   */
  unsynced: number
}

// y-websocket's message type for sync frames (not exported by the package).
const MESSAGE_SYNC = 0
const ACK_DEBOUNCE_MS = 200

/**
 * Tracks whether local edits have reached the server. y-websocket has no acks, so after
 * local edits we send our own sync step 1: the server answers frames in order, so its
 * step 2 reply proves it holds every update we sent before it. The unsynced count is kept
 * in localStorage so edits made offline before a reload are still counted.
 */
export function createSyncStatusStore(opts: {
  doc: Y.Doc
  provider: WebsocketProvider
  /** True for updates read from IndexedDB (not edits). */
  isLocalOrigin: (origin: unknown) => boolean
  /** True while the provider waits for the local copy before connecting. */
  connectPending: () => boolean
  storageKey: string
}) {
  const { doc, provider, isLocalOrigin, connectPending, storageKey } = opts
  const listeners = new Set<() => void>()
  const stored = Number(localStorage.getItem(storageKey) ?? 0)
  // `localSeq - ackedSeq` is the unsynced count; both only grow within this session.
  // `localSeq` counts actions (see `continuesTyping`), not transactions.
  let localSeq = Number.isFinite(stored) && stored > 0 ? stored : 0
  let ackedSeq = 0
  let inFlightSeq: number | null = null
  // The types the latest local transaction changed, while its action may still grow.
  let typing: Set<unknown> | null = null
  // Set by a terminal close (y-websocket's 'closed'); a later connect() clears it.
  let refused = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const reach = createServerReach({ onChange: () => update() })
  let snapshot: SyncStatus = compute()

  function compute(): SyncStatus {
    const unsynced = localSeq - ackedSeq
    // The browser's word is enough to say offline, never enough to say the server is there.
    const online = typeof navigator === 'undefined' || navigator.onLine
    let phase: SyncPhase
    if (refused && !provider.shouldConnect) phase = 'refused'
    else if (!online) phase = 'offline'
    else if (!provider.wsconnected) {
      if (provider.shouldConnect) phase = reach.unreachable ? 'unreachable' : 'connecting'
      else phase = connectPending() ? 'connecting' : 'offline'
    }
    // An open socket the server has not answered on for the threshold: a network that died
    // without the browser noticing keeps the socket "open" until y-websocket's 30 s watchdog.
    else if (reach.unreachable) phase = 'unreachable'
    else if (!provider.synced || unsynced > 0) phase = 'syncing'
    else phase = 'saved'
    return { phase, unsynced }
  }

  function update(): void {
    const next = compute()
    if (next.phase === snapshot.phase && next.unsynced === snapshot.unsynced) return
    snapshot = next
    try {
      localStorage.setItem(storageKey, String(next.unsynced))
    } catch {
      // Losing the counter only makes the indicator optimistic after a reload.
    }
    for (const l of listeners) l()
  }

  function scheduleAck(): void {
    clearTimeout(timer)
    timer = setTimeout(requestAck, ACK_DEBOUNCE_MS)
  }

  function requestAck(): void {
    if (localSeq === ackedSeq || inFlightSeq !== null) return
    if (!provider.wsconnected || !provider.synced || !provider.ws) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, doc)
    inFlightSeq = localSeq
    // Setting synced=false makes the provider emit 'sync' again when the step 2 arrives.
    provider.synced = false
    provider.ws.send(encoding.toUint8Array(encoder))
    // A question to the server: unanswered for the threshold, it is out of reach.
    reach.trying()
  }

  // afterTransaction, not 'update': an update listener makes Yjs encode every transaction,
  // the loading of the whole stored document included (local-persistence.ts).
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.origin === provider || isLocalOrigin(tr.origin) || !changedDocument(tr)) return
    const changed = new Set<unknown>(tr.changed.keys())
    // A keystroke continuing the field being typed into is part of the same action — unless
    // that action was already sent for confirmation: the ack would then claim this one too.
    const sentForAck = localSeq <= ackedSeq || (inFlightSeq !== null && localSeq <= inFlightSeq)
    if (!(typing && !sentForAck && continuesTyping(typing, changed))) localSeq++
    typing = changed
    update()
    scheduleAck()
  }
  const onSync = (synced: boolean) => {
    // A completed handshake is the server answering; a connected socket alone is not.
    if (synced) reach.reached()
    if (synced && inFlightSeq !== null) {
      ackedSeq = Math.max(ackedSeq, inFlightSeq)
      inFlightSeq = null
    }
    update()
    // Edits made before this connection (offline, or before a reload) need their own ack.
    if (synced) scheduleAck()
  }
  // Every attempt, failure and drop while we mean to be connected counts towards the outage;
  // `disconnect()` (offline, sign-out) and a refusal clear `shouldConnect` and end it.
  const onConnectionEvent = () => {
    if (provider.shouldConnect) reach.trying()
    else reach.stopped()
    // A refusal clears `shouldConnect` after the last 'status' event: show it now.
    update()
  }
  const onClosed = () => {
    refused = true
    onConnectionEvent()
  }
  const onStatus = () => {
    if (!provider.wsconnected) inFlightSeq = null
    if (provider.shouldConnect) refused = false
    onConnectionEvent()
    update()
  }
  // `disconnect()` between two attempts emits nothing; project-doc.ts calls it from its own
  // online/offline listeners, registered before these.
  const onNetwork = () => {
    if (!provider.shouldConnect) reach.stopped()
    update()
  }
  doc.on('afterTransaction', onTransaction)
  provider.on('sync', onSync)
  provider.on('status', onStatus)
  provider.on('connection-error', onConnectionEvent)
  provider.on('connection-close', onConnectionEvent)
  provider.on('closed', onClosed)
  window.addEventListener('online', onNetwork)
  window.addEventListener('offline', onNetwork)

  return {
    getSnapshot: () => snapshot,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    destroy() {
      clearTimeout(timer)
      reach.dispose()
      doc.off('afterTransaction', onTransaction)
      provider.off('sync', onSync)
      provider.off('status', onStatus)
      provider.off('connection-error', onConnectionEvent)
      provider.off('connection-close', onConnectionEvent)
      provider.off('closed', onClosed)
      window.removeEventListener('online', onNetwork)
      window.removeEventListener('offline', onNetwork)
    },
  }
}

/**
 * Whether a transaction is more typing into the field the previous one typed into: it
 * changed exactly the same shared types, text among them (a task's title and its
 * `updatedAt`, a paragraph of a description). Two moves of one task stay two actions.
 */
function continuesTyping(previous: Set<unknown>, changed: Set<unknown>): boolean {
  if (previous.size !== changed.size) return false
  for (const type of changed) if (!previous.has(type)) return false
  for (const type of changed) if (type instanceof Y.Text) return true
  return false
}

/** Whether a transaction changed the document: Yjs emits 'update' for exactly these. */
function changedDocument(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true
  return false
}

export type SyncStatusStore = ReturnType<typeof createSyncStatusStore>
