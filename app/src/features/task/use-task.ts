import { boardViewStore, getTask, type TaskDetail } from '@taskflow/board'
import { useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

/**
 * One task's full detail, re-read only when that task (or the board's columns/labels it
 * depends on) changes, or when its summary in the board's view store does: subtask progress
 * and the parent come from other tasks, and the store has them only after the transaction
 * (the observers below run before it has caught up). Undefined for an unknown id (not
 * synced yet, or never existed).
 */
export function useTask(doc: Y.Doc, taskId: string): TaskDetail | undefined {
  return useSyncExternalStore(
    (onChange) => {
      const tasks = doc.getMap('tasks')
      const deps = [doc.getMap('columns'), doc.getMap('labels')]
      let last = tasks.get(taskId)
      const onTasks = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
        const current = tasks.get(taskId)
        const touched =
          current !== last ||
          events.some(
            (e) =>
              e.target === current ||
              e.path[0] === taskId ||
              (e.target === tasks && (e as Y.YMapEvent<unknown>).keysChanged.has(taskId)),
          )
        last = current
        if (touched) bump()
      }
      const bump = () => {
        cache.delete(key(doc, taskId))
        onChange()
      }
      const store = boardViewStore(doc)
      let summary = store.getSummary(taskId)
      const onStore = () => {
        const current = store.getSummary(taskId)
        if (current === summary) return
        summary = current
        bump()
      }
      tasks.observeDeep(onTasks)
      for (const d of deps) d.observeDeep(bump)
      const unsubscribe = store.subscribe(onStore)
      return () => {
        tasks.unobserveDeep(onTasks)
        for (const d of deps) d.unobserveDeep(bump)
        unsubscribe()
      }
    },
    () => {
      const k = key(doc, taskId)
      if (!cache.has(k)) cache.set(k, getTask(doc, taskId))
      return cache.get(k)
    },
  )
}

const docIds = new WeakMap<Y.Doc, number>()
let nextDocId = 0
function key(doc: Y.Doc, taskId: string): string {
  let id = docIds.get(doc)
  if (id === undefined) {
    id = nextDocId++
    docIds.set(doc, id)
  }
  return `${id}:${taskId}`
}
const cache = new Map<string, TaskDetail | undefined>()
