import { useNavigate } from '@tanstack/react-router'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  boardViewStore,
  type FieldDef,
  type FieldRef,
  fieldIdOf,
  fieldRef,
  isFieldRef,
  type ListColumn,
  MAX_TITLE,
  moveTask,
  PRIORITIES,
  type Priority,
  renderFieldValue,
  type SortKey,
  setTaskFieldValue,
  type TaskSummary,
  updateTask,
} from '@taskflow/board'
import { ArrowDown, ArrowUp, ChevronDown, ChevronRight } from 'lucide-react'
import { DropdownMenu } from 'radix-ui'
import {
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
import { viewerDates } from '../../ui/dates'
import { cx } from '../../ui/primitives'
import { AwayDot } from '../away/AwayPanel'
import { useCardMark } from '../away/away-store'
import { type BoardEnv, useBoardEnv } from '../board/board-context'
import { FieldValueChips } from '../fields/FieldValueChips'
import { FieldInput } from '../fields/TaskFieldValues'
import { nestRows } from '../subtasks/tree'
import { confirmBlockedMove } from '../task/blocked-move'
import { MENU_CONTENT, MENU_ITEM } from './FilterBar'
import { PRIORITY_LABELS } from './filter-labels'
import type { ViewProps } from './registry'
import { useTaskGroups } from './use-view-query'

const ROW_HEIGHT = 36
const estimateSize = () => ROW_HEIGHT
// Rows mounted beyond the visible ones on each side: enough for a wheel step, few to mount.
const OVERSCAN = 3
const HEADER_HEIGHT = 32

interface ColumnDef {
  label: string
  width: string
  sort: SortKey | FieldRef | null
}

type Column = ListColumn | FieldRef

/** A built-in column's definition, or a custom field's (label = its name; sortable). */
function columnDef(c: Column, fields: readonly FieldDef[]): ColumnDef {
  if (!isFieldRef(c)) return LIST_COLUMN_DEFS[c]
  const f = fields.find((x) => x.id === fieldIdOf(c))
  return { label: f?.name ?? 'Deleted field', width: '10rem', sort: f ? c : null }
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
  | {
      kind: 'task'
      key: string
      task: TaskSummary
      depth: number
      childCount: number
      /** The parent's title, when the parent is not the row above it in the tree. */
      path: string | null
    }

/**
 * The filtered tasks as a table: one row per task (virtualised: 10,000 rows mount ~30),
 * the user's columns, sorted by a header click, grouped by the view's grouping. Every
 * editable cell edits through the board operations, one undo step per change.
 * Keyboard: ↑/↓ move between rows, Enter opens the task, Tab walks the cells' controls.
 */
export function ListView(props: ViewProps) {
  const { filtered, state, setState, env } = props
  const { fields, doc, projectId } = useBoardEnv()
  const groups = useTaskGroups(filtered, state, env)
  // One navigate and one column-name map for every row: rows mount by the dozen per wheel
  // step, and a router or store subscription per row (or per status cell) costs more.
  const navigate = useNavigate()
  const open = useCallback(
    (taskId: string) =>
      void navigate({
        to: '/projects/$projectId/tasks/$taskId',
        params: { projectId, taskId },
        search: true,
      }),
    [navigate, projectId],
  )
  const boardColumns = useColumns(doc)
  const statusNames = useMemo(
    () => new Map(boardColumns.map((c) => [c.id, c.name])),
    [boardColumns],
  )
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set())
  const toggleCollapsed = useCallback(
    (id: string) =>
      setCollapsed((prev) => {
        const next = new Set(prev)
        if (!next.delete(id)) next.add(id)
        return next
      }),
    [],
  )
  const rows = useMemo(() => {
    const out: Row[] = []
    const grouped = state.group !== 'none'
    // Any task's summary, filtered out or not, from the store's index (no scan of the board):
    // a subtask nests under its nearest ancestor in the group, or names its parent.
    const store = boardViewStore(doc)
    const parentOf = (id: string) => store.getSummary(id)?.parentId ?? null
    for (const g of groups) {
      if (grouped)
        out.push({ kind: 'group', key: `g:${g.key}`, label: g.label, count: g.tasks.length })
      // A task in two groups (two assignees) gets one row in each: keys stay unique.
      for (const r of nestRows(g.tasks, parentOf, collapsed)) {
        const t = r.task
        out.push({
          kind: 'task',
          key: grouped ? `${g.key}:${t.id}` : t.id,
          task: t,
          depth: r.depth,
          childCount: r.childCount,
          path: r.showPath ? t.parentTitle : null,
        })
      }
    }
    return out
  }, [groups, state.group, doc, collapsed])
  // Columns of deleted or unknown fields are not shown (F5), though the view keeps them.
  const columns = useMemo(
    () => state.columns.filter((c) => !isFieldRef(c) || fields.some((f) => fieldRef(f.id) === c)),
    [state.columns, fields],
  )
  const template = columns.map((c) => columnDef(c, fields).width).join(' ')
  const scrollRef = useRef<HTMLDivElement>(null)
  const getScrollElement = useCallback(() => scrollRef.current, [])
  // Stable callbacks: the virtualiser recomputes every row's offset (10,000 of them) whenever
  // `estimateSize` or `getItemKey` change identity, which would be on every scroll frame.
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows])
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    overscan: OVERSCAN,
    getItemKey,
    // Scroll positions render as ordinary (batched) React updates rather than one synchronous
    // render per scroll event: fast wheels and flings coalesce into one render per frame.
    useFlushSync: false,
  })
  const taskCount = groups.reduce((n, g) => n + g.tasks.length, 0)
  const items = virtualizer.getVirtualItems()
  // Rows are keyed by slot (index modulo the most rows ever mounted at once), not by task: a
  // wheel step that scrolls every mounted row out then updates the rows' text and attributes
  // in place instead of removing ~30 rows' elements and creating ~30 new ones, which was most
  // of a scroll frame. Indices of one contiguous range never share a slot; a row whose task
  // and place are unchanged keeps its slot and is skipped by `memo`.
  const slotCount = useRef(0)
  slotCount.current = Math.max(slotCount.current, items.length)
  const slots = slotCount.current

  const sortBy = (key: SortKey | FieldRef) => {
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
                const def = columnDef(c, fields)
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
            {items.map((item) => {
              const row = rows[item.index]!
              const key = `s${item.index % slots}`
              const style = {
                transform: `translateY(${item.start}px)`,
                height: ROW_HEIGHT,
              }
              if (row.kind === 'group') {
                return (
                  <tr
                    key={key}
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
                  key={key}
                  task={row.task}
                  depth={row.depth}
                  childCount={row.childCount}
                  path={row.path}
                  collapsed={collapsed.has(row.task.id)}
                  onToggle={toggleCollapsed}
                  onOpen={open}
                  statusNames={statusNames}
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
  depth: number
  childCount: number
  path: string | null
  collapsed: boolean
  onToggle: (taskId: string) => void
  onOpen: (taskId: string) => void
  /** Column id → name, for status cells. */
  statusNames: ReadonlyMap<string, string>
  index: number
  columns: readonly Column[]
  template: string
  style: React.CSSProperties
}

const ListRow = memo(function ListRow(props: RowProps) {
  const { task } = props
  const env = useBoardEnv()
  // One cell at a time shows its editor; the others are plain text, so a row is cheap to
  // mount (scrolling 10,000 rows mounts and drops rows every frame). The editor belongs to
  // the task it was opened on: a recycled row (see `slots`) shows another task without it.
  const [editor, setEditor] = useState<{ taskId: string; column: Column } | null>(null)
  const editing = editor?.taskId === task.id ? editor.column : null
  const setEditing = (column: Column | null) =>
    setEditor(column === null ? null : { taskId: task.id, column })
  const mark = useCardMark(task.id)
  const open = () => props.onOpen(task.id)
  const rowRef = useRef<HTMLTableRowElement>(null)
  // When the row is recycled for another task, it is as if the old row left the page: its
  // editor closes and focus inside it is dropped (a removed row would take focus with it).
  const shownId = useRef(task.id)
  useLayoutEffect(() => {
    if (shownId.current === task.id) return
    shownId.current = task.id
    setEditor(null)
    const active = document.activeElement
    if (active instanceof HTMLElement && rowRef.current?.contains(active)) active.blur()
  }, [task.id])
  return (
    <tr
      ref={rowRef}
      tabIndex={0}
      data-row-index={props.index}
      data-testid="list-row"
      data-task-id={task.id}
      data-away={mark === 'away' || undefined}
      data-step-change={mark === 'step' || undefined}
      data-depth={props.depth}
      aria-label={task.title || 'Untitled task'}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) open()
      }}
      className="absolute inset-x-0 grid items-center border-b border-slate-100 bg-white text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 dark:border-slate-800 dark:bg-slate-950 dark:hover:bg-slate-900"
      // Strict containment: a row's layout and paint never reach the rest of the table, so
      // the rows mounted while scrolling cost only themselves.
      style={{ ...props.style, gridTemplateColumns: props.template, contain: 'strict' }}
    >
      {props.columns.map((c) => (
        <td key={c} className="flex min-w-0 items-center px-1" data-column={c}>
          {c === 'title' && <AwayDot mark={mark} className="mx-1" />}
          {c === 'title' && (
            <TreeLead
              task={task}
              depth={props.depth}
              childCount={props.childCount}
              path={props.path}
              collapsed={props.collapsed}
              onToggle={props.onToggle}
            />
          )}
          {isFieldRef(c) ? (
            <FieldCell
              fieldId={fieldIdOf(c)}
              task={task}
              env={env}
              editing={editing === c}
              edit={() => setEditing(c)}
              done={() => setEditing(null)}
            />
          ) : editing === c ? (
            <Editor column={c} task={task} env={env} done={() => setEditing(null)} />
          ) : (
            <Display
              column={c}
              task={task}
              env={env}
              statusName={
                c === 'status' ? (props.statusNames.get(task.columnId) ?? 'No column') : ''
              }
              edit={env.readOnly || !EDITABLE.has(c) ? null : () => setEditing(c)}
            />
          )}
          {c === 'title' && (
            <button
              type="button"
              onClick={open}
              aria-label={`Open ${task.title || 'task'}`}
              className="rounded p-1 text-slate-400 hover:bg-slate-200 hover:text-slate-700 dark:hover:bg-slate-800"
            >
              {OPEN_ICON}
            </button>
          )}
        </td>
      ))}
    </tr>
  )
}, sameRow)

/*
 * Lucide's Maximize2 drawn as one path and built once: every row has one, and scrolling
 * mounts dozens of rows a frame (the icon component made an SVG of four paths per row).
 */
const OPEN_ICON = (
  <svg
    aria-hidden
    className="size-3.5"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth={2}
    strokeLinecap="round"
    strokeLinejoin="round"
  >
    <path d="M15 3h6v6M21 3l-7 7M3 21l7-7M9 21H3v-6" />
  </svg>
)

/** Indentation, the collapse toggle of a row with subtasks, and a detached subtask's parent. */
function TreeLead(props: {
  task: TaskSummary
  depth: number
  childCount: number
  path: string | null
  collapsed: boolean
  onToggle: (taskId: string) => void
}) {
  const { task } = props
  return (
    <>
      {props.depth > 0 && (
        <span aria-hidden className="shrink-0" style={{ width: props.depth * INDENT }} />
      )}
      {props.childCount > 0 ? (
        <button
          type="button"
          aria-expanded={!props.collapsed}
          aria-label={`${props.collapsed ? 'Expand' : 'Collapse'} subtasks of ${task.title || 'task'}`}
          data-testid="toggle-subtasks"
          onClick={() => props.onToggle(task.id)}
          className="shrink-0 rounded p-0.5 text-slate-400 hover:bg-slate-200 hover:text-slate-700 dark:hover:bg-slate-800"
        >
          {props.collapsed ? (
            <ChevronRight className="size-3.5" />
          ) : (
            <ChevronDown className="size-3.5" />
          )}
        </button>
      ) : (
        <span aria-hidden className="w-[18px] shrink-0" />
      )}
      {props.path !== null && (
        <span
          data-testid="row-parent"
          title={`Subtask of ${props.path || 'Untitled'}`}
          className="max-w-32 shrink-0 truncate text-xs text-slate-400"
        >
          {props.path || 'Untitled'} ›
        </span>
      )}
    </>
  )
}

const INDENT = 16

function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.task === b.task &&
    a.depth === b.depth &&
    a.childCount === b.childCount &&
    a.path === b.path &&
    a.collapsed === b.collapsed &&
    a.onOpen === b.onOpen &&
    a.statusNames === b.statusNames &&
    a.index === b.index &&
    a.columns === b.columns &&
    a.template === b.template &&
    a.style.transform === b.style.transform
  )
}

