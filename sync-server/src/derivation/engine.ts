import type { Transaction } from 'kysely'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Database } from '../db/schema.js'
import type { Logger } from '../logger.js'
import { loadProjectedTasks, projectExists } from '../reports/projection.repository.js'
import { PROJECTION_CONSUMER } from '../reports/projector.js'
import type { CommittedLog, LogEntry } from './committed-log.js'
import type { DerivationConsumer, DerivedBatch, SeqItem } from './consumer.js'
import {
  allCursors,
  type CursorPosition,
  getCursor,
  getPosition,
  setCursor,
  setPart,
} from './cursors.repository.js'
import { type Folder, InlineFolder } from './folder.js'
import { type DocumentLease, InProcessLease, type LeaseHandle } from './lease.js'

export interface EngineOptions {
  db: Db
  log: CommittedLog
  consumers: readonly DerivationConsumer[]
  logger: Logger
  /** The server's clock: the time of changes no logged update explains. */
  now: Clock
  /** Run this long after the first commit a document is woken by (default 500 ms). */
  debounceMs?: number
  /** Log rows folded and written per batch; the event loop runs between batches. */
  batchRows?: number
  /**
   * A consumer's per-seq items (activity entries, status changes…) written per transaction
   * when a batch has more (default 200, at most); the event loop runs between parts.
   */
  partItems?: number
  /**
   * The time one part or run of state chunks may hold the event loop (default 10 ms, read
   * on `now`): a part that took longer makes the next one smaller, a quick one the next one
   * larger (up to `partItems`); state chunks run back to back until this much has passed.
   * A 200-item part of a big board took 30–60 ms on a loaded machine.
   */
  sliceMs?: number
  /** Keep an idle document's fold this long after its last run (default 60 s). */
  keepMs?: number
  /** Who may run a document now (default: this process). */
  lease?: DocumentLease
  /**
   * When another node holds a document's lease, look again this long after (default 1 s):
   * commits it had not read when it let go, or a holder that died, are derived here then.
   */
  leaseRetryMs?: number
  /** Where the Yjs work runs (default: this thread; the server uses a worker thread). */
  folder?: Folder
  /**
   * After a run that moved the cursors, still holding the lease (the server: finish a
   * compaction that waited for the consumers, UpdateLog.compactToFloor). Errors are logged.
   */
  afterRun?: (docName: string) => Promise<void>
}

interface DocState {
  /** The fold's position (last seq applied), or null while the folder holds none. */
  pos: number | null
  /** Committed rows this process handed over and the fold has not applied yet, by seq. */
  tail: LogEntry[]
  timer: NodeJS.Timeout | null
  /** Another node held the lease: look again then (drain does not wait for it). */
  retry: NodeJS.Timeout | null
  evict: NodeJS.Timeout | null
  running: Promise<void> | null
  /** Woken while running: run again when done (after the debounce, unless `urgent`). */
  again: boolean
  /** Someone waits for the document (drain, catch-up): run again at once, not debounced. */
  urgent: boolean
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * The one derivation engine (ARCHITECTURE rule 8). Reports, activity, notifications and
 * webhooks are consumers of the committed update log, by sequence, never of the live room
 * document: off the relay path, a document's rows are folded into a scratch copy in
 * batches and each consumer writes what a batch means to it in a transaction that moves
 * its own cursor, so effects happen exactly once per seq whatever crashes in between.
 * The engine owns waking (commits, debounce), catch-up after a restart, batching with a
 * turn of the event loop between batches, and the lease that lets one node run a document.
 */
export class DerivationEngine {
  readonly #docs = new Map<string, DocState>()
  readonly #opts: Required<EngineOptions>
  #catchUp: Promise<void> = Promise.resolve()
  #stopped = false

  constructor(opts: EngineOptions) {
    this.#opts = {
      debounceMs: 500,
      batchRows: 256,
      partItems: 200,
      sliceMs: 10,
      keepMs: 60_000,
      leaseRetryMs: 1000,
      afterRun: async () => {},
      lease: new InProcessLease(),
      folder: new InlineFolder(),
      ...opts,
    }
  }

