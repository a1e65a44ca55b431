import { useNavigate } from '@tanstack/react-router'
import { useVirtualizer } from '@tanstack/react-virtual'
import { addDays, boardTasks, type CalendarMode, type TaskSummary } from '@taskflow/board'
import { memo, useCallback, useMemo, useRef } from 'react'
import { cx } from '../../../ui/primitives'
import { AwayDot } from '../../away/AwayPanel'
import { useCardMark } from '../../away/away-store'
import { useBoardEnv } from '../../board/board-context'
import type { ViewProps } from '../registry'
import { DateNav } from './DateNav'
import {
  dropOnDay,
  layoutLanes,
  localeWeekStart,
  monthGrid,
  type SpanItem,
  spansByRow,
  stepCalendar,
  taskSpan,
  weekDays,
} from './date-math'
import { formatDay, weekdayNames } from './formats'
import { rescheduleTask } from './reschedule'

/** Drag payload type: a task id (HTML drag and drop, so any pointer and Playwright work). */
export const TASK_DRAG_TYPE = 'application/x-taskflow-task'
/** Lanes a month cell shows; the rest are counted in "+N more" (which opens that week). */
const MONTH_LANES = 3
const MODES: readonly CalendarMode[] = ['month', 'week']
const MONTH_YEAR: Intl.DateTimeFormatOptions = { month: 'long', year: 'numeric' }
const DAY_MONTH: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' }

interface Item extends SpanItem {
  task: TaskSummary
}

/**
 * Calendar: a month or a week of the filtered tasks by due date, start→due spans drawn as
 * bars across days. Drag a task (or one from the "unscheduled" tray) to a day to reschedule
 * it: one `updateTask`, one undo step. Keyboard: a focused task moves a day with
 * Alt+←/→ and a week with Alt+↑/↓; Enter opens it.
 */
export function CalendarView({ filtered, state, setState, env }: ViewProps) {
  const board = useBoardEnv()
  const navigate = useNavigate()
  const today = env.today
  const weekStartsOn = state.weekStartsOn ?? localeWeekStart()
  const anchor = state.date ?? today
  const mode = state.calendar ?? 'month'

  const { items, unscheduled, byId } = useMemo(() => {
    const items: Item[] = []
    const unscheduled: TaskSummary[] = []
    const byId = new Map<string, TaskSummary>()
    for (const task of boardTasks(filtered)) {
      byId.set(task.id, task)
      const span = taskSpan(task)
      if (span) items.push({ id: task.id, start: span.start, end: span.end, task })
      else unscheduled.push(task)
    }
    return { items, unscheduled, byId }
  }, [filtered])

  // Kept while the period is, so each week row (memo) keeps its days and its spans and lays
  // out its lanes again only when they change.
  const rows = useMemo(
    () => (mode === 'month' ? monthGrid(anchor, weekStartsOn) : [weekDays(anchor, weekStartsOn)]),
    [mode, anchor, weekStartsOn],
  )
  const rowItems = useMemo(() => spansByRow(items, rows), [items, rows])
  const names = weekdayNames()
  const title =
    mode === 'month'
      ? formatDay(anchor, MONTH_YEAR)
      : `${formatDay(rows[0]![0]!, DAY_MONTH)} – ${formatDay(rows[0]![6]!, DAY_MONTH)}`

  const reschedule = (taskId: string, day: string | null) => {
    const task = byId.get(taskId)
    if (!task || board.readOnly) return
    const next = day === null ? { startDate: null, dueDate: null } : dropOnDay(task, day)
    if (next.startDate === task.startDate && next.dueDate === task.dueDate) return
    rescheduleTask(board.doc, taskId, next, board.userId)
  }
  const open = (taskId: string) =>
    void navigate({
      to: '/projects/$projectId/tasks/$taskId',
      params: { projectId: board.projectId, taskId },
      search: true,
    })
  const onKey = (e: React.KeyboardEvent, task: TaskSummary) => {
    if (e.key === 'Enter') return open(task.id)
    if (!e.altKey) return
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[e.key]
    if (step === undefined) return
    e.preventDefault()
    const from = task.dueDate ?? task.startDate
    reschedule(task.id, from ? addDays(from, step) : today)
  }
  const set = (patch: Partial<typeof state>) => setState({ ...state, ...patch }, { replace: true })
  // The chips' handlers keep identity across renders (they read the latest ones through a
  // ref): a new month or a changed task then re-renders only the chips whose task changed,
  // not every chip of the month and the tray.
  const onMore = (day: string) => set({ calendar: 'week', date: day })
  const latest = useRef({ open, onKey, reschedule, onMore })
  latest.current = { open, onKey, reschedule, onMore }
  const readOnly = board.readOnly
  const chipProps = useMemo(
    (): ChipHandlers => ({
      draggable: !readOnly,
      onOpen: (id) => latest.current.open(id),
      onKey: (e, t) => latest.current.onKey(e, t),
    }),
    [readOnly],
  )
  const onDayDrop = useCallback((id: string, day: string) => latest.current.reschedule(id, day), [])
  const onDayMore = useCallback((day: string) => latest.current.onMore(day), [])

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="calendar-view" data-mode={mode}>
      <DateNav
        title={title}
        onStep={(dir) => set({ date: stepCalendar(anchor, mode, dir) })}
        onToday={() => set({ date: undefined })}
        choices={MODES}
        choice={mode}
        onChoice={(c) => set({ calendar: c === 'month' ? undefined : c })}
        choiceLabel="Calendar range"
        weekStartsOn={weekStartsOn}
        onWeekStartsOn={(d) => set({ weekStartsOn: d })}
      />
      <div className="flex min-h-0 flex-1 gap-3 px-4 pb-4">
        <div className="flex min-w-0 flex-1 flex-col overflow-auto">
          <div className="grid grid-cols-7 text-xs font-medium text-slate-500">
            {rows[0]!.map((d) => (
              <div key={d} className="px-2 py-1">
                {names[new Date(`${d}T00:00:00Z`).getUTCDay()]}
              </div>
            ))}
          </div>
          {rows.map((days, r) => (
            <WeekRow
              key={days[0]}
              days={days}
              items={rowItems[r]!}
              today={today}
              month={mode === 'month' ? anchor.slice(0, 7) : null}
              onDrop={onDayDrop}
              onMore={onDayMore}
              chip={chipProps}
            />
          ))}
        </div>
        <Tray tasks={unscheduled} onDrop={(id) => reschedule(id, null)} chip={chipProps} />
      </div>
    </div>
  )
}