/**
 * A custom field's cell: its value as chips or text; click to edit it with the panel's input
 * for the field's type (each change one board operation, F6–F7).
 */
function FieldCell(props: {
  fieldId: string
  task: TaskSummary
  env: BoardEnv
  editing: boolean
  edit: () => void
  done: () => void
}) {
  const { env, task } = props
  const field = env.fields.find((f) => f.id === props.fieldId)
  if (!field) return null
  const shown = renderFieldValue(field, task.fields[field.id])
  const name = (id: string) => userName(env, id) || 'Former member'
  if (props.editing && !env.readOnly) {
    return (
      // biome-ignore lint/a11y/noStaticElementInteractions: closes the editor its inputs are in
      <div
        className="w-full min-w-0"
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) props.done()
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.done()
        }}
      >
        <FieldInput
          field={field}
          raw={task.fields[field.id]}
          readOnly={false}
          members={[...env.membersById.values()].filter((m) => m.role !== 'viewer')}
          onChange={(v) => {
            setTaskFieldValue(env.doc, task.id, field.id, v, { userId: env.userId })
            if (field.type !== 'multi_select') props.done()
          }}
        />
      </div>
    )
  }
  const content = shown ? (
    <span className="flex min-w-0 items-center gap-1 overflow-hidden">
      <FieldValueChips value={shown} compact userName={name} />
    </span>
  ) : (
    <span className="text-slate-300 dark:text-slate-600">—</span>
  )
  if (env.readOnly)
    return <span className="min-w-0 flex-1 truncate px-1">{shown ? content : ''}</span>
  return (
    <button
      type="button"
      data-testid={`cell-field-${field.id}`}
      title={`Edit ${field.name}`}
      onClick={props.edit}
      className={CELL_BUTTON}
    >
      {content}
    </button>
  )
}

