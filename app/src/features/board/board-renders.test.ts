// @vitest-environment jsdom
import {
  createMemoryHistory,
  createRootRoute,
  createRouter,
  RouterProvider,
} from '@tanstack/react-router'
import {
  addChecklistItem,
  type BoardViewStore,
  boardViewStore,
  createTask,
  initBoard,
  moveTask,
  updateChecklistItem,
  updateTask,
} from '@taskflow/board'
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { createElement, useSyncExternalStore } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { COUNTED, type DevtoolsHook, watchRenders } from '../../bench/render-counts'
import type { PresenceUser } from '../../sync/presence'
import { Board } from './Board'
import { type BoardEnv, BoardEnvContext } from './board-context'

// React reports commits to the DevTools hook only when it exists before React loads; the
// counts are read from those commits (src/bench/render-counts.ts), as the benchmarks do.
const probe = vi.hoisted(() => {
  const p = {
    renders: {} as Record<string, number>,
    hook: {
      supportsFiber: true as const,
      renderers: new Map<number, unknown>(),
      inject: () => 1,
      onCommitFiberRoot: (() => {}) as (...args: never[]) => void,
      onCommitFiberUnmount: () => {},
      onPostCommitFiberRoot: () => {},
      checkDCE: () => {},
    },
  }
  ;(globalThis as { __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown }).__REACT_DEVTOOLS_GLOBAL_HOOK__ =
    p.hook
  return p
})
watchRenders(probe.hook as unknown as DevtoolsHook, COUNTED, () => probe.renders)

// React's act() warnings need this flag in a non-Jest environment.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const TASKS = 90
const NO_PRESENCE: readonly PresenceUser[] = []

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** A real board document: default columns, TASKS tasks dealt round-robin. */
function seedBoard() {
  const doc = new Y.Doc()
  must(initBoard(doc, { name: 'Render counts' }))
  const columnIds = boardViewStore(doc)
    .getSnapshot()
    .columns.map((c) => c.id)
  const taskIds = Array.from(
    { length: TASKS },
    (_, i) =>
      must(createTask(doc, { columnId: columnIds[i % columnIds.length]!, title: `Task ${i}` })).id,
  )
  return { doc, columnIds, taskIds }
}

function LiveBoard(props: { store: BoardViewStore; env: BoardEnv }) {
  const view = useSyncExternalStore(props.store.subscribe, props.store.getSnapshot)
  return createElement(
    BoardEnvContext.Provider,
    { value: props.env },
    createElement(Board, { view, presence: NO_PRESENCE }),
  )
}

/** The board as ProjectBoardPage renders it: live view store, env context, a router. */
async function renderBoard(doc: Y.Doc) {
  const store = boardViewStore(doc)
  const env: BoardEnv = {
    projectId: 'p1',
    doc,
    provider: null as unknown as WebsocketProvider, // the board itself never touches it
    userId: 'u1',
    readOnly: false,
    role: 'admin',
    membersById: new Map(),
    labelsById: new Map(),
    fields: [],
  }
  const router = createRouter({
    routeTree: createRootRoute({ component: () => createElement(LiveBoard, { store, env }) }),
    history: createMemoryHistory({ initialEntries: ['/'] }),
  })
  await act(async () => {
    await router.load()
    render(createElement(RouterProvider, { router }))
  })
  expect(await screen.findAllByTestId('task-card')).toHaveLength(TASKS)
}

/** Render counts (render-counts.ts) of what `change` caused. */
function rendersOf(change: () => void): Record<string, number> {
  probe.renders = {}
  act(change)
  return { card: 0, cardBody: 0, ...probe.renders }
}

/**
 * Render counts of what `change` caused once the board has nothing left to do. dnd-kit
 * settles a pick-up over timers and frames (its key listeners are added on the next tick,
 * droppables are measured, focus moves in a frame), so on a fake clock every timer and
 * frame is run, and React's work flushed, until none is queued: the explicit end, the same
 * on any machine.
 */
async function settledRendersOf(change: () => void): Promise<Record<string, number>> {
  probe.renders = {}
  vi.useFakeTimers({
    toFake: [
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'requestAnimationFrame',
      'cancelAnimationFrame',
    ],
  })
  try {
    await act(async () => change())
    // Running a timer may make React schedule more (effects queue timers): until none is left.
    for (let rounds = 0; vi.getTimerCount() > 0; rounds++) {
      if (rounds === 100) throw new Error('the board never settles: timers keep coming')
      await act(() => vi.runAllTimersAsync())
    }
  } finally {
    vi.useRealTimers()
  }
  return { card: 0, cardBody: 0, ...probe.renders }
}

