import { useNavigate } from '@tanstack/react-router'
import { type BoardView, createTask, PRIORITIES, type TaskSummary } from '@taskflow/board'
import { useEffect, useRef } from 'react'
import { localDate } from '../../ui/dates'
import {
  type PaletteGroup,
  type PaletteItem,
  type PaletteMode,
  palette,
  usePaletteSource,
} from '../shell/palette-store'
import { type Shortcut, useShortcuts } from '../shell/shortcuts'
import { addSubtask } from '../subtasks/subtask-api'
import { confirmBlockedMove } from '../task/blocked-move'
import type { BoardEnv } from './board-context'
import { bulkDelete, bulkMove, bulkUpdate, toggledMembers } from './bulk'
import {
  boardSelection,
  moveFocus,
  type SelectionState,
  selectionDrag,
  setSelectionOrder,
  targetsOf,
  toggle,
} from './selection'

const DAY = 86_400_000

/** The task whose panel is open, if any: the palette's "Create subtask" acts on it. */
export const panelTask: { id: string | null } = { id: null }

/** Puts DOM focus on a card (so Enter opens it and Space picks it up) and scrolls to it. */
export function focusCard(id: string | null) {
  if (!id) return
  const el = document.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(id)}"]`)
  if (!el) return
  el.focus({ preventScroll: true })
  el.scrollIntoView({ block: 'nearest', inline: 'nearest' })
}

/**
 * The open board's keyboard shortcuts and palette entries: focus and selection over its
 * cards, and actions (move, assign, label, priority, due, trash) on the focused or
 * selected tasks, several at once in one transaction.
 */
