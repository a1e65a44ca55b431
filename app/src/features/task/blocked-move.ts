import { getTask, openBlockers } from '@taskflow/board'
import * as Y from 'yjs'

function columnOf(doc: Y.Doc, columnId: string): { name: string; done: boolean } | null {
  const col = doc.getMap<unknown>('columns').get(columnId)
  if (!(col instanceof Y.Map)) return null
  const name = col.get('name')
  return { name: typeof name === 'string' ? name : 'Done', done: col.get('category') === 'done' }
}

const quoted = (titles: string[]) => titles.map((t) => `“${t || 'Untitled'}”`).join(', ')

/**
 * The question to ask before moving `ids` to `columnId`, or null when there is nothing to
 * ask: the column is not a done column, or none of the tasks that would enter it has an open
 * blocker (R7). Tasks already in a done column (a reorder there) are not asked about again.
 * @example blockedMoveQuestion(doc, [id], doneId) // 'Blocked by “Design” — move to Done anyway?'
 */
export function blockedMoveQuestion(
  doc: Y.Doc,
  ids: readonly string[],
  columnId: string,
): string | null {
  const column = columnOf(doc, columnId)
  if (!column?.done) return null
  const blocked: { title: string; by: string[] }[] = []
  for (const id of ids) {
    const t = getTask(doc, id)
    if (!t || t.completedAt !== null || t.blockedBy.length === 0) continue
    blocked.push({ title: t.title, by: openBlockers(doc, id).map((b) => b.title) })
  }
  if (blocked.length === 0) return null
  const what =
    ids.length === 1
      ? `Blocked by ${quoted(blocked[0]!.by)}`
      : blocked.map((b) => `${quoted([b.title])} is blocked by ${quoted(b.by)}`).join('; ')
  return `${what} — move to ${column.name} anyway?`
}

/**
 * Asks (a native confirm, like deleting a column) before a move that would put a blocked
 * task in a done column; true when the move may go ahead. Every way of moving a task to a
 * column in the app goes through this: drag, keyboard move, bulk move, the list's status.
 */
export function confirmBlockedMove(doc: Y.Doc, ids: readonly string[], columnId: string): boolean {
  const question = blockedMoveQuestion(doc, ids, columnId)
  return question === null || window.confirm(question)
}

/** The tooltip of a Blocked badge: the current titles of the open blockers `ids`. */
export function blockedTooltip(doc: Y.Doc, ids: readonly string[]): string {
  const tasks = doc.getMap<unknown>('tasks')
  const titles = ids.map((id) => {
    const t = tasks.get(id)
    const title = t instanceof Y.Map ? t.get('title') : null
    return title instanceof Y.Text ? title.toString() : ''
  })
  return `Blocked by ${quoted(titles)}`
}
