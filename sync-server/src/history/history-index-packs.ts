import type { TaskHistoryField } from '@taskflow/api'
import { packJson, unpackJson } from './board-packs.js'
import type { StoredStep, StoredVersion } from './history-index.repository.js'

/*
 * Pieces of the task-history index (issue 18, storage ≤ 2 ×): a run of a document's
 * versions or steps as one brotli JSON body (board-packs.ts), where every id (task, user,
 * column) is written once in the piece's `ids` and the entries refer to it by position.
 * Plain rows repeated the 36-character document, task and user ids on every row and in
 * their indexes: ~90 % of the index's pages.
 */

/** How the oldest plain rows of a document are cut into pieces. */
export interface IndexPacking {
  /** Versions per piece: a task-history read inflates every piece holding one of the task's. */
  versions: number
  /** Steps per piece: a changes page inflates the pieces its range overlaps. */
  steps: number
  /**
   * The newest plain rows never packed: a version can be merged into by the next edit of its
   * field (VERSION_MERGE_MS) and the newest step extended (STEP_MERGE_MS); kept plain, those
   * writes stay row updates (one in a piece rewrites the piece).
   */
  held: number
}

export const DEFAULT_INDEX_PACKING: IndexPacking = { versions: 512, steps: 256, held: 64 }

/** Ids written once per piece, referred to by position. */
class Interned {
  readonly ids: string[] = []
  readonly #at = new Map<string, number>()

  of(id: string): number {
    let i = this.#at.get(id)
    if (i === undefined) {
      i = this.ids.length
      this.ids.push(id)
      this.#at.set(id, i)
    }
    return i
  }

  ofNullable(id: string | null): number {
    return id === null ? -1 : this.of(id)
  }
}

const at = (ids: readonly string[], i: number): string | null => (i < 0 ? null : ids[i]!)

/*
 * Seqs and times are written as differences from the entry before (and a step's end from
 * its start): a 13-digit time in every entry compressed to ~40 % more than its delta did
 * (benchmark pieces: versions −23 %, steps −41 % compressed).
 */
/** [task, seq − previous seq, at − previous at, user (-1: none), field, value, initial (0/1)] */
type PackedVersion = [number, number, number, number, string, unknown, number]
/**
 * [fromSeq − previous fromSeq, toSeq − fromSeq, startedAt − previous startedAt,
 *  at − startedAt, user, [[task, fields], …], [column, …], board (0/1)]
 */
type PackedStep = [number, number, number, number, number, [number, string[]][], number[], number]

export function versionsPieceJson(versions: readonly StoredVersion[]): string {
  const ids = new Interned()
  let seq = 0
  let time = 0
  const v: PackedVersion[] = versions.map((x) => {
    const packed: PackedVersion = [
      ids.of(x.taskId),
      x.seq - seq,
      x.at - time,
      ids.ofNullable(x.userId),
      x.field,
      x.value ?? null,
      x.initial ? 1 : 0,
    ]
    seq = x.seq
    time = x.at
    return packed
  })
  return JSON.stringify({ ids: ids.ids, v })
}

export function versionsFromPieceJson(json: string): StoredVersion[] {
  const { ids, v } = JSON.parse(json) as { ids: string[]; v: PackedVersion[] }
  let seq = 0
  let time = 0
  return v.map(([task, dSeq, dTime, user, field, value, initial]) => {
    seq += dSeq
    time += dTime
    return {
      taskId: ids[task]!,
      seq,
      at: time,
      userId: at(ids, user),
      field: field as TaskHistoryField,
      value,
      initial: initial === 1,
    }
  })
}

export function stepsPieceJson(steps: readonly StoredStep[]): string {
  const ids = new Interned()
  let seq = 0
  let time = 0
  const s: PackedStep[] = steps.map((x) => {
    const packed: PackedStep = [
      x.fromSeq - seq,
      x.toSeq - x.fromSeq,
      x.startedAt - time,
      x.at - x.startedAt,
      ids.ofNullable(x.userId),
      [...x.tasks].map(([id, fields]) => [ids.of(id), [...fields]]),
      [...x.columnIds].map((c) => ids.of(c)),
      x.board ? 1 : 0,
    ]
    seq = x.fromSeq
    time = x.startedAt
    return packed
  })
  return JSON.stringify({ ids: ids.ids, s })
}

export function stepsFromPieceJson(json: string): StoredStep[] {
  const { ids, s } = JSON.parse(json) as { ids: string[]; s: PackedStep[] }
  let fromSeq = 0
  let startedAt = 0
  return s.map(([dSeq, length, dTime, duration, user, tasks, columns, board]) => {
    fromSeq += dSeq
    startedAt += dTime
    return {
      fromSeq,
      toSeq: fromSeq + length,
      startedAt,
      at: startedAt + duration,
      userId: at(ids, user),
      tasks: new Map(tasks.map(([t, fields]) => [ids[t]!, new Set(fields)])),
      columnIds: new Set(columns.map((c) => ids[c]!)),
      board: board === 1,
    }
  })
}

export const packVersions = (versions: readonly StoredVersion[]) =>
  packJson(versionsPieceJson(versions))
export const unpackVersions = async (body: Uint8Array) =>
  versionsFromPieceJson(await unpackJson(body))
export const packSteps = (steps: readonly StoredStep[]) => packJson(stepsPieceJson(steps))
export const unpackSteps = async (body: Uint8Array) => stepsFromPieceJson(await unpackJson(body))

/**
 * A 32-bit FNV-1a hash of an id (history_index_pack_tasks keys): 4 bytes a row instead of
 * 36 characters; a collision only makes a read inflate one more piece, filtered by the id.
 */
export function idKey(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // Signed: SQLite stores it in 4 bytes (an unsigned one above 2^31 takes 6).
  return h | 0
}
