import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import type { NotificationHub } from '../notifications/notification-hub.js'
import type { SyncControl } from '../sync/access.js'
import type { HubCluster, SyncHub } from '../sync/sync-hub.js'
import type { ControlEvent } from './bus-messages.js'
import { ClusterLog } from './cluster-log.js'
import { type DropIncoming, RedisBus } from './redis-bus.js'

/**
 * How often a node compares its open documents with the database: the bound on how late a
 * node relays an update whose pub/sub message was lost with nothing after it to show the gap.
 */
const CATCH_UP_MS = 1000

export interface ClusterTestHooks {
  /** Drops chosen incoming document messages (a lost pub/sub message). */
  dropIncoming?: DropIncoming
  /** Period of the catch-up check (default CATCH_UP_MS). */
  catchUpMs?: number
}

export interface ClusterOptions extends ClusterTestHooks {
  redisUrl: string
  /** Prefix of every Redis channel and key (several clusters, or tests, on one Redis). */
  prefix: string
  /** The shared database (SQLite file in WAL mode, or Postgres). */
  db: Db
  now: Clock
  logger: Logger
}

/**
 * This node's part in a cluster of nodes on one database (TASKFLOW_REDIS_URL): commits
 * with database-assigned seqs, publishes what it committed and relays what others did,
 * reads gaps from the database, and carries access changes and notification streams
 * across nodes.
 */
export class ClusterNode {
  readonly node = randomUUID()
  readonly #log: ClusterLog
  readonly #bus: RedisBus
  #hub: SyncHub | null = null
  #streams: NotificationHub | null = null
  #timer: NodeJS.Timeout | null = null
  /** The catch-up running now, if any (close() waits for it before the database closes). */
  #catchingUp: Promise<void> | null = null
  #closed = false

  /** What the sync hub uses (SyncHubOptions.cluster). */
  readonly hub: HubCluster

  constructor(private readonly opts: ClusterOptions) {
    this.#log = new ClusterLog(opts.db, this.node, opts.now)
    this.#bus = new RedisBus(opts.redisUrl, opts.prefix, this.node, opts.logger, opts.dropIncoming)
    const log = this.#log
    const bus = this.#bus
    const node = this.node
    this.hub = {
      append: (rows, bindings) => log.append(rows, bindings),
      rowsAfter: (docName, after, upto) => log.rowsAfter(docName, after, upto),
      lastSeq: (docName) => log.lastSeq(docName),
      compaction: (docName, uptoSeq, write) => log.compaction(docName, uptoSeq, write),
      published: (docName, rows) => bus.publish({ kind: 'committed', node, docName, rows }),
      awareness: (docName, update) =>
        bus.publish({ kind: 'awareness', node, docName, update: update.slice() }),
    }
  }

  /** Connects to Redis; rejects (start-up fails) when it cannot be reached. */
  async start(): Promise<void> {
    await this.#bus.start({
      sync: (m) => {
        const hub = this.#hub
        if (!hub) return
        const fail = (err: unknown) =>
          this.opts.logger.error('cluster message failed', { doc: m.docName, err: String(err) })
        try {
          if (m.kind === 'committed') hub.remoteCommitted(m.docName, m.rows).catch(fail)
          else hub.remoteAwareness(m.docName, m.node, m.update)
        } catch (err) {
          fail(err)
        }
      },
      control: (_node, event) => this.#onControl(event),
      resubscribed: () => this.#catchUp(),
    })
  }

  /**
   * Joins the hub and the notification streams to the cluster; returns the SyncControl
   * accounts code must use: each change of access also reaches the other nodes' sockets.
   */
  attach(hub: SyncHub, streams: NotificationHub): SyncControl {
    this.#hub = hub
    this.#streams = streams
    streams.relayTo((userId, message) => this.#bus.control({ type: 'notify', userId, message }))
    this.#timer = setInterval(() => this.#catchUp(), this.opts.catchUpMs ?? CATCH_UP_MS)
    this.#timer.unref()
    const bus = this.#bus
    return {
      reauthorize: async (filter) => {
        bus.control({ type: 'reauthorize', filter })
        await hub.reauthorize(filter)
      },
      closeDocument: (docName, reason) => {
        bus.control({ type: 'closeDocument', docName, reason })
        hub.closeDocument(docName, reason)
      },
      deleteDocument: (docName) => hub.deleteDocument(docName),
      documentWritten: (docName) => hub.documentWritten(docName),
      get roomCount() {
        return hub.roomCount
      },
      liveDocs: hub.liveDocs,
    }
  }

  /** One catch-up at a time: a slow database must not pile them up. */
  #catchUp(): void {
    const hub = this.#hub
    if (!hub || this.#catchingUp || this.#closed) return
    this.#catchingUp = hub
      .catchUpRooms()
      .catch((err) => this.opts.logger.error('cluster catch-up failed', { err: String(err) }))
      .finally(() => {
        this.#catchingUp = null
      })
  }

  /** Whether Redis answers (readiness). */
  redisReachable(): Promise<boolean> {
    return this.#bus.ping()
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#timer) clearInterval(this.#timer)
    await this.#catchingUp
    await this.#bus.close()
  }

  #onControl(event: ControlEvent): void {
    const hub = this.#hub
    if (!hub) return
    const fail = (err: unknown) =>
      this.opts.logger.error('cluster control event failed', { type: event.type, err: String(err) })
    try {
      switch (event.type) {
        case 'reauthorize':
          hub.reauthorize(event.filter).catch(fail)
          if (event.filter.userId !== undefined || event.filter.sessionId !== undefined)
            this.#streams?.reauthorize(event.filter).catch(fail)
          return
        case 'closeDocument':
          hub.closeDocument(event.docName, event.reason)
          return
        case 'notify':
          this.#streams?.deliverLocal(event.userId, event.message)
          return
      }
    } catch (err) {
      fail(err)
    }
  }
}