const EDITABLE: ReadonlySet<ListColumn> = new Set([
  'title',
  'status',
  'assignee',
  'priority',
  'label',
  'startDate',
  'dueDate',
  'estimate',
])

const CONTROL =
  'h-7 w-full min-w-0 rounded border border-slate-300 bg-white px-1 text-sm focus:border-indigo-400 focus:outline-none dark:border-slate-700 dark:bg-slate-900'
const CELL_BUTTON =
  'h-7 w-full min-w-0 truncate rounded px-1 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800'

function userName(env: BoardEnv, id: string | null): string {
  return id ? env.membersById.get(id)?.name || env.membersById.get(id)?.email || 'Unknown' : ''
}

function dayOf(at: number | null): string {
  return at ? viewerDates.day(new Date(at).toISOString().slice(0, 10)) : ''
}

/** A cell's text; an editable one is a button that opens its editor (click, Enter, Space). */
function Display(props: {
  column: ListColumn
  task: TaskSummary
  env: BoardEnv
  /** The task's column name when this is the status cell. */
  statusName: string
  edit: (() => void) | null
}) {
  const { task, env, column } = props
  const shown = column === 'status' ? props.statusName : cellText(column, task, env)
  if (!props.edit) return <span className="min-w-0 flex-1 truncate px-1">{shown}</span>
  return (
    <button
      type="button"
      data-testid={`cell-${column}`}
      title={`Edit ${LIST_COLUMN_DEFS[column].label.toLowerCase()}`}
      onClick={props.edit}
      className={cx(
        CELL_BUTTON,
        EMPTY_DASH,
        column === 'title' && 'font-medium',
        column === 'priority' && PRIORITY_TEXT[task.priority],
      )}
    >
      {shown}
    </button>
  )
}