  /**
   * Rows up to the last of `rows` are committed (or, without rows, something was written to
   * `docName`'s log): derive them after the debounce. Cheap; never throws.
   */
  committed(docName: string, rows: readonly LogEntry[] = []): void {
    if (this.#stopped) return
    const s = this.#state(docName)
    // Only this process's own commits come with rows; others are read from the log.
    const pos = s.pos
    if (pos !== null) for (const r of rows) if (r.seq > pos) s.tail.push(r)
    if (s.running) {
      s.again = true
      return
    }
    this.#schedule(docName, s)
  }

  /** Runs `docName` once the debounce has passed (one run per period however many commits). */
  #schedule(docName: string, s: DocState): void {
    if (s.timer) return
    s.timer = setTimeout(() => {
      s.timer = null
      this.#start(docName)
    }, this.#opts.debounceMs)
    s.timer.unref()
  }

  /** Forgets a document (deleted): its fold and pending rows go. */
  forget(docName: string): void {
    const s = this.#docs.get(docName)
    if (!s) return
    if (s.timer) clearTimeout(s.timer)
    if (s.retry) clearTimeout(s.retry)
    s.retry = null
    if (s.evict) clearTimeout(s.evict)
    this.#dropFold(docName, s)
    if (!s.running) this.#docs.delete(docName)
  }

  /**
   * Derives, in the background, every document whose log is ahead of a consumer's cursor
   * (start-up after a crash: nothing else would until its next edit). One at a time.
   */
  catchUp(): Promise<void> {
    this.#catchUp = this.#catchUp.then(async () => {
      try {
        const behind = await this.#behind()
        for (const name of behind) {
          if (this.#stopped) return
          await this.#runNow(name)
        }
        if (behind.length > 0)
          this.#opts.logger.info('derivations caught up', { documents: behind.length })
      } catch (err) {
        this.#opts.logger.error('derivation catch-up failed', { err: String(err) })
      }
    })
    return this.#catchUp
  }

