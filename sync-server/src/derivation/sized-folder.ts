import type { FoldBase } from './board-fold.js'
import type { LogEntry } from './committed-log.js'
import type { Folder, InlineFolder } from './folder.js'

/**
 * Default maxBytes: ~300 tasks of a typical board; building such a fold (apply, the first
 * projection's read of every task) takes ~10–20 ms, within the relay path's 50 ms budget.
 */
export const INLINE_FOLD_MAX_BYTES = 128 * 1024

/**
 * Folds of small boards here, on the calling thread; large ones on the worker. The
 * worker exists for a first projection of a 10,000-task board (seconds of Yjs work that must
 * not stall sockets); for a board of a few hundred tasks it only adds cost (issue 17, fan-out
 * at 50 clients: the fold worker's isolate compiles Yjs and the board code a second time,
 * every row and every output is copied across threads, and the worker's start costs ~0.6 s
 * of CPU and an isolate's memory). A fold starts inline when its base (snapshot + rows) is
 * at most `maxBytes`; an inline fold handed a batch larger than that (an import into a small
 * board) moves to the worker first, from its own document and projected state, so nothing
 * large is ever applied here.
 */
export class SizedFolder implements Folder {
  /** Where each key's fold lives, with the time its init was given (for a move). */
  readonly #inline = new Map<string, number>()
  readonly #large = new Set<string>()

  constructor(
    private readonly small: InlineFolder,
    private readonly large: Folder,
    private readonly maxBytes: number,
  ) {}

  async init(key: string, base: FoldBase, at: number): Promise<number> {
    this.drop(key)
    const bytes = (base.snapshot?.state.length ?? 0) + sizeOf(base.rows)
    if (bytes > this.maxBytes) {
      this.#large.add(key)
      return this.large.init(key, base, at)
    }
    this.#inline.set(key, at)
    return this.small.init(key, base, at)
  }

  async advance(key: string, rows: readonly LogEntry[]) {
    const at = this.#inline.get(key)
    if (at === undefined) return this.large.advance(key, rows)
    if (sizeOf(rows) <= this.maxBytes) return this.small.advance(key, rows)
    const base = this.small.handOver(key)
    this.small.drop(key)
    this.#inline.delete(key)
    this.#large.add(key)
    await this.large.init(key, base, at)
    return this.large.advance(key, rows)
  }

  drop(key: string): void {
    if (this.#inline.delete(key)) this.small.drop(key)
    if (this.#large.delete(key)) this.large.drop(key)
  }

  async close(): Promise<void> {
    this.#inline.clear()
    this.#large.clear()
    await Promise.all([this.small.close(), this.large.close()])
  }
}

function sizeOf(rows: readonly LogEntry[]): number {
  let n = 0
  for (const r of rows) n += r.update.length
  return n
}