/*
 * An empty cell shows a dash drawn by CSS: a recycled row (see `slots`) whose cell turns empty
 * or filled then changes one text node instead of creating or removing an element.
 */
const EMPTY_DASH =
  "empty:before:text-slate-300 empty:before:content-['—'] dark:empty:before:text-slate-600"

const PRIORITY_TEXT: Record<Priority, string> = {
  none: 'text-slate-400',
  low: 'text-slate-500',
  medium: 'text-amber-600',
  high: 'text-orange-600',
  urgent: 'font-medium text-red-600',
}

function cellText(column: ListColumn, task: TaskSummary, env: BoardEnv): string {
  switch (column) {
    case 'title':
      return task.title || 'Untitled'
    case 'status':
      return ''
    case 'priority':
      return task.priority === 'none' ? '' : PRIORITY_LABELS[task.priority]
    case 'assignee':
      return task.assigneeIds.map((id) => userName(env, id)).join(', ')
    case 'label':
      return task.labelIds.map((id) => env.labelsById.get(id)?.name ?? '').join(', ')
    case 'startDate':
    case 'dueDate': {
      const d = task[column]
      return d ? viewerDates.day(d) : ''
    }
    case 'estimate':
      return task.estimate === null ? '' : String(task.estimate)
    case 'checklist':
      return task.checklist.total ? `${task.checklist.done}/${task.checklist.total}` : ''
    case 'comments':
      return task.commentCount ? String(task.commentCount) : ''
    case 'createdBy':
      return userName(env, task.createdBy)
    case 'updatedBy':
      return userName(env, task.updatedBy)
    case 'createdAt':
    case 'updatedAt':
    case 'completedAt':
      return dayOf(task[column])
  }
}

