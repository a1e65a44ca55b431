import { BoardFold, type FoldBase, type FoldOutput } from './board-fold.js'
import type { LogEntry } from './committed-log.js'

/**
 * Holds the engine's folds (scratch documents) and runs the Yjs work on them: building a
 * document from its snapshot, applying log rows, reading what changed. Asynchronous so it
 * can live on another thread (worker-folder.ts): a never-projected 10,000-task board costs
 * seconds of Yjs and projection work that must not stall sockets.
 */
export interface Folder {
  /** Builds `key`'s fold from `base`; `at` is the time of changes no row explains. Its position. */
  init(key: string, base: FoldBase, at: number): Promise<number>
  /** Applies committed rows after the fold's position; its new position and what they derive. */
  advance(key: string, rows: readonly LogEntry[]): Promise<{ pos: number; out: FoldOutput }>
  /** Forgets `key`'s fold. */
  drop(key: string): void
  close(): Promise<void>
}

/** Folds on the calling thread (the worker's side of worker-folder.ts, and unit tests). */
export class InlineFolder implements Folder {
  readonly #folds = new Map<string, BoardFold>()

  async init(key: string, base: FoldBase, at: number): Promise<number> {
    this.drop(key)
    const fold = new BoardFold(base, () => at)
    this.#folds.set(key, fold)
    return fold.pos
  }

  async advance(key: string, rows: readonly LogEntry[]) {
    const fold = this.#folds.get(key)
    if (!fold) throw new Error(`no fold for ${key}`)
    fold.apply(rows)
    return { pos: fold.pos, out: fold.collect() }
  }

  /** `key`'s fold as a base to rebuild it elsewhere (BoardFold.handOver). */
  handOver(key: string): FoldBase {
    const fold = this.#folds.get(key)
    if (!fold) throw new Error(`no fold for ${key}`)
    return fold.handOver()
  }

  drop(key: string): void {
    this.#folds.get(key)?.destroy()
    this.#folds.delete(key)
  }

  async close(): Promise<void> {
    for (const key of [...this.#folds.keys()]) this.drop(key)
  }
}