export function useBoardCommands(env: BoardEnv, view: BoardView): void {
  const navigate = useNavigate()
  const { projectId, doc, userId, readOnly } = env
  const viewRef = useRef(view)
  viewRef.current = view
  const envRef = useRef(env)
  envRef.current = env

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new project starts with nothing selected
  useEffect(() => {
    boardSelection.clear()
    return () => boardSelection.clear()
  }, [projectId])

  const order = () => viewRef.current.columns.flatMap((c) => c.tasks.map((t) => t.id))
  // biome-ignore lint/correctness/useExhaustiveDependencies: `order` reads the view through a ref
  useEffect(() => setSelectionOrder(order), [])

  const tasksById = () => {
    const map = new Map<string, TaskSummary>()
    for (const c of viewRef.current.columns) for (const t of c.tasks) map.set(t.id, t)
    return map
  }
  const targets = () => {
    const live = tasksById()
    return targetsOf(boardSelection.get()).filter((id) => live.has(id))
  }
  const apply = (fn: (s: SelectionState) => SelectionState) => {
    boardSelection.update(fn)
    focusCard(boardSelection.get().focusedId)
  }
  const openTask = (taskId: string) =>
    void navigate({ to: '/projects/$projectId/tasks/$taskId', params: { projectId, taskId } })
  const keyOnCards = (run: () => void) => () => {
    if (selectionDrag.active) return false
    run()
    return undefined
  }
  const actionKey = (mode: 'assign' | 'label' | 'priority' | 'due') => () => {
    if (readOnly || targets().length === 0) return false
    palette.open(mode)
    return undefined
  }
  const acrossColumns = (delta: number) => {
    const s = boardSelection.get()
    const cols = viewRef.current.columns
    const at = cols.findIndex((c) => c.tasks.some((t) => t.id === s.focusedId))
    if (at < 0) return apply((st) => moveFocus(st, order(), 1))
    const row = cols[at]!.tasks.findIndex((t) => t.id === s.focusedId)
    for (let c = at + delta; c >= 0 && c < cols.length; c += delta) {
      const tasks = cols[c]!.tasks
      if (tasks.length === 0) continue
      const id = tasks[Math.min(row, tasks.length - 1)]!.id
      return apply((st) => ({ ...st, focusedId: id }))
    }
  }

  const G = 'Board'
  useShortcuts((): Shortcut[] => [
    {
      key: 'c',
      keys: 'c',
      description: 'Create a task',
      group: G,
      run: () => {
        if (readOnly) return false
        palette.open('create')
        return undefined
      },
    },
    {
      key: 'j',
      alt: 'ArrowDown',
      keys: 'j / ↓',
      description: 'Next task',
      group: G,
      run: keyOnCards(() => apply((s) => moveFocus(s, order(), 1))),
    },
    {
      key: 'k',
      alt: 'ArrowUp',
      keys: 'k / ↑',
      description: 'Previous task',
      group: G,
      run: keyOnCards(() => apply((s) => moveFocus(s, order(), -1))),
    },
    {
      key: 'j',
      alt: 'ArrowDown',
      shift: true,
      keys: 'Shift+j / Shift+↓',
      description: 'Extend the selection down',
      group: G,
      run: keyOnCards(() => apply((s) => moveFocus(s, order(), 1, true))),
    },
    {
      key: 'k',
      alt: 'ArrowUp',
      shift: true,
      keys: 'Shift+k / Shift+↑',
      description: 'Extend the selection up',
      group: G,
      run: keyOnCards(() => apply((s) => moveFocus(s, order(), -1, true))),
    },
    {
      key: 'ArrowRight',
      keys: '→',
      description: 'Task in the next column',
      group: G,
      run: keyOnCards(() => acrossColumns(1)),
    },
    {
      key: 'ArrowLeft',
      keys: '←',
      description: 'Task in the previous column',
      group: G,
      run: keyOnCards(() => acrossColumns(-1)),
    },
    {
      key: 'x',
      keys: 'x',
      description: 'Select or unselect the focused task',
      group: G,
      run: () => {
        const id = boardSelection.get().focusedId
        if (!id || selectionDrag.active) return false
        apply((s) => toggle(s, id))
        return undefined
      },
    },
    {
      key: 'e',
      keys: 'e / Enter',
      description: 'Open the focused task',
      group: G,
      run: () => {
        const id = boardSelection.get().focusedId
        if (!id) return false
        openTask(id)
        return undefined
      },
    },
    {
      key: 'Shift+click',
      keys: 'Shift+click',
      description: 'Select a range of tasks (Ctrl/⌘+click: one more)',
      group: G,
      // Listed only: the card handles the click.
      run: () => false,
    },
    { key: 'a', keys: 'a', description: 'Assign', group: G, run: actionKey('assign') },
    {
      key: 'l',
      keys: 'l',
      description: 'Add or remove a label',
      group: G,
      run: actionKey('label'),
    },
    { key: 'p', keys: 'p', description: 'Set priority', group: G, run: actionKey('priority') },
    { key: 'd', keys: 'd', description: 'Set due date', group: G, run: actionKey('due') },
    {
      key: 'Escape',
      keys: 'Esc',
      description: 'Clear the selection',
      group: G,
      run: () => {
        const s = boardSelection.get()
        if (selectionDrag.active || (s.selected.size === 0 && !s.focusedId)) return false
        boardSelection.set({ ...s, selected: new Set(), anchorId: null })
        if (s.selected.size === 0) boardSelection.set({ ...boardSelection.get(), focusedId: null })
        return undefined
      },
    },
  ])

  usePaletteSource((mode, query) => {
    const { membersById, labelsById } = envRef.current
    const live = tasksById()
    const subtaskParent = () => live.get(panelTask.id ?? boardSelection.get().focusedId ?? '')
    const ids = targets()
    const ctx = { userId }
    const picked = ids.map((id) => live.get(id)!)
    const subject = ids.length === 1 ? `“${picked[0]!.title || 'Untitled'}”` : `${ids.length} tasks`
    const item = (id: string, label: string, run: () => void, extra?: Partial<PaletteItem>) => ({
      id,
      label,
      run: () => {
        // A moved card is a new element in its new column: focus follows the task.
        palette.afterClose(() => focusCard(boardSelection.get().focusedId))
        run()
        return undefined
      },
      ...extra,
    })
    if (readOnly && mode !== 'root') return []
    if (mode === 'move') {
      return [
        {
          heading: `Move ${subject} to`,
          items: viewRef.current.columns.map((c) =>
            item(`move:${c.id}`, c.name, () => {
              if (confirmBlockedMove(doc, ids, c.id)) bulkMove(doc, ids, c.id, ctx)
            }),
          ),
        },
      ]
    }
    if (mode === 'assign') {
      const toggleOf = (uid: string) => {
        const next = toggledMembers(
          picked.map((t) => t.assigneeIds),
          uid,
        )
        return () =>
          bulkUpdate(doc, ids, (id) => ({ assigneeIds: next(live.get(id)!.assigneeIds) }), ctx)
      }
      const members = [...membersById.values()].sort((a, b) =>
        a.userId === userId ? -1 : b.userId === userId ? 1 : 0,
      )
      return [
        {
          heading: `Assign ${subject}`,
          items: [
            ...members.map((m) =>
              item(
                `assign:${m.userId}`,
                m.userId === userId ? `${m.name || m.email} (me)` : m.name || m.email,
                toggleOf(m.userId),
                { keywords: [m.email, ...(m.userId === userId ? ['me', 'myself'] : [])] },
              ),
            ),
            item('assign:none', 'Unassign', () =>
              bulkUpdate(doc, ids, () => ({ assigneeIds: [] }), ctx),
            ),
          ],
        },
      ]
    }
    if (mode === 'label') {
      return [
        {
          heading: `Label ${subject}`,
          items: [...labelsById.values()].map((l) => {
            const next = toggledMembers(
              picked.map((t) => t.labelIds),
              l.id,
            )
            return item(`label:${l.id}`, l.name, () =>
              bulkUpdate(doc, ids, (id) => ({ labelIds: next(live.get(id)!.labelIds) }), ctx),
            )
          }),
        },
      ]
    }
    if (mode === 'priority') {
      return [
        {
          heading: `Set priority of ${subject}`,
          items: PRIORITIES.map((p) =>
            item(
              `priority:${p}`,
              p === 'none' ? 'No priority' : p[0]!.toUpperCase() + p.slice(1),
              () => bulkUpdate(doc, ids, () => ({ priority: p }), ctx),
            ),
          ),
        },
      ]
    }
    if (mode === 'due') {
      const now = Date.now()
      const setDue = (dueDate: string | null) => () =>
        bulkUpdate(
          doc,
          ids,
          // A due date before the start would be refused: the start moves with it.
          (id) => {
            const t = live.get(id)!
            return dueDate && t.startDate && t.startDate > dueDate
              ? { dueDate, startDate: dueDate }
              : { dueDate }
          },
          ctx,
        )
      const typed = /^\d{4}-\d{2}-\d{2}$/.test(query.trim()) ? query.trim() : null
      return [
        {
          heading: `Set due date of ${subject}`,
          items: [
            ...(typed
              ? [item(`due:${typed}`, `Due ${typed}`, setDue(typed), { always: true })]
              : []),
            item('due:today', 'Today', setDue(localDate(now))),
            item('due:tomorrow', 'Tomorrow', setDue(localDate(now + DAY))),
            item('due:week', 'In a week', setDue(localDate(now + 7 * DAY))),
            item('due:none', 'No due date', setDue(null)),
          ],
        },
      ]
    }
    if (mode === 'create') {
      const focused = live.get(boardSelection.get().focusedId ?? '')
      const column =
        viewRef.current.columns.find((c) => c.id === focused?.columnId) ??
        viewRef.current.columns[0]
      const title = query.trim()
      if (!column) return []
      return [
        {
          heading: `New task in ${column.name}`,
          items: [
            item(
              'create:task',
              title ? `Create task “${title}”` : 'Type a title, then Enter',
              () => {
                if (!title) return
                const r = createTask(doc, { columnId: column.id, title }, ctx)
                if (!r.ok) return
                boardSelection.set({ focusedId: r.value.id, selected: new Set(), anchorId: null })
                // The new card gets the focus (it renders once the update reaches the view).
                palette.afterClose(() => focusCard(r.value.id))
              },
              { always: true },
            ),
          ],
        },
      ]
    }
    if (mode === 'subtask') {
      const parent = subtaskParent()
      const title = query.trim()
      if (!parent) return []
      return [
        {
          heading: `New subtask of “${parent.title || 'Untitled'}”`,
          items: [
            item(
              'create:subtask',
              title ? `Create subtask “${title}”` : 'Type a title, then Enter',
              () => {
                if (!title) return
                addSubtask(doc, parent.id, title, ctx)
              },
              { always: true },
            ),
          ],
        },
      ]
    }
    // Root: actions on the focused/selected tasks, then the tasks to jump to.
    const groups: PaletteGroup[] = []
    const next = (m: PaletteMode) => () => m
    if (!readOnly) {
      const actions: PaletteItem[] = [
        { id: 'act:create', label: 'Create task', hint: 'c', run: next('create') },
      ]
      // On the open or focused task only: a selection of several has no one parent.
      const focused = subtaskParent()
      if (focused && (panelTask.id !== null || ids.length <= 1)) {
        actions.push({
          id: 'act:subtask',
          label: `Create subtask of “${focused.title || 'Untitled'}”`,
          keywords: ['subtask', 'child', 'sub-issue'],
          run: next('subtask'),
        })
      }
      if (ids.length > 0) {
        actions.push(
          { id: 'act:move', label: `Move ${subject} to column…`, run: next('move') },
          { id: 'act:assign', label: `Assign ${subject}…`, hint: 'a', run: next('assign') },
          { id: 'act:label', label: `Label ${subject}…`, hint: 'l', run: next('label') },
          {
            id: 'act:priority',
            label: `Set priority of ${subject}…`,
            hint: 'p',
            run: next('priority'),
          },
          { id: 'act:due', label: `Set due date of ${subject}…`, hint: 'd', run: next('due') },
          item(
            'act:delete',
            `Move ${subject} to the trash`,
            () => {
              bulkDelete(doc, ids, ctx)
              boardSelection.clear()
            },
            { keywords: ['delete', 'remove'] },
          ),
        )
      }
      groups.push({ heading: 'Actions', items: actions })
    }
    if (ids.length === 1) {
      const id = ids[0]!
      groups.push({
        heading: 'Task',
        items: [
          {
            id: 'act:open',
            label: `Open ${subject}`,
            hint: 'e',
            run: () => {
              openTask(id)
              return undefined
            },
          },
          item('act:copy', `Copy link to ${subject}`, () => {
            const url = `${location.origin}/projects/${projectId}/tasks/${id}`
            void navigator.clipboard?.writeText(url).catch(() => undefined)
          }),
        ],
      })
    }
    const columnName = new Map(viewRef.current.columns.map((c) => [c.id, c.name]))
    groups.push({
      heading: 'Tasks on this board',
      items: [...live.values()].map((t) => ({
        id: `task:${t.id}`,
        label: t.title || 'Untitled',
        hint: columnName.get(t.columnId),
        keywords: ['task'],
        recent: { href: `/projects/${projectId}/tasks/${t.id}` },
        run: () => {
          boardSelection.set({ ...boardSelection.get(), focusedId: t.id })
          return undefined
        },
      })),
    })
    return groups
  })
}