/** The editor of one cell; each change is one board operation (one undo step). */
function Editor(props: { column: ListColumn; task: TaskSummary; env: BoardEnv; done: () => void }) {
  const { task, env, done } = props
  const ctx = { userId: env.userId }
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape' || e.key === 'Enter') {
      e.stopPropagation()
      done()
    }
  }
  switch (props.column) {
    case 'title':
      return <TitleInput task={task} done={done} />
    case 'status':
      return <StatusSelect task={task} done={done} />
    case 'priority':
      return (
        <select
          aria-label="Priority"
          // biome-ignore lint/a11y/noAutofocus: the editor opens where the user asked to edit
          autoFocus
          className={CONTROL}
          value={task.priority}
          onBlur={done}
          onKeyDown={keys}
          onChange={(e) => {
            updateTask(env.doc, task.id, { priority: e.target.value as Priority }, ctx)
            done()
          }}
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
          selected={task.assigneeIds}
          options={[...env.membersById.values()].map((m) => ({
            id: m.userId,
            name: m.name || m.email,
          }))}
          text={cellText('assignee', task, env)}
          onChange={(ids) => updateTask(env.doc, task.id, { assigneeIds: ids }, ctx)}
          done={done}
        />
      )
    case 'label':
      return (
        <SetMenu
          label="Labels"
          selected={task.labelIds}
          options={[...env.labelsById.values()].map((l) => ({ id: l.id, name: l.name }))}
          text={cellText('label', task, env)}
          onChange={(ids) => updateTask(env.doc, task.id, { labelIds: ids }, ctx)}
          done={done}
        />
      )
    case 'startDate':
    case 'dueDate': {
      const field = props.column
      return (
        <input
          type="date"
          aria-label={field === 'dueDate' ? 'Due date' : 'Start date'}
          // biome-ignore lint/a11y/noAutofocus: the editor opens where the user asked to edit
          autoFocus
          className={CONTROL}
          value={task[field] ?? ''}
          onBlur={done}
          onKeyDown={keys}
          onChange={(e) => updateTask(env.doc, task.id, { [field]: e.target.value || null }, ctx)}
        />
      )
    }
    case 'estimate':
      return <EstimateInput task={task} done={done} />
    default:
      return null
  }
}

