import { CLOSE_CODES } from '@taskflow/api'
import type { RawData, WebSocket } from 'ws'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import type { CloseMetrics, CommitMetrics } from '../metrics/metrics.js'
import type { Authorize, AuthorizeResult, LiveDocs, SyncControl } from './access.js'
import { type ApiClientIds, MemoryApiClientIds, newClientId } from './api-clients.js'
import { type ClientBindingStore, ClientIdTakenError, RoomAuthorship } from './authorship.js'
import type { AwarenessLimits } from './awareness.js'
import type { CompactionEncoder } from './compaction-encoder.js'
import { Connection } from './connection.js'
import { socketOf } from './frames.js'
import { GroupCommit, type PendingUpdate } from './group-commit.js'
import { releaseMemory } from './memory.js'
import { type BudgetScope, OutputBudget, type OutputLimits } from './output-budget.js'
import { isValidDocName, parseMessage } from './protocol.js'
import { type CommittedRow, Room, type RoomCluster } from './room.js'
import { createCounters, type SyncCounters } from './sync-stats.js'
import type { BindingRow, LogRow, UpdateLog } from './update-log.js'

/** What one peer may make the server do (SPEC 5.5–5.8); config.ts documents each. */
/** What the hub tells the derivation engine (derivation/engine.ts). */
export interface CommitListener {
  /** `rows` (in seq order) are durable; without rows: the document's log was written. */
  committed(docName: string, rows?: readonly LogRow[]): void
  /** The document was deleted. */
  forget(docName: string): void
}

export interface SyncLimits {
  output: OutputLimits
  step1PerMinute: number
  diffMaxClocks: number
  socketsPerUser: number
  socketsPerDoc: number
}

/** The counters plus live totals. */
export interface SyncStats extends SyncCounters {
  sockets: number
  /** Unsent output counted by the output budget, across all sockets. */
  queuedBytes: number
}

const STEP1_WINDOW_MS = 60_000
/**
 * A socket closed for its output backlog gets the close frame after that backlog: a peer
 * still reading sees 4503 and reconnects; one that stopped reading is cut after this long,
 * which frees what was queued for it.
 */
const OVERLOADED_CUT_MS = 5000

export interface SyncHubOptions {
  log: UpdateLog
  logger: Logger
  authorize: Authorize
  roomGraceMs: number
  compactUpdates: number
  compactBytes: number
  fanoutBatchMs: number
  /** The server's clock: the time stored with each update. */
  now: Clock
  /**
   * Told of every committed update, after the relay (the derivation engine: reports,
   * activity, notifications, webhooks), and of documents written or deleted without a room.
   */
  derivations?: CommitListener
  /** Client-ID bindings; absent = no authorship check (SPEC 7). */
  clientBindings?: ClientBindingStore
  /** The task API's client ID per (document, user); absent = kept in memory (unit tests). */
  apiClients?: ApiClientIds
  /** Per-connection presence limits (SPEC 4.7); absent = DEFAULT_AWARENESS_LIMITS. */
  awarenessLimits?: AwarenessLimits
  /** Prometheus hooks (TASKFLOW_METRICS=1); absent = no bookkeeping at all. */
  metrics?: CommitMetrics & CloseMetrics
  limits: SyncLimits
  /** Encodes compactions on a worker thread (RoomOptions.encoder); absent: synchronously. */
  encoder?: CompactionEncoder
  /** Several nodes serve the same documents (src/cluster/); absent = this node alone. */
  cluster?: HubCluster
}

/** What the hub needs from the cluster bus when several nodes share the database. */
export interface HubCluster extends RoomCluster {
  /**
   * Appends a group commit's rows in one transaction, giving each document's rows the next
   * seqs stored (another node may have written since): sets `row.seq`. Throws like append.
   */
  append(rows: readonly LogRow[], bindings?: readonly BindingRow[]): Promise<void>
  /** Stored rows of a document with `after < seq <= upto`, in seq order. */
  rowsAfter(docName: string, after: number, upto?: number): Promise<CommittedRow[]>
  /** The highest seq stored for a document, in its log or merged into its snapshot. */
  lastSeq(docName: string): Promise<number>
  /** Rows committed (and relayed) here: the other nodes relay them to their sockets. */
  published(docName: string, rows: readonly CommittedRow[]): void
}

