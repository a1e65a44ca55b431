import { useNavigate } from '@tanstack/react-router'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  type ListColumn,
  MAX_TITLE,
  moveTask,
  PRIORITIES,
  type Priority,
  type SortKey,
  type TaskSummary,
  updateTask,
} from '@taskflow/board'
import { ArrowDown, ArrowUp, ChevronDown, Maximize2 } from 'lucide-react'
import { DropdownMenu } from 'radix-ui'
import { memo, useEffect, useMemo, useRef, useState } from 'react'
import { viewerDates } from '../../ui/dates'
import { cx } from '../../ui/primitives'
import { countRender } from '../board/bench-probe'
import { type BoardEnv, useBoardEnv } from '../board/board-context'
import { MENU_CONTENT, MENU_ITEM } from './FilterBar'
import { PRIORITY_LABELS } from './filter-labels'
import type { ViewProps } from './registry'
import { useTaskGroups } from './use-view-query'

const ROW_HEIGHT = 36
const HEADER_HEIGHT = 32

interface ColumnDef {
  label: string
  width: string
  sort: SortKey | null
}

export const LIST_COLUMN_DEFS: Record<ListColumn, ColumnDef> = {
  title: { label: 'Title', width: 'minmax(16rem,1fr)', sort: 'title' },
  status: { label: 'Status', width: '9rem', sort: 'status' },
  assignee: { label: 'Assignees', width: '10rem', sort: 'assignee' },
  priority: { label: 'Priority', width: '7rem', sort: 'priority' },
  label: { label: 'Labels', width: '10rem', sort: 'label' },
  startDate: { label: 'Start', width: '9rem', sort: 'startDate' },
  dueDate: { label: 'Due', width: '9rem', sort: 'dueDate' },
  estimate: { label: 'Estimate', width: '6rem', sort: 'estimate' },
  checklist: { label: 'Checklist', width: '6rem', sort: null },
  comments: { label: 'Comments', width: '6rem', sort: null },
  createdAt: { label: 'Created', width: '9rem', sort: 'createdAt' },
  createdBy: { label: 'Created by', width: '9rem', sort: 'createdBy' },
  updatedAt: { label: 'Updated', width: '9rem', sort: 'updatedAt' },
  updatedBy: { label: 'Updated by', width: '9rem', sort: 'updatedBy' },
  completedAt: { label: 'Completed', width: '9rem', sort: 'completedAt' },
}

type Row =
  | { kind: 'group'; key: string; label: string; count: number }
  | { kind: 'task'; key: string; task: TaskSummary }

/**
 * The filtered tasks as a table: one row per task (virtualised: 10,000 rows mount ~30),
 * the user's columns, sorted by a header click, grouped by the view's grouping. Every
 * editable cell edits through the board operations, one undo step per change.
 * Keyboard: ↑/↓ move between rows, Enter opens the task, Tab walks the cells' controls.
 */
