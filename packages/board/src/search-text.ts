import * as Y from 'yjs'
import { taskDescription } from './rich-text.js'
import { roots, setKeys, str, subMap, text, type YMapAny } from './schema.js'

/**
 * The searchable text of one task, one string per field, as both full-text indexes read it
 * (the server's SQLite FTS5 table and the app's offline index), so a task is found by the
 * same words on either side.
 */
export interface TaskSearchText {
  taskId: string
  title: string
  /** The description as plain text (rich-text body or legacy text). */
  description: string
  /** Bodies of the task's live comments, one per line. */
  comments: string
  /** Checklist item texts, one per line. */
  checklist: string
  /** Names of the task's labels, one per line. */
  labels: string
  /** A trashed task: indexes leave it out. */
  deleted: boolean
}

/**
 * Every control character (C0, C1, DEL) but tab and line feed. Search snippets mark matches
 * with STX/ETX (see `@taskflow/api` SNIPPET_MARK_*), so indexed text must never hold them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

function clean(value: string): string {
  return value.replace(CONTROL, ' ')
}

function commentsText(task: YMapAny): string {
  const comments = subMap(task, 'comments')
  if (!comments) return ''
  const out: string[] = []
  comments.forEach((c) => {
    if (!(c instanceof Y.Map) || c.get('deletedAt') != null) return
    const body = c.get('body')
    if (body instanceof Y.Text) out.push(body.toString())
  })
  return out.join('\n')
}

function checklistText(task: YMapAny): string {
  const list = subMap(task, 'checklist')
  if (!list) return ''
  const out: string[] = []
  list.forEach((item) => {
    if (item instanceof Y.Map) out.push(str(item as YMapAny, 'text'))
  })
  return out.join('\n')
}

/**
 * The searchable text of the given tasks; ids of tasks that no longer exist come back in
 * `missing`. Reads only those tasks (and the board's label names), so an index can be kept
 * up to date edit by edit.
 * @example const { rows, missing } = taskSearchTexts(doc, touchedIds)
 */
export function taskSearchTexts(
  doc: Y.Doc,
  taskIds: Iterable<string>,
): { rows: TaskSearchText[]; missing: string[] } {
  const { tasks, labels } = roots(doc)
  const rows: TaskSearchText[] = []
  const missing: string[] = []
  for (const id of taskIds) {
    const task = tasks.get(id)
    if (!(task instanceof Y.Map)) {
      missing.push(id)
      continue
    }
    const labelNames: string[] = []
    for (const labelId of setKeys(subMap(task, 'labels'))) {
      const label = labels.get(labelId)
      if (label instanceof Y.Map) labelNames.push(str(label, 'name'))
    }
    rows.push({
      taskId: id,
      title: clean(text(task, 'title')?.toString() ?? ''),
      description: clean(taskDescription(task)),
      comments: clean(commentsText(task)),
      checklist: clean(checklistText(task)),
      labels: clean(labelNames.join('\n')),
      deleted: task.get('deletedAt') != null,
    })
  }
  return { rows, missing }
}

/** The searchable text of every task of the board, trashed ones included (`deleted`). */
export function allTaskSearchTexts(doc: Y.Doc): TaskSearchText[] {
  return taskSearchTexts(doc, roots(doc).tasks.keys()).rows
}
