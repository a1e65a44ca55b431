import * as Y from 'yjs'
import { initBoard } from '../board.js'
import { getBoardView } from '../views.js'

/** `n` replicas of one freshly initialised board, each with its own Yjs client id. */
export function replicas(n: number, name = 'Board'): Y.Doc[] {
  const origin = new Y.Doc()
  initBoard(origin, { name })
  const state = Y.encodeStateAsUpdate(origin)
  return Array.from({ length: n }, () => {
    const d = new Y.Doc()
    Y.applyUpdate(d, state)
    return d
  })
}

/** Sends what `from` has and `to` lacks (one direction). */
export function send(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
}

/** Full exchange between every pair, as when a partition heals. */
export function syncAll(docs: Y.Doc[]): void {
  for (const a of docs) for (const b of docs) if (a !== b) send(a, b)
}

export function columnIds(doc: Y.Doc): string[] {
  return getBoardView(doc).columns.map((c) => c.id)
}

/** Where a task shows: [columnId, index] for every occurrence in the board view. */
export function occurrences(doc: Y.Doc, taskId: string): Array<[string, number]> {
  const out: Array<[string, number]> = []
  for (const col of getBoardView(doc).columns) {
    col.tasks.forEach((t, i) => {
      if (t.id === taskId) out.push([col.id, i])
    })
  }
  return out
}
