import {
  boardViewStore,
  createLabel,
  createTask,
  moveTask,
  type Priority,
  type TaskFields,
  updateTask,
} from '@taskflow/board'
import { useEffect } from 'react'
import type * as Y from 'yjs'

/**
 * Hooks for `app/bench/board-open.mjs`, inert unless the benchmark defines
 * `window.__taskflowBench` before the app starts (an init script; no user ever has it).
 * The production build is what gets measured, and React's Profiler does nothing there,
 * so cards and columns count their own renders here instead.
 */
interface BenchProbe {
  renders: Record<string, number>
  board?: {
    doc: Y.Doc
    seed: (count: number, descriptionLength: number) => number
    updateTask: (taskId: string, fields: Partial<TaskFields>) => boolean
    moveTask: (taskId: string, columnId: string, index: number) => boolean
  }
}

declare global {
  interface Window {
    __taskflowBench?: BenchProbe
  }
}

const probe = typeof window === 'undefined' ? undefined : window.__taskflowBench

/**
 * Counts one render of `what` (a property read when not benchmarking). `card` and `column`
 * are the dnd-kit sortable shells, which dnd-kit re-renders on every drag state change and
 * on every reorder of their list; `cardBody` and `columnBody` are what they show, which
 * re-render only when that task or column changes.
 */
export function countRender(what: string): void {
  if (probe) probe.renders[what] = (probe.renders[what] ?? 0) + 1
}

const PRIORITIES: Priority[] = ['none', 'low', 'medium', 'high', 'urgent']
const WORDS =
  'plan ship review design fix test deploy write measure refactor migrate document'.split(' ')

/** Exposes the open board's document and operations to the benchmark. */
export function useBenchProbe(doc: Y.Doc, userId: string): void {
  useEffect(() => {
    if (!probe) return
    const ctx = { userId, origin: 'bench' }
    probe.board = {
      doc,
      // Realistic cards through the real operations: one transaction per task, as users make them.
      seed(count, descriptionLength) {
        const labels = ['bug', 'feature', 'chore'].map((name, i) => {
          const r = createLabel(doc, { name, color: ['#ef4444', '#22c55e', '#64748b'][i]! }, ctx)
          return r.ok ? r.value.id : ''
        })
        const columnIds = boardViewStore(doc)
          .getSnapshot()
          .columns.map((c) => c.id)
        let made = 0
        for (let i = 0; i < count; i++) {
          const words = Array.from({ length: 4 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length])
          const description = `${words.join(' ')} `.repeat(40).slice(0, descriptionLength)
          const day = String((i % 28) + 1).padStart(2, '0')
          const r = createTask(
            doc,
            {
              columnId: columnIds[i % columnIds.length]!,
              title: `${words.join(' ')} #${i}`,
              description,
              priority: PRIORITIES[i % PRIORITIES.length]!,
              dueDate: i % 3 === 0 ? `2026-12-${day}` : null,
              estimate: i % 4 === 0 ? (i % 8) + 1 : null,
              assigneeIds: i % 2 === 0 ? [userId] : [],
              labelIds: i % 5 === 0 ? [labels[i % 3]!].filter(Boolean) : [],
            },
            ctx,
          )
          if (r.ok) made++
        }
        return made
      },
      updateTask: (taskId, fields) => updateTask(doc, taskId, fields, ctx).ok,
      moveTask: (taskId, columnId, index) => moveTask(doc, taskId, { columnId, index }, ctx).ok,
    }
    return () => {
      if (probe.board?.doc === doc) probe.board = undefined
    }
  }, [doc, userId])
}