/** Edits the title as one whole-value write on Enter or leaving the field (merges, B8). */
function TitleInput(props: { task: TaskSummary; done: () => void }) {
  const { doc, userId } = useBoardEnv()
  const [draft, setDraft] = useState(props.task.title)
  const commit = () => {
    const title = draft.trim()
    if (title && title !== props.task.title) updateTask(doc, props.task.id, { title }, { userId })
    props.done()
  }
  return (
    <input
      aria-label="Title"
      // biome-ignore lint/a11y/noAutofocus: the editor opens where the user asked to edit
      autoFocus
      className={cx(CONTROL, 'font-medium')}
      maxLength={MAX_TITLE}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
        else if (e.key === 'Escape') props.done()
      }}
    />
  )
}

function EstimateInput(props: { task: TaskSummary; done: () => void }) {
  const { doc, userId } = useBoardEnv()
  const [draft, setDraft] = useState(
    props.task.estimate === null ? '' : String(props.task.estimate),
  )
  const commit = () => {
    const n = draft.trim() === '' ? null : Number(draft)
    if ((n === null || (Number.isFinite(n) && n >= 0)) && n !== props.task.estimate) {
      updateTask(doc, props.task.id, { estimate: n }, { userId })
    }
    props.done()
  }
  return (
    <input
      type="number"
      min={0}
      aria-label="Estimate"
      // biome-ignore lint/a11y/noAutofocus: the editor opens where the user asked to edit
      autoFocus
      className={CONTROL}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
        else if (e.key === 'Escape') props.done()
      }}
    />
  )
}

/** The column a task shows in; choosing another moves it there (last), like a board drop. */
function StatusSelect(props: { task: TaskSummary; done: () => void }) {
  const { doc, userId } = useBoardEnv()
  const columns = useColumns(doc)
  return (
    <select
      aria-label="Status"
      // biome-ignore lint/a11y/noAutofocus: the editor opens where the user asked to edit
      autoFocus
      className={CONTROL}
      value={props.task.columnId}
      onBlur={props.done}
      onKeyDown={(e) => (e.key === 'Escape' || e.key === 'Enter') && props.done()}
      onChange={(e) => {
        if (confirmBlockedMove(doc, [props.task.id], e.target.value)) {
          moveTask(doc, props.task.id, { columnId: e.target.value }, { userId })
        }
        props.done()
      }}
    >
      {columns.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  )
}

/*
 * The board's columns from one observer per document, shared by the list (status names,
 * the status editor) and the subtask panel: each reader observing the columns map would cost more.
 */
type ColumnName = { id: string; name: string; order: string }
const columnStores = new WeakMap<
  BoardEnv['doc'],
  { get: () => ColumnName[]; subscribe: (cb: () => void) => () => void }
>()

function columnStore(doc: BoardEnv['doc']) {
  let store = columnStores.get(doc)
  if (!store) {
    let value = readColumns(doc)
    const listeners = new Set<() => void>()
    doc.getMap('columns').observeDeep(() => {
      value = readColumns(doc)
      for (const l of listeners) l()
    })
    store = {
      get: () => value,
      subscribe: (cb) => {
        listeners.add(cb)
        return () => listeners.delete(cb)
      },
    }
    columnStores.set(doc, store)
  }
  return store
}

/** The board's columns (id, name, order) from one observer per document. */
export function useColumns(doc: BoardEnv['doc']): ColumnName[] {
  const store = columnStore(doc)
  return useSyncExternalStore(store.subscribe, store.get)
}

function readColumns(doc: BoardEnv['doc']): ColumnName[] {
  const out: ColumnName[] = []
  doc.getMap('columns').forEach((m, id) => {
    const map = m as { get: (k: string) => unknown }
    out.push({ id, name: String(map.get('name') ?? ''), order: String(map.get('order') ?? '') })
  })
  return out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1))
}

/** A set (assignees, labels) edited with checkboxes in a menu; each toggle is one edit. */
function SetMenu(props: {
  label: string
  selected: readonly string[]
  options: { id: string; name: string }[]
  text: string
  onChange: (ids: string[]) => void
  done: () => void
}) {
  return (
    <DropdownMenu.Root defaultOpen onOpenChange={(open) => !open && props.done()}>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          aria-label={`${props.label}: ${props.text || 'none'}`}
          className={cx(CELL_BUTTON, 'flex items-center justify-between gap-1')}
        >
          <span className="truncate">{props.text}</span>
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
