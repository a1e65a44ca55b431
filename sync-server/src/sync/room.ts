import { CLOSE_CODES } from '@taskflow/api'
import * as Y from 'yjs'
import type { Logger } from '../logger.js'
import type { RoomAuthorship } from './authorship.js'
import { type AwarenessLimits, RoomAwareness } from './awareness.js'
import type { CompactionEncoder } from './compaction-encoder.js'
import type { Connection } from './connection.js'
import { encodeFrame } from './frames.js'
import { FreshAnswer } from './fresh-answer.js'
import {
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  isEmptyStateVector,
  isEmptyUpdate,
  isV1Update,
  ownCopy,
} from './protocol.js'
import type { SyncCounters } from './sync-stats.js'
import type { BindingRow, StoredDoc, UpdateLog } from './update-log.js'

export interface RoomOptions {
  log: UpdateLog
  logger: Logger
  compactUpdates: number
  compactBytes: number
  /**
   * Minimum time between two fan-outs of one room (0: relay every commit at once). Updates
   * committed meanwhile go out merged, in one message per receiver, when the period ends.
   */
  fanoutBatchMs: number
  /**
   * Appends an accepted update, with the client-ID bindings it made, to the group commit
   * (see GroupCommit). `conn` is null for an edit the server made for a user (the task API);
   * `onDurable` hears when it is stored.
   */
  enqueue: (
    room: Room,
    conn: Connection | null,
    userId: string | null,
    seq: number,
    update: Uint8Array,
    at: number,
    bindings: readonly BindingRow[],
    onDurable?: (err: unknown) => void,
  ) => void
  /** Stores bindings made without an update (a presence state); `onDurable` as above. */
  enqueueBindings: (
    room: Room,
    conn: Connection,
    bindings: readonly BindingRow[],
    onDurable: (err: unknown) => void,
  ) => void
  /** Clock for the time stored with each update. */
  now: () => number
  /** Commits this room's queued updates now, before state that includes them is sent. */
  flushPending: (room: Room) => Promise<void>
  /** Whether updates of this room are queued for the group commit (not yet in the log). */
  hasPending: (room: Room) => boolean
  /** Client-ID bindings (SPEC 7); absent = no authorship check (insecure-open, or switched off). */
  authorship?: RoomAuthorship
  /** Per-connection presence limits (SPEC 4.7); default DEFAULT_AWARENESS_LIMITS. */
  awarenessLimits?: AwarenessLimits
  /**
   * A sync step 1 whose state vector misses more Yjs clocks than this is answered with the
   * shared full state (SPEC 5.6): encoding a large diff per request would let any peer make
   * the server encode the whole document again and again.
   */
  diffMaxClocks: number
  /** The hub's counters (fresh answers built, diffs encoded). */
  counters: SyncCounters
  /**
   * Encodes compactions on a worker thread, so relaying never waits for them; absent: the
   * room encodes its live doc synchronously (unit tests). Unload and shutdown use it too.
   */
  encoder?: CompactionEncoder
  /** Several nodes serve this document (TASKFLOW_REDIS_URL); absent = this node alone. */
  cluster?: RoomCluster
}

/** How a room takes part in a cluster of nodes (see src/cluster/). */
export interface RoomCluster {
  /** Presence this node relays to its sockets: the other nodes relay it to theirs. */
  awareness(docName: string, update: Uint8Array): void
  /**
   * Runs `write` (a compaction's snapshot write) only while no other node compacts the
   * document and when nothing stored is newer than `uptoSeq`; otherwise skips it (the room
   * still keeps its own state compacted in memory). Throws what `write` throws.
   */
  compaction(docName: string, uptoSeq: number, write: () => Promise<void>): Promise<void>
}

/** An update as stored: what another node committed, read from pub/sub or the database. */
export interface CommittedRow {
  seq: number
  update: Uint8Array
  userId: string | null
  at: number
}

/**
 * Transaction origin of every client update applied to a room's doc: the log sequence,
 * sender and time it is stored with (derivations fold the log with the same origins).
 */