export function ListView(props: ViewProps) {
  const { filtered, state, setState, env } = props
  countRender('list')
  const groups = useTaskGroups(filtered, state, env)
  const rows = useMemo(() => {
    const out: Row[] = []
    const grouped = state.group !== 'none'
    for (const g of groups) {
      if (grouped)
        out.push({ kind: 'group', key: `g:${g.key}`, label: g.label, count: g.tasks.length })
      // A task in two groups (two assignees) gets one row in each: keys stay unique.
      for (const t of g.tasks)
        out.push({ kind: 'task', key: grouped ? `${g.key}:${t.id}` : t.id, task: t })
    }
    return out
  }, [groups, state.group])
  const columns = state.columns
  const template = columns.map((c) => LIST_COLUMN_DEFS[c].width).join(' ')
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i]?.key ?? i,
  })
  const taskCount = groups.reduce((n, g) => n + g.tasks.length, 0)

  const sortBy = (key: SortKey) => {
    const desc = state.sort.key === key ? !state.sort.desc : false
    setState({ ...state, sort: { key, desc } }, { replace: true })
  }

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-row-index]')
    if (!row || e.target !== row) return
    e.preventDefault()
    let i = Number(row.dataset.rowIndex)
    const step = e.key === 'ArrowDown' ? 1 : -1
    do i += step
    while (rows[i] && rows[i]!.kind !== 'task')
    if (!rows[i]) return
    virtualizer.scrollToIndex(i)
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${i}"]`)?.focus(),
    )
  }

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="list-view">
      <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto">
        {/* A real table laid out as grid rows, so each row can be placed by the virtualiser. */}
        <table
          aria-label="Tasks"
          aria-rowcount={taskCount + 1}
          onKeyDown={onKeyDown}
          className="grid"
          style={{ minWidth: 'max-content' }}
        >
          <thead className="sticky top-0 z-10 grid">
            <tr
              className="sticky top-0 z-10 grid border-b border-slate-200 bg-slate-50 text-xs font-semibold text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300"
              style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}
            >
              {columns.map((c) => {
                const def = LIST_COLUMN_DEFS[c]
                const sorted = def.sort !== null && state.sort.key === def.sort
                return (
                  <th
                    key={c}
                    scope="col"
                    aria-sort={sorted ? (state.sort.desc ? 'descending' : 'ascending') : undefined}
                    className="flex items-center px-2"
                  >
                    {def.sort ? (
                      <button
                        type="button"
                        data-testid={`sort-${c}`}
                        onClick={() => sortBy(def.sort!)}
                        className="flex items-center gap-1 rounded px-1 hover:bg-slate-200 dark:hover:bg-slate-800"
                      >
                        {def.label}
                        {sorted &&
                          (state.sort.desc ? (
                            <ArrowDown className="size-3" />
                          ) : (
                            <ArrowUp className="size-3" />
                          ))}
                      </button>
                    ) : (
                      def.label
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody
            className="grid"
            style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
          >
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!
              const style = {
                transform: `translateY(${item.start}px)`,
                height: ROW_HEIGHT,
              }
              if (row.kind === 'group') {
                return (
                  <tr
                    key={item.key}
                    data-testid="list-group"
                    className="absolute inset-x-0 flex items-center gap-2 border-b border-slate-200 bg-slate-100/80 px-3 text-sm font-semibold dark:border-slate-800 dark:bg-slate-900/80"
                    style={style}
                  >
                    <th
                      scope="rowgroup"
                      colSpan={columns.length}
                      className="flex items-center gap-2"
                    >
                      {row.label}
                      <span className="text-xs font-normal text-slate-500">{row.count}</span>
                    </th>
                  </tr>
                )
              }
              return (
                <ListRow
                  key={item.key}
                  task={row.task}
                  index={item.index}
                  columns={columns}
                  template={template}
                  style={style}
                />
              )
            })}
          </tbody>
        </table>
        {taskCount === 0 && (
          <p className="p-8 text-center text-sm text-slate-500">No tasks match this view.</p>
        )}
      </div>
    </div>
  )
}

interface RowProps {
  task: TaskSummary
  index: number
  columns: readonly ListColumn[]
  template: string
  style: React.CSSProperties
}

const ListRow = memo(function ListRow(props: RowProps) {
  const { task } = props
  countRender('listRow')
  const env = useBoardEnv()
  const navigate = useNavigate()
  const open = () =>
    void navigate({
      to: '/projects/$projectId/tasks/$taskId',
      params: { projectId: env.projectId, taskId: task.id },
      search: true,
    })
  return (
    <tr
      tabIndex={0}
      data-row-index={props.index}
      data-testid="list-row"
      data-task-id={task.id}
      aria-label={task.title || 'Untitled task'}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) open()
      }}
      className="absolute inset-x-0 grid items-center border-b border-slate-100 bg-white text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 dark:border-slate-800 dark:bg-slate-950 dark:hover:bg-slate-900"
      style={{ ...props.style, gridTemplateColumns: props.template }}
    >
      {props.columns.map((c) => (
        <td key={c} className="min-w-0 truncate px-2" data-column={c}>
          <Cell column={c} task={task} env={env} open={open} />
        </td>
      ))}
    </tr>
  )
}, sameRow)