interface ChipHandlers {
  draggable: boolean
  onOpen: (id: string) => void
  onKey: (e: React.KeyboardEvent, t: TaskSummary) => void
}

function dropTarget(onDrop: (id: string, e: React.DragEvent) => void) {
  return {
    onDragOver: (e: React.DragEvent) => {
      if (e.dataTransfer.types.includes(TASK_DRAG_TYPE)) e.preventDefault()
    },
    onDrop: (e: React.DragEvent) => {
      const id = e.dataTransfer.getData(TASK_DRAG_TYPE)
      if (!id) return
      e.preventDefault()
      onDrop(id, e)
    },
  }
}

/** One week: the day cells, then the task bars laid out in lanes over them. */
const WeekRow = memo(function WeekRow(props: {
  days: string[]
  /** The spans that touch this week (`spansByRow`). */
  items: Item[]
  today: string
  /** `YYYY-MM` of the month shown (other months' days are dimmed); null in week mode. */
  month: string | null
  onDrop: (taskId: string, day: string) => void
  onMore: (day: string) => void
  chip: ChipHandlers
}) {
  const { days, month } = props
  const { placed, lanes } = useMemo(() => layoutLanes(props.items, days), [props.items, days])
  const maxLanes = month === null ? lanes : Math.min(lanes, MONTH_LANES)
  const hidden = new Array<number>(7).fill(0)
  if (month !== null) {
    for (const p of placed)
      if (p.lane >= MONTH_LANES) for (let c = p.from; c <= p.to; c++) hidden[c]!++
  }
  // The drop lands on the day under the pointer, whether over a cell or over a bar.
  const drop = dropTarget((id, e) => {
    const rect = e.currentTarget.getBoundingClientRect()
    const col = Math.min(6, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * 7)))
    props.onDrop(id, days[col]!)
  })
  return (
    <div
      className={cx(
        'relative grid grid-cols-7 border-t border-slate-200 dark:border-slate-800',
        month !== null ? 'min-h-28 flex-1' : 'min-h-96',
      )}
      style={{ gridTemplateRows: `1.75rem repeat(${maxLanes + 1}, minmax(1.5rem, auto))` }}
      data-testid="calendar-week"
      {...drop}
    >
      {days.map((d, c) => (
        <div
          key={d}
          data-testid="calendar-day"
          data-date={d}
          aria-current={d === props.today ? 'date' : undefined}
          className={cx(
            'flex items-start justify-end border-l border-slate-200 px-1.5 pt-1 text-xs dark:border-slate-800',
            month !== null &&
              d.slice(0, 7) !== month &&
              'bg-slate-50 text-slate-400 dark:bg-slate-900',
            d === props.today && 'bg-indigo-50/60 dark:bg-indigo-950/40',
          )}
          style={{ gridColumn: c + 1, gridRow: '1 / -1' }}
        >
          <span
            className={cx(
              'grid size-6 place-items-center rounded-full',
              d === props.today && 'bg-indigo-600 font-semibold text-white',
            )}
          >
            {Number(d.slice(8))}
          </span>
        </div>
      ))}
      {placed
        .filter((p) => p.lane < maxLanes)
        .map((p) => (
          <Chip
            key={p.item.id}
            task={p.item.task}
            before={p.before}
            after={p.after}
            // The chip is the grid item itself (no wrapper element per chip).
            columns={`${p.from + 1} / ${p.to + 2}`}
            row={p.lane + 2}
            {...props.chip}
          />
        ))}
      {hidden.map((n, c) =>
        n > 0 ? (
          <button
            key={days[c]}
            type="button"
            className="z-10 justify-self-start px-1.5 text-xs text-slate-500 hover:underline"
            style={{ gridColumn: c + 1, gridRow: maxLanes + 2 }}
            onClick={() => props.onMore(days[c]!)}
            data-testid="calendar-more"
          >
            +{n} more
          </button>
        ) : null,
      )}
    </div>
  )
})