  /**
   * Derives everything woken so far now, without waiting for the debounce, and resolves
   * when it is written (tests, shutdown).
   */
  async drain(): Promise<void> {
    await this.#catchUp
    for (;;) {
      const pending = [...this.#docs].filter(([, s]) => s.timer || s.running || s.again)
      if (pending.length === 0) return
      await Promise.all(pending.map(([name]) => this.#runNow(name)))
    }
  }

  /** Writes what is pending, then stops waking. */
  async stop(): Promise<void> {
    await this.drain()
    this.#stopped = true
    for (const name of [...this.#docs.keys()]) this.forget(name)
    await this.#opts.folder.close()
  }

  #state(docName: string): DocState {
    let s = this.#docs.get(docName)
    if (!s) {
      s = {
        pos: null,
        tail: [],
        timer: null,
        retry: null,
        evict: null,
        running: null,
        again: false,
        urgent: false,
      }
      this.#docs.set(docName, s)
    }
    return s
  }

  async #runNow(docName: string): Promise<void> {
    const s = this.#state(docName)
    if (s.timer) {
      clearTimeout(s.timer)
      s.timer = null
    }
    if (s.running) {
      s.again = true
      s.urgent = true
      await s.running
      return
    }
    await this.#start(docName)
  }

  #start(docName: string): Promise<void> {
    const s = this.#state(docName)
    s.again = false
    s.running = (async () => {
      try {
        do {
          s.again = false
          s.urgent = false
          await this.#run(docName, s)
        } while (s.again && s.urgent && !this.#stopped)
      } finally {
        s.running = null
      }
      // Commits that came during the run wait for the next period: a steady stream of edits
      // is folded and written once per debounce, not once per run's length (which, run back
      // to back, made small batches of a few updates each — most of the engine's CPU).
      if (s.again && !this.#stopped) {
        s.again = false
        this.#schedule(docName, s)
      }
    })()
    return s.running
  }

  async #run(docName: string, s: DocState, retry = true): Promise<void> {
    if (s.evict) clearTimeout(s.evict)
    s.evict = null
    const { folder } = this.#opts
    let lease: LeaseHandle | null
    try {
      lease = await this.#opts.lease.acquire(docName)
    } catch (err) {
      this.#opts.logger.error('derivation lease failed', { doc: docName, err: String(err) })
      lease = null
    }
    if (!lease) {
      // Another node runs this document's consumers; it reads the same log. It may have let
      // go before reading what woke us, or died holding the lease: look again later.
      this.#retryLater(docName, s)
      return
    }
    let failed = false
    try {
      // Another node may have derived past this fold since it was built: start from the cursors.
      if (s.pos !== null && (await this.#lowestCursor(docName)) > s.pos) this.#dropFold(docName, s)
      if (s.pos === null && !(await this.#behindOne(docName))) return
      if (s.pos === null && !(await this.#init(docName, s))) return
      let owed = true
      let wrote = false
      // This run folds what was committed when it started; later commits wait for the next
      // debounce period (unless someone waits for them: `urgent`).
      const known = s.tail.at(-1)?.seq ?? null
      for (;;) {
        if (s.pos === null || !lease.held()) return
        const from = s.pos
        const rows = await this.#next(docName, s, from)
        // Once without rows: a new fold still owes its first write (a board with no rows).
        if (rows.length === 0 && !owed) break
        owed = false
        const { pos, out } = await folder.advance(docName, rows)
        s.pos = pos
        if (rows.length > 0 || out.projection || out.events.length > 0) {
          const ok = await this.#write(lease, { docName, from, upto: pos, ...out })
          if (!ok) {
            // The fold is ahead of what was written: the next holder starts from the cursors.
            this.#dropFold(docName, s)
            return
          }
        }
        if (rows.length === 0) break
        wrote = true
        if (known !== null && pos >= known && !s.urgent) break
        // Sockets and requests run between batches, whatever the size of the backlog.
        await yieldTurn()
      }
      if (wrote) {
        try {
          await this.#opts.afterRun(docName)
        } catch (err) {
          this.#opts.logger.error('derivation after-run failed', {
            doc: docName,
            err: String(err),
          })
        }
      }
    } catch (err) {
      this.#opts.logger.error('derivation failed', { doc: docName, err: String(err) })
      this.#dropFold(docName, s)
      for (const c of this.#opts.consumers) c.reset?.(docName)
      failed = true
    } finally {
      await lease.release()
      if (s.pos !== null && !this.#stopped) {
        s.evict = setTimeout(() => {
          s.evict = null
          if (!s.running && !s.timer) this.#dropFold(docName, s)
        }, this.#opts.keepMs)
        s.evict.unref()
      }
    }
    // Once more from the cursors (a fold worker that died loses its folds, not the log).
    if (failed && retry && !this.#stopped) await this.#run(docName, s, false)
  }

  /** The next rows after `pos`: this process's own commits when they follow on, else the log. */
  async #next(docName: string, s: DocState, pos: number): Promise<LogEntry[]> {
    const { batchRows } = this.#opts
    s.tail = s.tail.filter((r) => r.seq > pos)
    if (s.tail[0]?.seq === pos + 1) {
      let n = 1
      while (n < s.tail.length && n < batchRows && s.tail[n]!.seq === s.tail[n - 1]!.seq + 1) n++
      return s.tail.splice(0, n)
    }
    // A gap (another node's commits, a catch-up, a write made without a room): read by seq.
    const rows = await this.#opts.log.rowsAfter(docName, pos, batchRows)
    s.tail = s.tail.filter((r) => r.seq > (rows.at(-1)?.seq ?? pos))
    return rows
  }

  /** Builds the fold at the lowest consumer cursor. False when the document is no project. */
  async #init(docName: string, s: DocState): Promise<boolean> {
    const { db, log, consumers, now, batchRows } = this.#opts
    if (!(await projectExists(db, docName))) {
      this.#docs.delete(docName)
      return false
    }
    const cursors = await Promise.all(consumers.map((c) => getCursor(db, c.name, docName)))
    const start = Math.min(...cursors.map((c) => c ?? 0))
    const projectedSeq = await getCursor(db, PROJECTION_CONSUMER, docName)
    const projected = await loadProjectedTasks(db, docName)
    const snapshot = await log.snapshot(docName)
    const snapshotSeq = snapshot?.seq ?? 0
    // Rows that are state for every consumer, in pages.
    const rows: LogEntry[] = []
    let after = snapshotSeq
    while (after < start) {
      const page = await log.rowsAfter(docName, after, batchRows)
      for (const r of page) if (r.seq <= start) rows.push(r)
      if (page.length < batchRows || page.at(-1)!.seq >= start) break
      after = page.at(-1)!.seq
    }
    s.tail = []
    s.pos = await this.#opts.folder.init(
      docName,
      { snapshot, rows, start, projectedSeq, projected },
      now(),
    )
    return true
  }

  /**
   * Each consumer's transaction: skip what its cursor passed, write, move the cursor. A big
   * batch first has its per-seq items written in parts and its state in chunks, each in a
   * short transaction of its own with a turn of the event loop in between.
   */
  async #write(lease: LeaseHandle, batch: DerivedBatch): Promise<boolean> {
    const { db, consumers, logger, partItems, sliceMs, now } = this.#opts
    const docName = batch.docName
    const notify = (c: DerivationConsumer) => {
      try {
        c.afterCommit?.(docName)
      } catch (err) {
        logger.error('derivation after-commit failed', { consumer: c.name, err: String(err) })
      }
    }
    /** Runs `body` if the lease still holds and the project exists. */
    const short = async <T>(
      body: (trx: Transaction<Database>) => Promise<T>,
    ): Promise<T | 'lost' | 'gone'> =>
      db.transaction().execute(async (trx) => {
        // First: a transaction that finds the lease taken over writes nothing.
        if (!(await lease.confirm(trx))) return 'lost' as const
        if (!(await projectExists(trx, docName))) return 'gone' as const
        return body(trx)
      })
    const stop = (r: unknown): boolean => {
      if (r === 'gone') this.forget(docName)
      return r === 'lost' || r === 'gone'
    }
    for (const c of consumers) {
      if (!lease.held()) return false
      const items = c.parts?.of(batch) ?? []
      const split = c.split?.(batch)
      let rest = batch
      if ((split && split.chunks.length > 0) || items.length > partItems) {
        const before = await getPosition(db, c.name, docName)
        if ((before?.seq ?? -1) < batch.upto) {
          // Items first: a state chunk rewrites task rows as of `upto`, and a fold rebuilt
          // after a crash starts from those rows, so items it derived then could differ.
          let pos = before
          const todo = pending(items, before, true)
          let size = partItems
          for (let i = 0; i < todo.length; ) {
            const part = todo.slice(i, i + size)
            i += part.length
            const expected = pos
            const started = now()
            const done = await short(async (trx) => {
              // Another writer moved it (a lease that did not hold): derive again from there.
              if (!samePosition(await getPosition(trx, c.name, docName), expected)) return 'lost'
              const did = await c.parts!.write(
                trx,
                docName,
                part.map((p) => p.item),
              )
              const last = part.at(-1)!
              await setPart(trx, c.name, docName, last.item.seq, last.index + 1)
              return did
            })
            if (stop(done)) return false
            if (done) notify(c)
            const last = part.at(-1)!
            pos = { seq: before?.seq ?? null, part: { seq: last.item.seq, count: last.index + 1 } }
            size = nextPartSize(size, part.length, now() - started, sliceMs, partItems)
            await yieldTurn()
            if (!lease.held()) return false
          }
          let slice = now()
          for (const chunk of split?.chunks ?? []) {
            if (!lease.held()) return false
            if (stop(await short(chunk))) return false
            if (now() - slice < sliceMs) continue
            await yieldTurn()
            slice = now()
          }
          if (split?.chunks.length) await yieldTurn()
          if (split) rest = split.rest
        }
      }
      const wrote = await short(async (trx) => {
        const pos = await getPosition(trx, c.name, docName)
        const after = pos?.seq ?? -1
        if (after >= rest.upto && !(after === rest.upto && rest.from === rest.upto)) return false
        const todo = pending(items, pos)
        const wroteItems =
          todo.length > 0 &&
          (await c.parts!.write(
            trx,
            docName,
            todo.map((p) => p.item),
          ))
        const did = await c.write(trx, rest, after)
        await setCursor(trx, c.name, docName, rest.upto)
        return wroteItems || did
      })
      if (stop(wrote)) return false
      if (wrote) notify(c)
    }
    return true
  }

  #retryLater(docName: string, s: DocState): void {
    if (this.#stopped || s.retry) return
    s.retry = setTimeout(() => {
      s.retry = null
      if (s.running) s.again = true
      else if (!s.timer && !this.#stopped) this.#start(docName)
    }, this.#opts.leaseRetryMs)
    s.retry.unref()
  }

  async #lowestCursor(docName: string): Promise<number> {
    const { db, consumers } = this.#opts
    const cursors = await Promise.all(consumers.map((c) => getCursor(db, c.name, docName)))
    return Math.min(...cursors.map((c) => c ?? -1))
  }

  /** Whether `docName`'s log is ahead of a consumer's cursor (cheap: no fold is built). */
  async #behindOne(docName: string): Promise<boolean> {
    return (await this.#opts.log.lastSeq(docName)) > (await this.#lowestCursor(docName))
  }

  #dropFold(docName: string, s: DocState): void {
    if (s.pos !== null) this.#opts.folder.drop(docName)
    s.pos = null
    s.tail = []
  }

  /** Documents of projects whose committed log is ahead of any consumer's cursor. */
  async #behind(): Promise<string[]> {
    const { db, log, consumers } = this.#opts
    const projects = await db.selectFrom('projects').select('id').orderBy('id').execute()
    const last = await log.lastSeqs()
    const names = consumers.map((c) => c.name)
    const cursors = new Map<string, Map<string, number>>()
    for (const r of await allCursors(db, names)) {
      const m = cursors.get(r.doc_name) ?? new Map<string, number>()
      m.set(r.consumer, r.seq)
      cursors.set(r.doc_name, m)
    }
    return projects
      .map((p) => p.id)
      .filter((id) => {
        const m = cursors.get(id)
        const lowest = Math.min(...names.map((n) => m?.get(n) ?? -1))
        return (last.get(id) ?? 0) > lowest
      })
  }
}

/** Fewest items a part shrinks to (a transaction has a fixed cost of a few statements). */
const MIN_PART_ITEMS = 10

/**
 * The size of the part after one of `size` items (`written` of them, fewer at the end) that
 * took `ms`: scaled down to fit `sliceMs` when it took longer, doubled (up to `max`) when it
 * took less than half of it.
 */
export function nextPartSize(
  size: number,
  written: number,
  ms: number,
  sliceMs: number,
  max: number,
): number {
  if (ms > sliceMs)
    return Math.min(size, Math.max(MIN_PART_ITEMS, Math.floor((written * sliceMs) / ms)))
  if (ms * 2 < sliceMs) return Math.min(max, size * 2)
  return size
}

/** A per-seq item with its place among its seq's items (in `pending`'s order). */
interface Placed<T extends SeqItem> {
  item: T
  index: number
}

/**
 * The items a consumer at `pos` has not written, in order. Past a part (written in parts),
 * a seq's items are ordered by task, stably: the order a fold found them in may depend on
 * the document's history, which a fold rebuilt elsewhere does not share.
 */
export function pending<T extends SeqItem>(
  items: readonly T[],
  pos: CursorPosition | null,
  ordered = pos?.part != null,
): Placed<T>[] {
  const after = pos?.seq ?? -1
  let fresh = items.filter((i) => i.seq > after)
  if (ordered) fresh = fresh.sort(bySeqThenTask)
  const out: Placed<T>[] = []
  let seq = Number.NaN
  let index = 0
  for (const item of fresh) {
    index = item.seq === seq ? index + 1 : 0
    seq = item.seq
    const part = pos?.part
    if (part && (item.seq < part.seq || (item.seq === part.seq && index < part.count))) continue
    out.push({ item, index })
  }
  return out
}

function bySeqThenTask(a: SeqItem, b: SeqItem): number {
  return a.seq - b.seq || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0)
}

function samePosition(a: CursorPosition | null, b: CursorPosition | null): boolean {
  return (
    (a?.seq ?? null) === (b?.seq ?? null) &&
    (a?.part?.seq ?? null) === (b?.part?.seq ?? null) &&
    (a?.part?.count ?? null) === (b?.part?.count ?? null)
  )
}