export interface UpdateOrigin {
  seq: number
  userId: string | null
  at: number
}

/** `code`: the close code (default 4400 bad message). */
type Outcome = { ok: true } | { ok: false; reason: string; code?: number }
/** `code`: the close code when `close` (default 4400 bad message). */
type UpdateOutcome =
  | { ok: true }
  | { ok: false; reason: string; close: boolean; reload: boolean; code?: number }
const NO_ROWS: readonly BindingRow[] = []
const OK = { ok: true } as const

function changedState(tr: Y.Transaction): boolean {
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true
  return false
}
/**
 * Awareness renewals are relayed in one batch per this period. y-protocols clients renew
 * every 15 s and drop a remote state after 30 s without one, so 3 s of delay is harmless,
 * while at 200 clients it turns ~13 fan-outs a second (and their 199 echoes each) into one.
 */
const AWARENESS_RENEWAL_BATCH_MS = 3000
/** Below this much stored state, building the Y.Doc costs less than deferring it. */
const EAGER_BUILD_BYTES = 256 * 1024
/**
 * A compaction due after a commit runs on the encoder's worker only when the board's stored
 * state (snapshot + log) is larger than this; below it the live doc is encoded here in a
 * few ms (issue 17: rebuilding a small board on the worker cost more CPU than that, and the
 * worker's first start ~0.5 s of CPU inside a relay run).
 */
const INLINE_COMPACTION_MAX_BYTES = 256 * 1024

/**
 * One open document. The stored bytes (snapshot + log after it) are what a fresh client is
 * sent, so joining never waits for a Y.Doc; the Y.Doc itself is built on first need (an
 * incoming update or a peer that already holds state) — SPEC 2.2, 2.3.
 */
export class Room {
  readonly conns = new Set<Connection>()
  readonly awareness: RoomAwareness<Connection>
  doc: Y.Doc | null = null
  graceTimer: NodeJS.Timeout | null = null

  #snapshot: Uint8Array | null = null
  #snapshotSeq = 0
  /** Committed updates after the snapshot, in seq order. */
  #log: { seq: number; update: Uint8Array }[] = []
  #logBytes = 0
  /** Last seq handed out; > #committedSeq while updates wait for their transaction. */
  #lastSeq = 0
  #committedSeq = 0
  /** The answer to an empty state vector, as frames shared by every socket that asks. */
  readonly #fresh = new FreshAnswer(() => this.opts.counters.freshAnswerBuilds++)
  #renewalTimer: NodeJS.Timeout | null = null
  /** Committed updates waiting for the next fan-out (see RoomOptions.fanoutBatchMs). */
  #outbox: { conn: Connection | null; update: Uint8Array }[] = []
  #lastFanoutAt = -Infinity
  #fanoutTimer: NodeJS.Timeout | null = null
  /** After a failed compaction, wait for this many log rows before trying again. */
  #compactRetryAt = 0
  /** The compaction running (encoded here or on the worker), if any: one at a time. */
  #compacting: Promise<void> | null = null
  #destroyed = false
  /** Bumped when stored state is reloaded or dropped: an encoding started before is stale. */
  #generation = 0
  /** Sockets already logged for going over a presence limit (logged once each). */
  readonly #overLimitLogged = new WeakSet<Connection>()

  constructor(
    readonly name: string,
    stored: StoredDoc,
    private readonly opts: RoomOptions,
  ) {
    this.awareness = new RoomAwareness<Connection>(opts.awarenessLimits)
    this.#reset(stored)
  }

  /** The room's client-ID bindings (SPEC 7), if checked. */
  get authorship(): RoomAuthorship | undefined {
    return this.opts.authorship
  }

  get logLength(): number {
    return this.#log.length
  }

  /** Every update up to this seq is in the room (in its doc, log and fresh answer). */
  get committedSeq(): number {
    return this.#committedSeq
  }