function cardOf(taskId: string): HTMLElement {
  const card = document.querySelector<HTMLElement>(`[data-task-id="${taskId}"]`)
  if (!card) throw new Error(`no card for ${taskId}`)
  return card
}

describe('board re-renders on a single edit', () => {
  let board: ReturnType<typeof seedBoard>
  beforeEach(async () => {
    board = seedBoard()
    await renderBoard(board.doc)
  })
  afterEach(cleanup)

  it('re-renders only the edited card when one task’s priority or title changes', () => {
    const id = board.taskIds[4]!
    const priority = rendersOf(() => must(updateTask(board.doc, id, { priority: 'urgent' })))
    expect(cardOf(id).textContent).toContain('urgent')
    expect(priority.card).toBe(1)
    expect(priority.cardBody).toBe(1)

    const title = rendersOf(() => must(updateTask(board.doc, id, { title: 'Renamed' })))
    expect(within(cardOf(id)).getByTestId('task-title').textContent).toBe('Renamed')
    expect(title.card).toBe(1)
  })

  it('re-renders no card for what a card does not show, and one for checklist progress', () => {
    const id = board.taskIds[7]!
    const description = rendersOf(() =>
      must(updateTask(board.doc, id, { description: 'Only the panel shows this.' })),
    )
    expect(description.card).toBe(0)

    let itemId = ''
    const added = rendersOf(() => {
      itemId = must(addChecklistItem(board.doc, id, { text: 'First step' })).id
    })
    expect(cardOf(id).textContent).toContain('0/1')
    expect(added.card).toBe(1)

    const renamed = rendersOf(() =>
      must(updateChecklistItem(board.doc, id, itemId, { text: 'First step, renamed' })),
    )
    expect(renamed.card).toBe(0)

    const ticked = rendersOf(() => must(updateChecklistItem(board.doc, id, itemId, { done: true })))
    expect(cardOf(id).textContent).toContain('1/1')
    expect(ticked.card).toBe(1)
  })

  it('re-renders the content of only the moved card, and no card of an untouched column', () => {
    const [from, to, untouched] = board.columnIds
    const id = board.taskIds[0]!
    const columnOf = (columnId: string) =>
      document.querySelector<HTMLElement>(`[data-column-id="${columnId}"]`)!
    const cardsIn = (columnId: string) =>
      columnOf(columnId).querySelectorAll('[data-testid="task-card"]').length
    const perColumn = TASKS / board.columnIds.length
    const counts = rendersOf(() => must(moveTask(board.doc, id, { columnId: to!, index: 1 })))
    expect(columnOf(to!).contains(cardOf(id))).toBe(true)
    expect(cardsIn(from!)).toBe(perColumn - 1)
    expect(counts.cardBody).toBe(1)
    // dnd-kit re-renders every sortable of a list whose items changed, twice (the edit, then
    // the moved card's droppable registering again): the cards of the two lists, no more.
    expect(counts.card).toBeLessThanOrEqual(2 * 2 * perColumn)
    expect(cardsIn(untouched!)).toBe(perColumn)
  })

  it('a new subtask renders its card and its parent’s progress, and a parent’s rename its subtasks’ breadcrumbs, no other card', () => {
    const parent = board.taskIds[5]!
    let subId = ''
    const added = rendersOf(() => {
      subId = must(createTask(board.doc, { title: 'Sub', parentId: parent })).id
    })
    expect(within(cardOf(parent)).getByTestId('card-subtasks').textContent?.trim()).toBe('0/1')
    expect(within(cardOf(subId)).getByTestId('card-parent').textContent).toBe('Task 5')
    // The new card and the parent's progress.
    expect(added.cardBody).toBe(2)

    const renamed = rendersOf(() => must(updateTask(board.doc, parent, { title: 'Parent' })))
    expect(within(cardOf(subId)).getByTestId('card-parent').textContent).toBe('Parent')
    expect(renamed.cardBody).toBe(2)

    const edited = rendersOf(() => must(updateTask(board.doc, subId, { priority: 'high' })))
    expect(edited.cardBody).toBe(1)
  })

  it('renders no card content again when a card is picked up with the keyboard', async () => {
    const card = cardOf(board.taskIds[3]!)
    card.focus()
    // Pick-up settles over a few frames (dnd-kit measures, then finds what is under the card).
    const counts = await settledRendersOf(() => {
      fireEvent.keyDown(card, { code: 'Space', key: ' ' })
    })
    expect(screen.getByTestId('drag-overlay')).toBeTruthy()
    // The overlay's copy of the card is the one body rendered.
    expect(counts.cardBody).toBe(1)
    await settledRendersOf(() => {
      fireEvent.keyDown(card, { code: 'Escape', key: 'Escape' })
    })
    expect(screen.queryByTestId('drag-overlay')).toBeNull()
  })
})
