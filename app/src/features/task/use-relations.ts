import {
  getRelations,
  listRelations,
  RELATIONS_ROOT,
  type Relation,
  type TaskRelations,
} from '@taskflow/board'
import { useCallback, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

/**
 * A task's relations (grouped by kind, each with the other task's title and state), re-read
 * when a relation changes or any task or column does (a related task renamed, done, trashed).
 */
export function useRelations(doc: Y.Doc, taskId: string): TaskRelations {
  const cache = useRef<{ key: string; version: number; value: TaskRelations } | null>(null)
  const version = useRef(0)
  const subscribe = useCallback(
    (onChange: () => void) => {
      const bump = () => {
        version.current++
        onChange()
      }
      const roots = [doc.getMap(RELATIONS_ROOT), doc.getMap('tasks'), doc.getMap('columns')]
      for (const r of roots) r.observeDeep(bump)
      return () => {
        for (const r of roots) r.unobserveDeep(bump)
      }
    },
    [doc],
  )
  return useSyncExternalStore(subscribe, () => {
    const c = cache.current
    if (c && c.key === taskId && c.version === version.current) return c.value
    const value = getRelations(doc, taskId)
    // Same content: keep the object, so the panel does not re-render on unrelated edits.
    if (c && c.key === taskId && JSON.stringify(c.value) === JSON.stringify(value)) {
      cache.current = { ...c, version: version.current }
      return c.value
    }
    cache.current = { key: taskId, version: version.current, value }
    return value
  })
}

/**
 * Every `blocks` relation of the board whose two tasks exist (R6), re-read when a relation
 * changes: what the timeline draws as arrows.
 */
export function useBlocksRelations(doc: Y.Doc): readonly Relation[] {
  const cache = useRef<{ version: number; value: readonly Relation[] } | null>(null)
  const version = useRef(0)
  const subscribe = useCallback(
    (onChange: () => void) => {
      const bump = () => {
        version.current++
        onChange()
      }
      const root = doc.getMap(RELATIONS_ROOT)
      root.observe(bump)
      return () => root.unobserve(bump)
    },
    [doc],
  )
  return useSyncExternalStore(subscribe, () => {
    if (cache.current?.version === version.current) return cache.current.value
    const value = listRelations(doc).filter((r) => r.type === 'blocks')
    cache.current = { version: version.current, value }
    return value
  })
}