  /**
   * Takes in updates another node committed, in seq order, and relays them to this node's
   * sockets. Rows at or below `committedSeq` are skipped (already here). Returns false when
   * the first new row does not follow `committedSeq`: the caller reads the missing rows
   * from the database and passes them first (nothing after a gap is applied).
   */
  applyCommitted(rows: readonly CommittedRow[]): boolean {
    const items: { conn: Connection | null; seq: number; update: Uint8Array }[] = []
    let gapFree = true
    for (const r of rows) {
      if (r.seq <= this.#committedSeq) continue
      if (r.seq !== this.#committedSeq + 1) {
        gapFree = false
        break
      }
      if (this.doc) {
        const origin: UpdateOrigin = { seq: r.seq, userId: r.userId, at: r.at }
        Y.applyUpdate(this.doc, r.update, origin)
      }
      this.#log.push({ seq: r.seq, update: r.update })
      this.#logBytes += r.update.length
      this.#committedSeq = r.seq
      if (r.seq > this.#lastSeq) this.#lastSeq = r.seq
      this.#fresh.append(r.update)
      items.push({ conn: null, seq: r.seq, update: r.update })
    }
    if (items.length > 0) this.#relay(items, false)
    return gapFree
  }

  /**
   * Takes what storage holds when the rows after `committedSeq` are gone (another node
   * compacted them into its snapshot): the stored state is merged into the doc and relayed
   * whole to this node's sockets. Call with nothing of this room queued for commit.
   */
  adoptStored(stored: StoredDoc): void {
    if (stored.lastSeq <= this.#committedSeq) return
    const parts = stored.snapshot ? [stored.snapshot] : []
    for (const u of stored.updates) parts.push(u.update)
    const merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts)
    if (this.doc) {
      const origin: UpdateOrigin = { seq: stored.lastSeq, userId: null, at: this.opts.now() }
      Y.applyUpdate(this.doc, merged, origin)
    }
    this.#snapshot = stored.snapshot
    this.#snapshotSeq = stored.snapshotSeq
    this.#log = stored.updates
    this.#logBytes = stored.updates.reduce((n, u) => n + u.update.length, 0)
    this.#committedSeq = stored.lastSeq
    if (stored.lastSeq > this.#lastSeq) this.#lastSeq = stored.lastSeq
    this.#fresh.reset(
      stored.snapshot,
      stored.updates.map((u) => u.update),
    )
    this.#relay([{ conn: null, seq: stored.lastSeq, update: merged }], false)
  }

  /** Presence another node relayed: kept (for joiners and echoes) and relayed here. */
  applyRemoteAwareness(node: string, update: Uint8Array): void {
    const r = this.awareness.apply(update, {
      owner: node as unknown as Connection,
      userId: null,
      remote: true,
    })
    if (r.ok && r.relay) this.broadcast(encodeAwareness(r.relay === 'raw' ? update : r.relay), null)
  }

  join(conn: Connection): void {
    if (this.graceTimer) {
      clearTimeout(this.graceTimer)
      this.graceTimer = null
    }
    this.conns.add(conn)
    conn.needsStep1 = true
    if (this.doc) this.#sendStep1(conn, this.doc)
    const states = this.awareness.encodeAll()
    if (states) conn.send(encodeAwareness(states))
  }

  /** Asks `conn` for everything the server lacks (a sync step 1 with the server's state vector). */
  resync(conn: Connection): void {
    if (!this.conns.has(conn)) return
    this.opts.flushPending(this)
    this.#sendStep1(conn, this.#ensureDoc())
    this.#sendOwedStep1()
  }

  /** Removes the socket and, for everyone else, the presence it introduced. */
  leave(conn: Connection): void {
    if (!this.conns.delete(conn)) return
    const removal = this.awareness.removeOwner(conn)
    if (removal) {
      this.broadcast(encodeAwareness(removal), null)
      this.opts.cluster?.awareness(this.name, removal)
    }
  }

  /**
   * Answers a peer's state vector: empty, or missing more than `diffMaxClocks`, with the
   * shared full state (valid for any state vector: Yjs skips what a peer already has);
   * otherwise with a diff encoded for it, whose cost that bound keeps small (SPEC 5.6).
   */
  handleSyncStep1(conn: Connection, stateVector: Uint8Array): Outcome {
    if (isEmptyStateVector(stateVector)) {
      this.#sendFresh(conn)
      return OK
    }
    const doc = this.#ensureDoc()
    // The diff may include updates still waiting for their transaction: commit them first.
    this.opts.flushPending(this)
    const missing = missingClocks(doc, stateVector, this.opts.diffMaxClocks)
    if (missing === null) return { ok: false, reason: 'malformed state vector' }
    if (missing > this.opts.diffMaxClocks) {
      this.#sendFresh(conn)
    } else {
      let diff: Uint8Array
      try {
        diff = Y.encodeStateAsUpdate(doc, stateVector)
      } catch {
        return { ok: false, reason: 'malformed state vector' }
      }
      this.opts.counters.diffsEncoded++
      conn.send(encodeSyncStep2(diff))
    }
    this.#sendOwedStep1()
    return OK
  }

  /**
   * Applies a write connection's update and queues it for the group commit; it is relayed
   * only after the commit. `reload` means the Y.Doc may hold part of a rejected update: the
   * caller must commit what is queued and reload the room from storage.
   */
  handleUpdate(conn: Connection, update: Uint8Array): UpdateOutcome {
    if (isEmptyUpdate(update)) return OK
    if (!isV1Update(update)) {
      const reason = 'update is not in the Yjs v1 encoding (v2 is not supported)'
      return { ok: false, reason, close: true, reload: false }
    }
    const doc = this.#ensureDoc()
    // Before applying: a forged update must leave the doc untouched (SPEC 7.2).
    const authorship = conn.userId === null ? undefined : this.opts.authorship
    let claims: number[] = []
    if (authorship) {
      let check: ReturnType<RoomAuthorship['check']>
      try {
        check = authorship.check(doc, update, conn.userId!)
      } catch {
        return { ok: false, reason: 'malformed update', close: true, reload: false }
      }
      if (!check.ok) {
        return {
          ok: false,
          reason: check.reason,
          close: true,
          reload: false,
          code: CLOSE_CODES.forbidden,
        }
      }
      claims = check.claims
    }
    let integrated = false
    const onTransaction = (tr: Y.Transaction) => {
      integrated = tr.deleteSet.clients.size > 0 || changedState(tr)
    }
    doc.on('afterTransaction', onTransaction)
    const origin: UpdateOrigin = {
      seq: this.#lastSeq + 1,
      userId: conn.userId,
      at: this.opts.now(),
    }
    try {
      Y.applyUpdate(doc, update, origin)
    } catch {
      return { ok: false, reason: 'malformed update', close: true, reload: true }
    } finally {
      doc.off('afterTransaction', onTransaction)
    }
    // A y-websocket client only sends updates whose dependencies the server holds, except
    // after edits we dropped (e.g. while it was read-only). Such an update is not stored or
    // relayed; a sync step 1 makes the client send everything we lack, this one included.
    // Garbage that Yjs parses as dangling structs ends the same way, harmlessly.
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      if (!integrated) {
        doc.store.pendingStructs = null
        doc.store.pendingDs = null
      }
      return {
        ok: false,
        reason: 'update depends on state the server does not have',
        close: false,
        reload: integrated,
      }
    }
    // Stored in the update's transaction: bound exactly when the update is durable.
    const bindings =
      authorship && claims.length > 0 ? authorship.bind(claims, conn.userId!, origin.at) : NO_ROWS
    // Copy: the view points into ws's receive buffer, and it is kept until compaction.
    this.opts.enqueue(
      this,
      conn,
      conn.userId,
      ++this.#lastSeq,
      ownCopy(update),
      origin.at,
      bindings,
    )
    this.#sendOwedStep1()
    return OK
  }

  /** Whether `clientId` is bound to a user other than `userId` (SPEC 7). */
  clientIdTaken(clientId: number, userId: string): boolean {
    return this.opts.authorship ? !this.opts.authorship.mayUse(clientId, userId) : false
  }

  /**
   * The live document with every accepted update committed first, for a reader outside the
   * sync protocol (the task API): what it is shown is durable, like what a peer is sent.
   */
  async readDoc(): Promise<Y.Doc> {
    await this.opts.flushPending(this)
    return this.#ensureDoc()
  }

  /**
   * Makes an edit on the room's document as `userId` under `clientId` (the user's API client
   * of this document, SPEC 7), and takes the exact update it produced down the path of a
   * client's update: authorship bound, origin for observers, group commit, relay after the
   * commit. `edit` must change the doc only through transactions with the given origin
   * (board operations with `ctx.origin`) and nothing else may run in between, so the captured
   * update is the edit and nothing more. Returns the edit's value and whether it changed
   * anything (`onDurable` is called only then). Throws when the client id belongs to another
   * user (nothing applied) or when binding it failed (the doc may hold the edit: the caller
   * must reload the room).
   */
  applyAs<T>(
    userId: string,
    clientId: number,
    edit: (doc: Y.Doc, origin: UpdateOrigin) => T,
    onDurable: (err: unknown) => void,
  ): { value: T; changed: boolean } {
    const doc = this.#ensureDoc()
    const authorship = this.opts.authorship
    if (authorship && !authorship.mayUse(clientId, userId)) {
      throw new Error(`client id ${clientId} belongs to another user`)
    }
    const origin: UpdateOrigin = { seq: this.#lastSeq + 1, userId, at: this.opts.now() }
    const updates: Uint8Array[] = []
    // Every update while `edit` runs is the edit's: nothing else runs in between.
    const onUpdate = (update: Uint8Array) => {
      updates.push(update)
    }
    const serverClientId = doc.clientID
    doc.on('update', onUpdate)
    doc.clientID = clientId
    let value: T
    try {
      value = edit(doc, origin)
    } finally {
      doc.clientID = serverClientId
      doc.off('update', onUpdate)
    }
    if (updates.length === 0) return { value, changed: false }
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)
    // Bound with the update, as for a socket's first update (SPEC 7.2).
    const bindings = authorship?.bind([clientId], userId, origin.at) ?? NO_ROWS
    this.opts.enqueue(this, null, userId, ++this.#lastSeq, update, origin.at, bindings, onDurable)
    this.#sendOwedStep1()
    return { value, changed: true }
  }

  handleAwareness(conn: Connection, update: Uint8Array, rawMessage: Uint8Array): Outcome {
    const userId = conn.userId
    const authorship = userId === null ? undefined : this.opts.authorship
    const result = this.awareness.apply(update, {
      owner: conn,
      userId,
      mayUse: authorship && ((clientId) => authorship.mayUse(clientId, userId!)),
    })
    if (!result.ok) return result
    if (result.overLimit > 0 && !this.#overLimitLogged.has(conn)) {
      this.#overLimitLogged.add(conn)
      this.opts.logger.info('awareness entries over the limit dropped', {
        conn: conn.id,
        doc: this.name,
        user: userId,
        dropped: result.overLimit,
      })
    }
    const relay = result.relay
    const send = () => {
      if (relay === 'raw') this.broadcast(rawMessage, conn)
      else if (relay) this.broadcast(encodeAwareness(relay), conn)
      // The other nodes relay it to their sockets.
      if (relay) this.opts.cluster?.awareness(this.name, relay === 'raw' ? update : relay)
    }
    // Bound at once in memory (no other user can claim the id from now on), and relayed only
    // once the binding is durable, so nobody sees the id before it is bound (SPEC 7.7).
    const bindings =
      authorship && conn.access === 'write' && result.held.length > 0
        ? authorship.bind(result.held, userId!, this.opts.now())
        : NO_ROWS
    if (bindings.length === 0) send()
    else {
      // Copied: the raw message is a view into ws's receive buffer.
      if (relay === 'raw') {
        rawMessage = ownCopy(rawMessage)
        update = ownCopy(update)
      }
      this.opts.enqueueBindings(this, conn, bindings, (err) => {
        if (err) conn.close(1011, 'could not store authorship')
        else if (!conn.closed) send()
      })
    }
    if (result.renewed && !this.#renewalTimer) {
      this.#renewalTimer = setTimeout(() => {
        this.#renewalTimer = null
        const renewals = this.awareness.takeRenewals()
        if (renewals) {
          this.broadcast(encodeAwareness(renewals), null)
          this.opts.cluster?.awareness(this.name, renewals)
        }
      }, AWARENESS_RENEWAL_BATCH_MS)
      this.#renewalTimer.unref()
    }
    return OK
  }