function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.task === b.task &&
    a.index === b.index &&
    a.columns === b.columns &&
    a.template === b.template &&
    a.style.transform === b.style.transform
  )
}

const CONTROL =
  'h-7 w-full min-w-0 rounded border border-transparent bg-transparent px-1 text-sm hover:border-slate-300 focus:border-indigo-400 focus:outline-none disabled:hover:border-transparent dark:hover:border-slate-700'

function Cell(props: { column: ListColumn; task: TaskSummary; env: BoardEnv; open: () => void }) {
  const { task, env } = props
  const ro = env.readOnly
  const ctx = { userId: env.userId }
  const name = (id: string | null) =>
    id ? env.membersById.get(id)?.name || env.membersById.get(id)?.email || 'Unknown' : ''
  switch (props.column) {
    case 'title':
      return (
        <div className="flex items-center gap-1">
          <TitleInput task={task} readOnly={ro} />
          <button
            type="button"
            onClick={props.open}
            aria-label={`Open ${task.title || 'task'}`}
            className="rounded p-1 text-slate-400 hover:bg-slate-200 hover:text-slate-700 dark:hover:bg-slate-800"
          >
            <Maximize2 className="size-3.5" />
          </button>
        </div>
      )
    case 'status':
      return <StatusSelect task={task} readOnly={ro} />
    case 'priority':
      return (
        <select
          aria-label="Priority"
          className={CONTROL}
          disabled={ro}
          value={task.priority}
          onChange={(e) =>
            updateTask(env.doc, task.id, { priority: e.target.value as Priority }, ctx)
          }
        >
          {[...PRIORITIES].reverse().map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABELS[p]}
            </option>
          ))}
        </select>
      )
    case 'assignee':
      return (
        <SetMenu
          label="Assignees"
          readOnly={ro}
          selected={task.assigneeIds}
          options={[...env.membersById.values()].map((m) => ({
            id: m.userId,
            name: m.name || m.email,
          }))}
          render={(ids) => ids.map((id) => name(id)).join(', ')}
          onChange={(ids) => updateTask(env.doc, task.id, { assigneeIds: ids }, ctx)}
        />
      )
    case 'label':
      return (
        <SetMenu
          label="Labels"
          readOnly={ro}
          selected={task.labelIds}
          options={[...env.labelsById.values()].map((l) => ({ id: l.id, name: l.name }))}
          render={(ids) => ids.map((id) => env.labelsById.get(id)?.name ?? '').join(', ')}
          onChange={(ids) => updateTask(env.doc, task.id, { labelIds: ids }, ctx)}
        />
      )
    case 'startDate':
    case 'dueDate': {
      const field = props.column
      return (
        <input
          type="date"
          aria-label={field === 'dueDate' ? 'Due date' : 'Start date'}
          className={CONTROL}
          disabled={ro}
          value={task[field] ?? ''}
          onChange={(e) => updateTask(env.doc, task.id, { [field]: e.target.value || null }, ctx)}
        />
      )
    }
    case 'estimate':
      return <EstimateInput task={task} readOnly={ro} />
    case 'checklist':
      return task.checklist.total ? `${task.checklist.done}/${task.checklist.total}` : ''
    case 'comments':
      return task.commentCount || ''
    case 'createdBy':
      return name(task.createdBy)
    case 'updatedBy':
      return name(task.updatedBy)
    case 'createdAt':
    case 'updatedAt':
    case 'completedAt': {
      const at = task[props.column]
      return at ? (
        <time dateTime={new Date(at).toISOString()}>
          {viewerDates.day(new Date(at).toISOString().slice(0, 10))}
        </time>
      ) : (
        ''
      )
    }
  }
}