const Chip = memo(function Chip(
  props: {
    task: TaskSummary
    before?: boolean
    after?: boolean
    /** Grid placement in a week row (`grid-column`, `grid-row`); none in the tray. */
    columns?: string
    row?: number
  } & ChipHandlers,
) {
  const { task } = props
  const mark = useCardMark(task.id)
  const inGrid = props.columns !== undefined
  return (
    <button
      type="button"
      draggable={props.draggable}
      onDragStart={(e) => {
        e.dataTransfer.setData(TASK_DRAG_TYPE, task.id)
        e.dataTransfer.effectAllowed = 'move'
      }}
      onClick={() => props.onOpen(task.id)}
      onKeyDown={(e) => props.onKey(e, task)}
      aria-keyshortcuts="Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown"
      aria-label={task.title || 'Untitled task'}
      title={`${task.title}${task.dueDate ? ` — due ${task.dueDate}` : ''}`}
      data-testid="calendar-task"
      data-task-id={task.id}
      data-away={mark === 'away' || undefined}
      data-step-change={mark === 'step' || undefined}
      data-due={task.dueDate ?? ''}
      style={inGrid ? { gridColumn: props.columns, gridRow: props.row } : undefined}
      className={cx(
        inGrid ? 'z-10 mx-0.5 my-px min-w-0 self-start' : 'w-full',
        'block truncate bg-indigo-100 px-1.5 py-0.5 text-left text-xs text-indigo-900 hover:bg-indigo-200 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:bg-indigo-900/60 dark:text-indigo-100',
        props.before ? 'rounded-l-none' : 'rounded-l',
        props.after ? 'rounded-r-none' : 'rounded-r',
        task.completedAt !== null && 'line-through opacity-60',
      )}
    >
      <AwayDot mark={mark} className="mr-1 align-middle" />
      {task.title || 'Untitled task'}
    </button>
  )
})

/** Height of one tray row: a chip (20 px) and the gap under it. */
const TRAY_ROW = 24
const trayRowSize = () => TRAY_ROW
// Before the tray is measured: about a screen of rows, so the first paint is not empty.
const TRAY_RECT = { width: 224, height: 720 }

/**
 * Tasks without any date; drag one onto a day, or drop a dated one here to clear its dates.
 * Virtualised (a filtered 10,000-task board leaves thousands undated; ~35 chips are mounted).
 */
function Tray(props: { tasks: TaskSummary[]; onDrop: (id: string) => void; chip: ChipHandlers }) {
  const { tasks } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  const getScrollElement = useCallback(() => scrollRef.current, [])
  const getItemKey = useCallback((i: number) => tasks[i]?.id ?? i, [tasks])
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement,
    estimateSize: trayRowSize,
    getItemKey,
    overscan: 4,
    initialRect: TRAY_RECT,
  })
  return (
    <aside
      aria-label="Unscheduled tasks"
      data-testid="calendar-tray"
      className="flex w-56 shrink-0 flex-col rounded-md border border-slate-200 dark:border-slate-800"
      {...dropTarget((id) => props.onDrop(id))}
    >
      <h3 className="border-b border-slate-200 px-2 py-1.5 text-xs font-semibold uppercase text-slate-500 dark:border-slate-800">
        Unscheduled ({tasks.length})
      </h3>
      <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto p-2">
        {tasks.length === 0 ? (
          <p className="text-xs text-slate-500">Every task has a date.</p>
        ) : (
          <ul className="relative" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => (
              <li
                key={item.key}
                className="absolute inset-x-0 top-0"
                style={{ transform: `translateY(${item.start}px)`, height: TRAY_ROW }}
              >
                <Chip task={tasks[item.index]!} {...props.chip} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  )
}
