import {
  boardViewStore,
  createLabel,
  createTask,
  moveTask,
  type Priority,
  type TaskFields,
  updateTask,
} from '@taskflow/board'
import * as Y from 'yjs'
import { COUNTED, type DevtoolsHook, watchRenders } from './render-counts'

/**
 * Hooks for the benchmarks in app/bench, in the benchmark build only (`vite build --mode
 * bench`, loaded by main.tsx; the product build has none of this). Inert unless the
 * benchmark defines `window.__taskflowBench` and React's DevTools hook before the app starts.
 * Everything is read from outside the components: render counts from React's commits
 * (render-counts.ts), the open board's document from the board context React holds.
 */
interface BenchBoard {
  doc: Y.Doc
  seed: (count: number, descriptionLength: number) => number
  updateTask: (taskId: string, fields: Partial<TaskFields>) => boolean
  moveTask: (taskId: string, columnId: string, index: number) => boolean
}

interface BenchProbe {
  renders: Record<string, number>
  board?: BenchBoard
}

interface Fiber {
  memoizedProps: unknown
  child: Fiber | null
  sibling: Fiber | null
}

declare global {
  interface Window {
    __taskflowBench?: BenchProbe
    __REACT_DEVTOOLS_GLOBAL_HOOK__?: DevtoolsHook
  }
}

const PRIORITIES: Priority[] = ['none', 'low', 'medium', 'high', 'urgent']
const WORDS =
  'plan ship review design fix test deploy write measure refactor migrate document'.split(' ')

/** The board's document and user, from the board context's provider in the committed tree. */
function findBoardEnv(root: Fiber): { doc: Y.Doc; userId: string } | null {
  const stack: Fiber[] = [root]
  while (stack.length > 0) {
    const f = stack.pop()!
    const value = (f.memoizedProps as { value?: { doc?: unknown; userId?: unknown } } | null)?.value
    if (value && value.doc instanceof Y.Doc && typeof value.userId === 'string') {
      return { doc: value.doc, userId: value.userId }
    }
    for (let c = f.child; c; c = c.sibling) stack.push(c)
  }
  return null
}

/** The open board's document and operations, as a user's edits make them. */
function benchBoard(doc: Y.Doc, userId: string): BenchBoard {
  const ctx = { userId, origin: 'bench' }
  return {
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
}

const probe = window.__taskflowBench
const hook = window.__REACT_DEVTOOLS_GLOBAL_HOOK__
if (probe && hook) {
  let current: Fiber | null = null
  const previous = hook.onCommitFiberRoot
  hook.onCommitFiberRoot = (id, root, ...rest) => {
    current = root.current as unknown as Fiber
    previous(id, root, ...rest)
  }
  watchRenders(hook, COUNTED, () => probe.renders)
  let cached: BenchBoard | undefined
  Object.defineProperty(probe, 'board', {
    configurable: true,
    get(): BenchBoard | undefined {
      if (cached && !cached.doc.isDestroyed) return cached
      const env = current && findBoardEnv(current)
      cached = env ? benchBoard(env.doc, env.userId) : undefined
      return cached
    },
  })
}