  handleQueryAwareness(conn: Connection): void {
    const states = this.awareness.encodeAll()
    if (states) conn.send(encodeAwareness(states))
  }

  /** Called by the group commit once `updates` are durable: relay, then maybe compact. */
  committed(items: readonly { conn: Connection | null; seq: number; update: Uint8Array }[]): void {
    for (const it of items) {
      this.#log.push({ seq: it.seq, update: it.update })
      this.#logBytes += it.update.length
      this.#committedSeq = it.seq
      if (it.seq > this.#lastSeq) this.#lastSeq = it.seq
      this.#fresh.append(it.update)
    }
    this.#relay(items, true)
  }

  /**
   * Fans committed updates out (now or at the batch period's end), then maybe compacts:
   * only from the group commit (`mayCompact`), when nothing of this room is queued — the
   * doc then equals what is stored. Another node's updates wait for the next local commit
   * (or unload) to compact; that node compacts its own.
   */
  #relay(
    items: readonly { conn: Connection | null; seq: number; update: Uint8Array }[],
    mayCompact: boolean,
  ): void {
    this.#outbox.push(...items)
    const wait = this.#lastFanoutAt + this.opts.fanoutBatchMs - performance.now()
    if (wait <= 0) this.#fanOut()
    else if (!this.#fanoutTimer) {
      this.#fanoutTimer = setTimeout(() => {
        this.#fanoutTimer = null
        this.#fanOut()
      }, wait)
    }
    if (mayCompact) this.#compactIfDue()
  }

  #compactionDue(): boolean {
    return (
      this.#log.length >= this.#compactRetryAt &&
      (this.#log.length > this.opts.compactUpdates || this.#logBytes > this.opts.compactBytes)
    )
  }

  /** Resolves when no compaction of this room runs. */
  async compactionIdle(): Promise<void> {
    while (this.#compacting) await this.#compacting
  }

  /**
   * Compaction with the encoding on the worker (RoomOptions.encoder): the committed state
   * (snapshot + log up to the last committed seq) is rebuilt and encoded there, and only the
   * write transaction runs here. Rows committed meanwhile stay in the log. Never rejects.
   */
  compactInBackground(): Promise<void> {
    const encoder = this.opts.encoder
    if (!encoder) return this.compact()
    if (this.#compacting) return this.#compacting
    if (this.#log.length === 0) return Promise.resolve()
    const generation = this.#generation
    const upto = this.#committedSeq
    const base = this.#snapshot
    const updates = this.#log.map((l) => l.update)
    const run = (async () => {
      const inputs = await this.opts.log.checkpointInputs(this.name, upto)
      const enc = await encoder.encode({
        base,
        updates,
        prevSv: inputs?.prevSv ?? null,
        rows: inputs?.rows ?? null,
      })
      // Reloaded, dropped, or compacted further meanwhile: nothing to do.
      if (generation !== this.#generation || upto <= this.#snapshotSeq) return
      const write = () =>
        this.opts.log.compact(this.name, enc.state, upto, undefined, {
          sv: enc.sv,
          afterSeq: inputs?.afterSeq ?? null,
          diff: enc.diff,
        })
      // As compact(): with several nodes only the lease holder writes (RoomCluster.compaction).
      if (this.opts.cluster) await this.opts.cluster.compaction(this.name, upto, write)
      else await write()
      if (generation === this.#generation) this.#compacted(enc.state, upto)
    })()
      .catch((err) => {
        if (generation !== this.#generation) return
        this.#compactRetryAt = this.#log.length + this.opts.compactUpdates
        this.opts.logger.error('compaction failed', { doc: this.name, err: String(err) })
      })
      .finally(() => {
        this.#compacting = null
        // Rows committed while it was encoded may be a compaction's worth already.
        if (!this.#destroyed && generation === this.#generation) this.#compactIfDue()
      })
    this.#compacting = run
    return run
  }

  /** The stored snapshot now holds every update <= upto: drop them from memory. */
  #compacted(state: Uint8Array, upto: number): void {
    if (upto <= this.#snapshotSeq) return
    this.#snapshot = state
    this.#snapshotSeq = upto
    let keep = 0
    while (keep < this.#log.length && this.#log[keep]!.seq <= upto) keep++
    this.#log = this.#log.slice(keep)
    this.#logBytes = this.#log.reduce((n, l) => n + l.update.length, 0)
    this.#fresh.reset(
      state,
      this.#log.map((l) => l.update),
    )
    this.#compactRetryAt = 0
  }

  /**
   * Relays every committed update not yet relayed: one message, encoded once, for everyone
   * (a merged one goes to the senders too: re-applying an update is a no-op).
   */
  #fanOut(): void {
    const items = this.#outbox
    if (items.length === 0) return
    this.#outbox = []
    this.#lastFanoutAt = performance.now()
    if (items.length === 1) this.broadcast(encodeUpdate(items[0]!.update), items[0]!.conn)
    else this.broadcast(encodeUpdate(Y.mergeUpdates(items.map((i) => i.update))), null)
  }

  /**
   * Merges snapshot + committed log into a new snapshot in one transaction. The state is
   * the committed updates' (the live doc only while nothing is queued for the room), so it
   * may run at any time; updates committed while it writes stay in the log.
   * One at a time per room; resolves when done. Never rejects.
   */
  compact(): Promise<void> {
    this.#compacting ??= this.#compactNow().finally(() => {
      this.#compacting = null
      // Updates committed while it ran may be over the threshold again (not once destroyed).
      if (!this.#destroyed) this.#compactIfDue()
    })
    return this.#compacting
  }

  #compactIfDue(): void {
    if (!this.#compactionDue()) return
    // A small board is compacted here, from its live doc: encoding it costs a few ms, less
    // than rebuilding it from snapshot + log on the worker (and the worker's start, once).
    const bytes = (this.#snapshot?.length ?? 0) + this.#logBytes
    if (this.opts.encoder && bytes > INLINE_COMPACTION_MAX_BYTES) void this.compactInBackground()
    else void this.compact()
  }

  async #compactNow(): Promise<void> {
    if (this.#log.length === 0) return
    const upto = this.#committedSeq
    const generation = this.#generation
    let state: Uint8Array
    try {
      // The live doc is the committed state when nothing is queued (cheaper than merging).
      const live = this.doc && !this.opts.hasPending(this) ? this.doc : undefined
      state = live
        ? Y.encodeStateAsUpdate(live)
        : Y.mergeUpdates([
            ...(this.#snapshot ? [this.#snapshot] : []),
            ...this.#log.map((l) => l.update),
          ])
      const write = () => this.opts.log.compact(this.name, state, upto, live)
      // With several nodes only the lease holder writes (RoomCluster.compaction).
      if (this.opts.cluster) await this.opts.cluster.compaction(this.name, upto, write)
      else await write()
    } catch (err) {
      this.#compactRetryAt = this.#log.length + this.opts.compactUpdates
      this.opts.logger.error('compaction failed', { doc: this.name, err: String(err) })
      return
    }
    // A reload meanwhile replaced the log: what it loaded is storage's, already consistent.
    if (generation === this.#generation) this.#compacted(state, upto)
  }

  /** Drops in-memory state and reloads it from storage (after a bad update or failed commit). */
  reload(stored: StoredDoc): void {
    this.#reset(stored)
    for (const c of this.conns) c.needsStep1 = true
  }

  /** Encodes once, writes the same frame to every socket except `except`. */
  broadcast(payload: Uint8Array, except: Connection | null): void {
    if (this.conns.size === 0 || (this.conns.size === 1 && except && this.conns.has(except))) return
    const frame = encodeFrame(payload)
    for (const c of this.conns) if (c !== except) c.sendFrame(frame)
  }

  destroy(): void {
    this.#destroyed = true
    if (this.graceTimer) clearTimeout(this.graceTimer)
    if (this.#renewalTimer) clearTimeout(this.#renewalTimer)
    if (this.#fanoutTimer) clearTimeout(this.#fanoutTimer)
    this.#outbox = []
    this.#generation++
    this.#dropDoc()
    this.#snapshot = null
    this.#log = []
    this.#fresh.reset(null, [])
  }

  #dropDoc(): void {
    if (!this.doc) return
    this.doc.destroy()
    this.doc = null
  }

  #reset(stored: StoredDoc): void {
    this.#generation++
    this.#dropDoc()
    const storedBytes =
      (stored.snapshot?.length ?? 0) + stored.updates.reduce((n, u) => n + u.update.length, 0)
    this.#snapshot = stored.snapshot
    this.#snapshotSeq = stored.snapshotSeq
    this.#log = stored.updates
    this.#logBytes = storedBytes - (stored.snapshot?.length ?? 0)
    this.#lastSeq = stored.lastSeq
    this.#committedSeq = stored.lastSeq
    this.#fresh.reset(
      stored.snapshot,
      stored.updates.map((u) => u.update),
    )
    // Small documents are built at once, so joiners get the real state vector in step 1
    // (a client answering an empty one would resend its whole state).
    if (storedBytes < EAGER_BUILD_BYTES) this.#ensureDoc()
  }

  /** Stored bytes for a peer holding nothing, without building or encoding a Y.Doc (SPEC 2.2, 5.6). */
  #sendFresh(conn: Connection): void {
    for (const frame of this.#fresh.frames()) conn.sendFrame(frame)
  }

  #ensureDoc(): Y.Doc {
    if (this.doc) return this.doc
    const started = performance.now()
    const doc = new Y.Doc()
    if (this.#snapshot) Y.applyUpdate(doc, this.#snapshot)
    for (const l of this.#log) Y.applyUpdate(doc, l.update)
    this.doc = doc
    this.opts.logger.debug('room doc built', {
      doc: this.name,
      ms: Math.round(performance.now() - started),
      snapshotSeq: this.#snapshotSeq,
      logRows: this.#log.length,
    })
    return doc
  }

  /**
   * Sends the step 1 owed since join to every socket, after the current message was
   * applied: a state vector taken before would make the sender resend that update.
   */
  #sendOwedStep1(): void {
    const doc = this.doc
    if (!doc) return
    for (const c of this.conns) if (c.needsStep1) this.#sendStep1(c, doc)
  }

  #sendStep1(conn: Connection, doc: Y.Doc): void {
    conn.needsStep1 = false
    conn.send(encodeSyncStep1(Y.encodeStateVector(doc)))
  }
}

/**
 * How many Yjs clocks `doc` holds beyond `stateVector` (stopping early once past `cap`), or
 * null when the state vector is malformed. A state vector with many more clients than the
 * document has cannot describe a peer that needs only a small diff: it counts as missing
 * everything without being decoded.
 */
function missingClocks(doc: Y.Doc, stateVector: Uint8Array, cap: number): number | null {
  const clients = doc.store.clients
  // A client ID takes at most 5 bytes and a clock at most 8; a peer may know some clients
  // the server has not seen (its unsynced sessions).
  if (stateVector.length > 1 + (clients.size + 1024) * 13) return Number.POSITIVE_INFINITY
  let peer: Map<number, number>
  try {
    peer = Y.decodeStateVector(stateVector)
  } catch {
    return null
  }
  let missing = 0
  for (const [client, structs] of clients) {
    const last = structs[structs.length - 1]
    if (!last) continue
    missing += Math.max(0, last.id.clock + last.length - (peer.get(client) ?? 0))
    if (missing > cap) break
  }
  return missing
}