type Pending = PendingUpdate<Room, Connection | null>

/**
 * Owns every room and socket: authorizes, dispatches messages by type, runs the group
 * commit, and implements SyncControl for the accounts code.
 */
export class SyncHub implements SyncControl {
  readonly #rooms = new Map<string, Room>()
  /** Rooms being loaded from storage, by document name. */
  readonly #loading = new Map<string, Promise<Room>>()
  /** Rooms reloading from storage, and the messages that arrived meanwhile. */
  readonly #reloading = new Map<Room, [Connection, Buffer][]>()
  readonly #reloadRuns = new Map<Room, Promise<void>>()
  readonly #conns = new Set<Connection>()
  readonly #commit: GroupCommit<Room, Connection | null>
  readonly #budget: OutputBudget<Connection>
  readonly #counters = createCounters()
  /** Open sockets per user (connections with a user only). */
  readonly #socketsByUser = new Map<string, number>()
  readonly #now: Clock
  readonly #apiClients: ApiClientIds
  #closing = false

  constructor(private readonly opts: SyncHubOptions) {
    this.#now = opts.now
    this.#apiClients = opts.apiClients ?? new MemoryApiClientIds()
    this.#budget = new OutputBudget<Connection>(opts.limits.output, (conn, scope) =>
      this.#overloaded(conn, scope),
    )
    const cluster = opts.cluster
    this.#commit = new GroupCommit<Room, Connection | null>(
      cluster ? { append: (rows, bindings) => cluster.append(rows, bindings) } : opts.log,
      (batch) => this.#committed(batch),
      (batch, err) => this.#commitFailed(batch, err),
      opts.metrics,
    )
  }

  get roomCount(): number {
    return this.#rooms.size
  }

  readonly liveDocs: LiveDocs = {
    read: async (docName, read) => {
      const room = await this.#openLive(docName)
      try {
        return read(await room.readDoc())
      } finally {
        this.#unloadWhenIdle(room)
      }
    },
    write: async (docName, userId, edit) => {
      const room = await this.#openLive(docName)
      try {
        let settle!: (err: unknown) => void
        const durable = new Promise<void>((resolve, reject) => {
          settle = (err) => (err ? reject(err) : resolve())
        })
        let result: { value: ReturnType<typeof edit>; changed: boolean }
        const clientId = await this.#apiClientId(room, userId)
        try {
          result = room.applyAs(userId, clientId, edit, settle)
        } catch (err) {
          // The doc may hold part of the edit that was never queued: back to what is stored.
          await this.#reload(room)
          throw err
        }
        if (result.changed) await durable
        return result
      } finally {
        this.#unloadWhenIdle(room)
      }
    },
  }

  /** Authorized sockets by access, counted on a metrics scrape (no hot-path bookkeeping). */
  connectionCounts(): { read: number; write: number } {
    const counts = { read: 0, write: 0 }
    for (const room of this.#rooms.values()) for (const c of room.conns) counts[c.access]++
    return counts
  }

  stats(): SyncStats {
    return { ...this.#counters, sockets: this.#conns.size, queuedBytes: this.#budget.queuedBytes }
  }

  /** Takes over an upgraded socket. Messages that arrive while authorize runs are queued. */
  connect(ws: WebSocket, docName: string, token: string | null): void {
    const conn = new Connection(ws, docName, token, this.#budget)
    if (this.#closing) {
      conn.close(CLOSE_CODES.serviceRestart, 'server restarting')
      return
    }
    this.#conns.add(conn)
    this.opts.logger.debug('sync upgrade', { conn: conn.id, doc: docName })
    let room: Room | null = null
    const early: RawData[] = []
    ws.on('message', (data, isBinary) => {
      if (conn.closed) return
      if (!isBinary) return this.#reject(conn, 'text frames are not part of the protocol')
      if (room) this.#dispatch(conn, room, data as Buffer)
      else early.push(data)
    })
    ws.on('close', (code) => {
      this.opts.metrics?.closed(code)
      this.opts.logger.debug('sync closed', { conn: conn.id, doc: docName, code })
      conn.closed = true
      this.#conns.delete(conn)
      this.#budget.release(conn)
      if (conn.countedUser !== null) {
        const n = this.#socketsByUser.get(conn.countedUser)! - 1
        if (n === 0) this.#socketsByUser.delete(conn.countedUser)
        else this.#socketsByUser.set(conn.countedUser, n)
      }
      if (room) this.#leave(conn, room)
    })
    // Everything queued for the socket was written: it is no longer backlogged, and a sync
    // step 1 held back meanwhile is answered now (SPEC 5.7).
    socketOf(ws)?.on('drain', () => {
      this.#budget.release(conn)
      const stateVector = conn.deferredStep1
      if (!stateVector || !room || conn.closed) return
      conn.deferredStep1 = null
      this.#answerStep1(conn, room, stateVector)
    })
    ws.on('error', (err) =>
      this.opts.logger.debug('socket error', { conn: conn.id, doc: docName, err: String(err) }),
    )

    if (!isValidDocName(docName)) {
      conn.close(CLOSE_CODES.notFound, 'invalid document name')
      return
    }
    this.#authorize(conn).then((result) => {
      if (conn.closed) return
      if (!result.ok) return conn.close(result.code, result.reason)
      if (this.#closing) return conn.close(CLOSE_CODES.serviceRestart, 'server restarting')
      const refusal = this.#admit(conn)
      if (refusal) return this.#tooMany(conn, refusal)
      this.#openRoom(docName).then(
        (opened) => {
          // Nobody joins a room loaded for a socket that went away: it unloads after the grace.
          if (conn.closed) return this.#unloadWhenIdle(opened)
          if (this.#closing) return conn.close(CLOSE_CODES.serviceRestart, 'server restarting')
          room = opened
          this.#joined(conn, opened, early)
        },
        (err) => {
          this.opts.logger.error('room load failed', { doc: docName, err: String(err) })
          conn.close(1011, 'could not load the document')
        },
      )
    })
  }

  /** The socket's room is loaded: join it and handle what the socket sent meanwhile. */
  #joined(conn: Connection, room: Room, early: RawData[]): void {
    room.join(conn)
    this.opts.logger.debug('sync connection', {
      conn: conn.id,
      doc: room.name,
      access: conn.access,
      user: conn.userId,
    })
    for (const data of early.splice(0)) if (!conn.closed) this.#dispatch(conn, room, data as Buffer)
  }

  async reauthorize(filter: {
    docName?: string
    userId?: string
    sessionId?: string
  }): Promise<void> {
    const matching = [...this.#conns].filter(
      (c) =>
        (filter.docName === undefined || c.docName === filter.docName) &&
        (filter.userId === undefined || c.userId === filter.userId) &&
        (filter.sessionId === undefined || c.sessionId === filter.sessionId),
    )
    await Promise.all(
      matching.map(async (c) => {
        const before = c.access
        const result = await this.#authorize(c)
        if (!result.ok) c.close(result.code, result.reason)
        else if (before === 'read' && c.access === 'write') {
          // Edits made while read-only were dropped; a sync step 1 makes the client resend them.
          this.#rooms.get(c.docName)?.resync(c)
        }
      }),
    )
  }

  closeDocument(docName: string, reason: string): void {
    const room = this.#rooms.get(docName)
    for (const c of this.#conns) if (c.docName === docName) c.close(CLOSE_CODES.forbidden, reason)
    if (!room) return
    for (const p of this.#commit.drop(room)) p.onDurable?.(new Error('document closed'))
    room.destroy()
    this.#rooms.delete(docName)
  }

  documentWritten(docName: string): void {
    this.opts.derivations?.committed(docName)
  }

  /**
   * Updates another node committed (cluster pub/sub): relayed here when this node holds the
   * document. A gap before them is read from the database first, so a lost message loses
   * nothing.
   */
  async remoteCommitted(docName: string, rows: readonly CommittedRow[]): Promise<void> {
    const room = this.#rooms.get(docName)
    if (!room || rows.length === 0) return
    if (room.applyCommitted(rows)) return
    await this.#fill(room)
  }

  /** Presence another node's sockets set on a document this node holds. */
  remoteAwareness(docName: string, node: string, update: Uint8Array): void {
    this.#rooms.get(docName)?.applyRemoteAwareness(node, update)
  }

  /**
   * Reads what other nodes committed to open documents since this node last heard: a lost
   * final message (nothing after it shows the gap) is found by this periodic check.
   */
  async catchUpRooms(): Promise<void> {
    for (const room of [...this.#rooms.values()]) {
      try {
        await this.#fill(room)
      } catch (err) {
        this.opts.logger.error('cluster catch-up failed', { doc: room.name, err: String(err) })
      }
    }
  }

  /** Brings `room` up to what is stored (up to `upto`): rows by seq, or the stored state. */
  async #fill(room: Room, upto = Number.MAX_SAFE_INTEGER): Promise<void> {
    const cluster = this.opts.cluster!
    const rows = await cluster.rowsAfter(room.name, room.committedSeq, upto)
    if (this.#rooms.get(room.name) !== room) return
    if (rows.length === 0 || rows[0]!.seq <= room.committedSeq + 1) {
      if (rows.length > 0 && room.applyCommitted(rows)) return
      if (Math.min(await cluster.lastSeq(room.name), upto) <= room.committedSeq) return
    }
    // The rows after committedSeq are gone (another node compacted them into its
    // snapshot): take the stored state instead.
    const stored = await this.opts.log.load(room.name)
    if (this.#rooms.get(room.name) === room) room.adoptStored(stored)
  }

  /** Commits every update received so far now (and relays it), instead of at the turn's end. */
  flushCommits(): Promise<void> {
    return this.#commit.flush()
  }

  /** Commits what was received and waits for the compactions that started (tests, drain). */
  async idle(): Promise<void> {
    await this.#commit.flush()
    await Promise.all([...this.#rooms.values()].map((r) => r.compactionIdle()))
  }

  /** Resolves when no room's compaction runs (tests, benchmarks). */
  async compactionIdle(): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((r) => r.compactionIdle()))
  }

  async deleteDocument(docName: string): Promise<void> {
    await this.#commit.flush()
    await this.opts.log.deleteDocument(docName)
    this.opts.derivations?.forget(docName)
    await this.opts.clientBindings?.deleteDocument(docName)
    await this.#apiClients.deleteDocument(docName)
  }

  /** Shutdown: refuse new sockets, commit what is queued, compact, close sockets with 1012. */
  async close(): Promise<void> {
    this.#closing = true
    await this.#commit.flush()
    const closed = [...this.#conns].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === c.ws.CLOSED) return resolve()
          c.ws.once('close', () => resolve())
          c.close(CLOSE_CODES.serviceRestart, 'server restarting')
        }),
    )
    // Rooms still loading are dropped when they arrive (#closing).
    // On the worker when there is one: other servers' rooms still relay meanwhile (several
    // nodes), and a large board's encode held the event loop for seconds.
    await Promise.all([...this.#rooms.values()].map((room) => room.compactInBackground()))
    for (const room of this.#rooms.values()) room.destroy()
    this.#rooms.clear()
    // A peer that never answers the closing handshake is cut after 1 s.
    const timer = setTimeout(() => {
      for (const c of this.#conns) c.ws.terminate()
    }, 1000)
    await Promise.all(closed)
    clearTimeout(timer)
    // What the sockets sent while closing is stored before the database closes.
    await this.#commit.flush()
  }

  /** Updates conn's access from authorize; a rejection becomes a denial, never a throw. */
  async #authorize(conn: Connection): Promise<AuthorizeResult> {
    let result: AuthorizeResult
    try {
      result = await this.opts.authorize(conn.token, conn.docName)
    } catch (err) {
      this.opts.logger.error('authorize failed', {
        conn: conn.id,
        doc: conn.docName,
        err: String(err),
      })
      result = { ok: false, code: CLOSE_CODES.unauthenticated, reason: 'authorization failed' }
    }
    if (result.ok) {
      conn.access = result.access
      conn.userId = result.userId
      conn.sessionId = result.sessionId
    }
    return result
  }

  /** The document's room, loading it once however many sockets ask at the same time. */
  #openRoom(docName: string): Promise<Room> {
    const open = this.#rooms.get(docName)
    if (open) return Promise.resolve(open)
    let loading = this.#loading.get(docName)
    if (!loading) {
      loading = this.#loadRoom(docName).finally(() => this.#loading.delete(docName))
      this.#loading.set(docName, loading)
    }
    return loading
  }

  async #loadRoom(docName: string): Promise<Room> {
    const [stored, bindings] = await Promise.all([
      this.opts.log.load(docName),
      this.opts.clientBindings?.load(docName),
    ])
    // Deleted or closed while loading: the next socket loads it again.
    const room = new Room(docName, stored, {
      log: this.opts.log,
      logger: this.opts.logger,
      compactUpdates: this.opts.compactUpdates,
      compactBytes: this.opts.compactBytes,
      fanoutBatchMs: this.opts.fanoutBatchMs,
      diffMaxClocks: this.opts.limits.diffMaxClocks,
      counters: this.#counters,
      ...(this.opts.encoder ? { encoder: this.opts.encoder } : {}),
      enqueue: (r, conn, userId, seq, update, at, bindings, onDurable) =>
        this.#commit.enqueue({
          room: r,
          conn,
          row: { docName: r.name, seq, update, userId, createdAt: at },
          bindings,
          onDurable,
        }),
      enqueueBindings: (r, conn, bindings, onDurable) =>
        this.#commit.enqueue({ room: r, conn, row: null, bindings, onDurable }),
      now: this.opts.now,
      // Loaded with the room, like its document; kept until it unloads.
      authorship: bindings && new RoomAuthorship(docName, bindings),
      awarenessLimits: this.opts.awarenessLimits,
      flushPending: async (r) => {
        if (this.#commit.hasPending(r)) await this.#commit.flush()
      },
      hasPending: (r) => this.#commit.hasPending(r),
      cluster: this.opts.cluster,
    })
    this.#rooms.set(docName, room)
    return room
  }

  /**
   * Back to what storage holds, after a rejected update left part of itself in the doc or a
   * commit failed: commits what is queued, then reloads the log and the bindings. The room's
   * messages wait meanwhile and are handled in order afterwards.
   */
  #reload(room: Room): Promise<void> {
    // One reload at a time per room; a second one starts after the first.
    const running = this.#reloadRuns.get(room)
    if (running) return running.then(() => this.#reload(room))
    this.#reloading.set(room, [])
    const run = (async () => {
      await this.#commit.flush()
      if (this.#rooms.get(room.name) !== room) return
      const [stored, bindings] = await Promise.all([
        this.opts.log.load(room.name),
        this.opts.clientBindings?.load(room.name),
      ])
      if (this.#rooms.get(room.name) !== room) return
      if (bindings) room.authorship?.reset(bindings)
      room.reload(stored)
    })()
      .catch((err) => {
        this.opts.logger.error('room reload failed', { doc: room.name, err: String(err) })
        for (const c of room.conns) c.close(1011, 'could not load the document')
      })
      .finally(() => {
        const held = this.#reloading.get(room) ?? []
        this.#reloading.delete(room)
        this.#reloadRuns.delete(room)
        for (const [conn, data] of held) if (!conn.closed) this.#dispatch(conn, room, data)
      })
    this.#reloadRuns.set(room, run)
    return run
  }

  /** A room for the task API: refused while shutting down (its edit could not be stored). */
  async #openLive(docName: string): Promise<Room> {
    if (this.#closing) throw new Error('server shutting down')
    return this.#openRoom(docName)
  }

  /**
   * The user's API client ID of the room's document, created on first use: never one the
   * document already holds structs under or another user is bound to.
   */
  async #apiClientId(room: Room, userId: string): Promise<number> {
    const known = await this.#apiClients.get(room.name, userId)
    if (known !== undefined) return known
    const doc = await room.readDoc()
    let id = newClientId()
    while (doc.store.clients.has(id) || room.clientIdTaken(id, userId)) id = newClientId()
    await this.#apiClients.set(room.name, userId, id, this.#now())
    return id
  }

  /** A room nobody is connected to (opened by the task API) unloads after the grace period. */
  #unloadWhenIdle(room: Room): void {
    if (room.conns.size > 0 || this.#rooms.get(room.name) !== room) return
    if (room.graceTimer) clearTimeout(room.graceTimer)
    room.graceTimer = setTimeout(() => this.#unload(room), this.opts.roomGraceMs)
    room.graceTimer.unref()
  }

  #leave(conn: Connection, room: Room): void {
    room.leave(conn)
    if (room.conns.size > 0 || this.#rooms.get(room.name) !== room) return
    room.graceTimer = setTimeout(() => this.#unload(room), this.opts.roomGraceMs)
    room.graceTimer.unref()
  }

  async #unload(room: Room): Promise<void> {
    if (room.conns.size > 0 || this.#rooms.get(room.name) !== room) return
    if (this.#commit.hasPending(room)) await this.#commit.flush()
    // Encoded on the worker (when there is one): the other rooms keep relaying meanwhile.
    await room.compactInBackground()
    // Someone joined while it compacted: the room stays (it is consistent either way).
    if (room.conns.size > 0 || this.#rooms.get(room.name) !== room) return
    if (this.#commit.hasPending(room)) return this.#unloadWhenIdle(room)
    room.destroy()
    this.#rooms.delete(room.name)
    this.opts.logger.debug('room unloaded', { doc: room.name })
    releaseMemory()
  }

  #dispatch(conn: Connection, room: Room, data: Buffer): void {
    const held = this.#reloading.get(room)
    if (held) {
      // Copied: the buffer is ws's, reused for the next frame.
      held.push([conn, Buffer.from(data)])
      return
    }
    const parsed = parseMessage(data)
    if (!parsed.ok) {
      this.#reject(conn, parsed.reason)
      return
    }
    const m = parsed.message
    switch (m.kind) {
      case 'syncStep1': {
        if (!this.#countStep1(conn)) return
        if (conn.queuedBytes > 0) {
          // Held back until the socket drains; a later one replaces it (SPEC 5.7). Copied:
          // the view points into ws's receive buffer.
          conn.deferredStep1 = m.stateVector.slice()
          this.#counters.step1Deferred++
          return
        }
        this.#answerStep1(conn, room, m.stateVector)
        return
      }
      case 'update': {
        // Read connections: never applied, stored or relayed (SPEC 1.4).
        if (conn.access !== 'write') return
        const r = room.handleUpdate(conn, m.update)
        if (r.ok) return
        if (r.close) this.#reject(conn, r.reason, r.code)
        else
          this.opts.logger.info('sync update deferred', {
            conn: conn.id,
            doc: conn.docName,
            reason: r.reason,
          })
        if (r.reload) {
          // The doc may hold part of the update: commit the good ones, reload the rest.
          void this.#reload(room).then(() => {
            if (!r.close && !conn.closed) room.resync(conn)
          })
          return
        }
        if (!r.close) room.resync(conn)
        return
      }
      case 'awareness': {
        const r = room.handleAwareness(conn, m.update, data)
        if (!r.ok) this.#reject(conn, r.reason, r.code)
        return
      }
      case 'queryAwareness':
        room.handleQueryAwareness(conn)
        return
    }
  }

  #answerStep1(conn: Connection, room: Room, stateVector: Uint8Array): void {
    const r = room.handleSyncStep1(conn, stateVector)
    if (!r.ok) this.#reject(conn, r.reason)
  }

  /** Counts a sync step 1 against the socket's per-minute allowance; false = closed (SPEC 5.7). */
  #countStep1(conn: Connection): boolean {
    this.#counters.step1Received++
    const now = this.#now()
    if (now - conn.step1WindowStart >= STEP1_WINDOW_MS) {
      conn.step1WindowStart = now
      conn.step1Count = 0
    }
    if (++conn.step1Count <= this.opts.limits.step1PerMinute) return true
    this.#tooMany(conn, 'too many sync requests')
    return false
  }

  /** Counts the socket for its user, or says why it is refused (SPEC 5.8). */
  #admit(conn: Connection): string | null {
    const { socketsPerUser, socketsPerDoc } = this.opts.limits
    const user = conn.userId
    if (user !== null && (this.#socketsByUser.get(user) ?? 0) >= socketsPerUser)
      return 'too many connections for this user'
    if ((this.#rooms.get(conn.docName)?.conns.size ?? 0) >= socketsPerDoc)
      return 'too many connections to this document'
    if (user !== null) {
      this.#socketsByUser.set(user, (this.#socketsByUser.get(user) ?? 0) + 1)
      conn.countedUser = user
    }
    return null
  }

  #tooMany(conn: Connection, reason: string): void {
    this.#counters.closedTooMany++
    this.#reject(conn, reason, CLOSE_CODES.tooManyRequests)
  }

  #overloaded(conn: Connection, scope: BudgetScope): void {
    this.#counters.closedOverloaded++
    const reason =
      scope === 'socket'
        ? 'too much unsent output'
        : scope === 'user'
          ? 'too much unsent output for this user'
          : 'server overloaded: too much unsent output'
    this.opts.logger.info('sync socket over output budget', {
      doc: conn.docName,
      user: conn.userId,
      scope,
    })
    conn.close(CLOSE_CODES.overloaded, reason)
    setTimeout(() => conn.ws.terminate(), OVERLOADED_CUT_MS).unref()
  }

  #reject(conn: Connection, reason: string, code: number = CLOSE_CODES.badMessage): void {
    this.opts.logger.info('sync message rejected', {
      conn: conn.id,
      doc: conn.docName,
      reason,
      code,
    })
    conn.close(code, reason)
  }

  async #committed(batch: Pending[]): Promise<void> {
    const byRoom = new Map<Room, { conn: Connection | null; seq: number; update: Uint8Array }[]>()
    for (const p of batch) {
      if (!p.row) continue
      const items = byRoom.get(p.room) ?? []
      byRoom.set(p.room, items)
      items.push({ conn: p.conn, seq: p.row.seq, update: p.row.update })
    }
    const cluster = this.opts.cluster
    for (const [room, items] of byRoom) {
      if (this.#rooms.get(room.name) !== room) continue
      // Another node wrote between this room's last seq and these: take those first.
      if (cluster && items[0]!.seq > room.committedSeq + 1)
        await this.#fill(room, items[0]!.seq - 1)
      const fresh = items.filter((it) => it.seq > room.committedSeq)
      if (fresh.length > 0) room.committed(fresh)
    }
    // After the relay: durable rows, whichever room (or none) holds their document now.
    const byDoc = new Map<string, LogRow[]>()
    for (const p of batch) {
      if (!p.row) continue
      const rows = byDoc.get(p.row.docName) ?? []
      byDoc.set(p.row.docName, rows)
      rows.push(p.row)
    }
    for (const [docName, rows] of byDoc) {
      this.opts.derivations?.committed(docName, rows)
      cluster?.published(
        docName,
        rows.map((r) => ({ seq: r.seq, update: r.update, userId: r.userId, at: r.createdAt })),
      )
    }
  }

  /**
   * Nothing of the batch was stored or relayed: its senders must resend (they reconnect).
   * Updates of the same rooms queued behind it were numbered after the failed ones, so they
   * go too (their senders resend as well); then the rooms reload what storage holds.
   */
  #commitFailed(batch: Pending[], err: unknown): void {
    this.opts.logger.error('update commit failed', { err: String(err), updates: batch.length })
    const rooms = new Set(batch.map((p) => p.room))
    const failed = [...batch]
    for (const room of rooms) {
      const dropped = this.#commit.drop(room)
      for (const p of dropped) p.onDurable?.(err)
      failed.push(...dropped)
    }
    for (const p of failed) {
      // The id this socket claimed is another user's (bound by another node first).
      const taken =
        err instanceof ClientIdTakenError &&
        p.bindings?.some((b) => b.docName === err.docName && b.clientId === err.clientId)
      if (taken) p.conn?.close(CLOSE_CODES.forbidden, err.message)
      else p.conn?.close(1011, 'could not store update')
    }
    for (const room of rooms) void this.#reload(room)
  }
}
