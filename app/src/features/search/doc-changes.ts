import { type TaskSearchText, taskSearchTexts } from '@taskflow/board'
import type * as Y from 'yjs'

/** Where index updates go (the search worker, or a DeviceIndex in tests). */
export interface SearchSink {
  update(projectId: string, rows: TaskSearchText[], missing: string[]): void
  /** Too much changed at once to read on the main thread: re-read the stored board. */
  reindex(projectId: string): void
  /** Told when the main thread's part of one change (reading the touched tasks) began. */
  measured?(start: number): void
}

/**
 * Above this many touched tasks in one transaction (a board loading, a big sync), the texts
 * are not read on the main thread: the worker re-reads the stored board instead.
 */
export const MAX_INLINE_TASKS = 200

/** The root type a nested type belongs to, and its key in that root. */
function topOf(type: Y.AbstractType<unknown>): { root: unknown; key: string | null } {
  let t = type
  let key: string | null = null
  while (t._item) {
    key = t._item.parentSub
    t = t._item.parent as Y.AbstractType<unknown>
  }
  return { root: t, key }
}

/**
 * Keeps the device index in step with one open board: after each transaction, the tasks
 * it touched (their fields, description, comments, checklist) are read again and sent to
 * `sink`; a label change re-reads the tasks that carry a label. Returns the detach function.
 */
export function trackSearchChanges(projectId: string, doc: Y.Doc, sink: SearchSink): () => void {
  const tasks = doc.getMap<Y.Map<unknown>>('tasks')
  const labels = doc.getMap('labels')
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.changed.size === 0) return
    const start = performance.now()
    const touched = new Set<string>()
    let labelsChanged = false
    for (const [changed, keys] of tr.changed) {
      const type = changed as Y.AbstractType<unknown>
      if (type === (tasks as Y.AbstractType<unknown>)) {
        for (const k of keys) if (k !== null) touched.add(k)
        continue
      }
      const top = topOf(type)
      if (top.root === tasks && top.key) touched.add(top.key)
      else if (top.root === labels) labelsChanged = true
    }
    if (labelsChanged) {
      for (const [id, task] of tasks) {
        const taskLabels = task.get('labels') as Y.Map<unknown> | undefined
        if (taskLabels && taskLabels.size > 0) touched.add(id)
      }
    }
    if (touched.size === 0) return
    if (touched.size > MAX_INLINE_TASKS) return sink.reindex(projectId)
    const { rows, missing } = taskSearchTexts(doc, touched)
    sink.update(projectId, rows, missing)
    sink.measured?.(start)
  }
  doc.on('afterTransaction', onTransaction)
  return () => doc.off('afterTransaction', onTransaction)
}