/** Edits the title as one whole-value write on Enter or leaving the field (merges, B8). */
function TitleInput(props: { task: TaskSummary; readOnly: boolean }) {
  const { doc, userId } = useBoardEnv()
  const [draft, setDraft] = useState<string | null>(null)
  const commit = () => {
    if (draft === null) return
    const title = draft.trim()
    if (title && title !== props.task.title) updateTask(doc, props.task.id, { title }, { userId })
    setDraft(null)
  }
  return (
    <input
      aria-label="Title"
      data-testid="list-title"
      className={cx(CONTROL, 'font-medium')}
      readOnly={props.readOnly}
      maxLength={MAX_TITLE}
      // A teammate's rename shows at once unless this user is typing in the field.
      value={draft ?? props.task.title}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit()
          ;(e.target as HTMLInputElement).blur()
        } else if (e.key === 'Escape') {
          setDraft(null)
        }
      }}
    />
  )
}

function EstimateInput(props: { task: TaskSummary; readOnly: boolean }) {
  const { doc, userId } = useBoardEnv()
  const [draft, setDraft] = useState<string | null>(null)
  const commit = () => {
    if (draft === null) return
    const n = draft.trim() === '' ? null : Number(draft)
    if (n === null || (Number.isFinite(n) && n >= 0)) {
      updateTask(doc, props.task.id, { estimate: n }, { userId })
    }
    setDraft(null)
  }
  return (
    <input
      type="number"
      min={0}
      aria-label="Estimate"
      className={CONTROL}
      readOnly={props.readOnly}
      value={draft ?? props.task.estimate ?? ''}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  )
}

/** The column a task shows in; choosing another moves it there (last), like a board drop. */
function StatusSelect(props: { task: TaskSummary; readOnly: boolean }) {
  const { doc, userId } = useBoardEnv()
  const columns = useColumnsOf(doc)
  return (
    <select
      aria-label="Status"
      data-testid="list-status"
      className={CONTROL}
      disabled={props.readOnly}
      value={props.task.columnId}
      onChange={(e) => moveTask(doc, props.task.id, { columnId: e.target.value }, { userId })}
    >
      {columns.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  )
}

// Column names for the status cells; read from the document's columns map, which changes rarely.
function useColumnsOf(doc: BoardEnv['doc']) {
  const [cols, setCols] = useState(() => readColumns(doc))
  useEffect(() => {
    const map = doc.getMap('columns')
    const refresh = () => setCols(readColumns(doc))
    map.observeDeep(refresh)
    return () => map.unobserveDeep(refresh)
  }, [doc])
  return cols
}

function readColumns(doc: BoardEnv['doc']) {
  const out: { id: string; name: string; order: string }[] = []
  doc.getMap('columns').forEach((m, id) => {
    const map = m as { get: (k: string) => unknown }
    out.push({ id, name: String(map.get('name') ?? ''), order: String(map.get('order') ?? '') })
  })
  return out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1))
}

/** A set (assignees, labels) edited with checkboxes in a menu; each toggle is one edit. */
function SetMenu(props: {
  label: string
  readOnly: boolean
  selected: readonly string[]
  options: { id: string; name: string }[]
  render: (ids: readonly string[]) => string
  onChange: (ids: string[]) => void
}) {
  const text = props.render(props.selected)
  if (props.readOnly) return <span className="px-1">{text}</span>
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          aria-label={`${props.label}: ${text || 'none'}`}
          className={cx(CONTROL, 'flex items-center justify-between gap-1 text-left')}
        >
          <span className="truncate">{text || <span className="text-slate-400">—</span>}</span>
          <ChevronDown className="size-3 shrink-0 text-slate-400" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          collisionPadding={8}
          className={MENU_CONTENT}
        >
          {props.options.length === 0 && (
            <p className="px-2 py-1.5 text-slate-500">Nothing to choose</p>
          )}
          {props.options.map((o) => (
            <DropdownMenu.CheckboxItem
              key={o.id}
              className={cx(MENU_ITEM, 'relative pl-7')}
              checked={props.selected.includes(o.id)}
              onSelect={(e) => e.preventDefault()}
              onCheckedChange={(on) =>
                props.onChange(
                  on ? [...props.selected, o.id] : props.selected.filter((id) => id !== o.id),
                )
              }
            >
              <DropdownMenu.ItemIndicator className="absolute left-2">✓</DropdownMenu.ItemIndicator>
              {o.name}
            </DropdownMenu.CheckboxItem>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
}
