import { useNavigate } from '@tanstack/react-router'
import { useVirtualizer } from '@tanstack/react-virtual'
import { addDays, type TaskSummary, type TimelineZoom } from '@taskflow/board'
import { memo, useMemo, useRef, useState } from 'react'
import { cx } from '../../../ui/primitives'
import { AwayDot } from '../../away/AwayPanel'
import { useCardMark } from '../../away/away-store'
import { useBoardEnv } from '../../board/board-context'
import { useBlocksRelations } from '../../task/use-relations'
import type { ViewProps } from '../registry'
import { useTaskGroups } from '../use-view-query'
import { DateNav } from './DateNav'
import {
  addMonths,
  diffDays,
  earlier,
  later,
  localeWeekStart,
  monthStart,
  pxToDays,
  resizeDates,
  shiftDates,
  stepTimeline,
  type TaskDates,
  taskSpan,
  timelineStart,
  ZOOM,
} from './date-math'
import { dateFormat, formatDay } from './formats'
import { rescheduleTask } from './reschedule'

const MONTH_YEAR: Intl.DateTimeFormatOptions = { month: 'long', year: 'numeric' }

const ZOOMS: readonly TimelineZoom[] = ['day', 'week', 'month']
const ROW = 32
const LABEL_WIDTH = 240

type Row =
  | { kind: 'group'; key: string; label: string; count: number }
  | { kind: 'task'; task: TaskSummary }

/** A `blocks` relation drawn as an arrow from the end of `from`'s bar to the start of `to`'s. */
export interface TimelineArrow {
  key: string
  from: string
  to: string
  x1: number
  y1: number
  x2: number
  y2: number
  /** `to` starts before `from` ends: the plan has the blocked task start too early. */
  late: boolean
}

/**
 * Arrows of the `blocks` relations (others are skipped) whose two tasks are both rows of the timeline (dated,
 * matching the filter), in the coordinates of the rows' container.
 */
export function timelineArrows(
  relations: readonly { key: string; type: string; fromId: string; toId: string }[],
  rows: readonly Row[],
  start: string,
  dayWidth: number,
): TimelineArrow[] {
  const at = new Map<string, { index: number; task: TaskSummary }>()
  rows.forEach((r, index) => {
    if (r.kind === 'task') at.set(r.task.id, { index, task: r.task })
  })
  const out: TimelineArrow[] = []
  for (const r of relations) {
    if (r.type !== 'blocks') continue
    const a = at.get(r.fromId)
    const b = at.get(r.toId)
    if (!a || !b) continue
    const sa = taskSpan(a.task)
    const sb = taskSpan(b.task)
    if (!sa || !sb) continue
    out.push({
      key: r.key,
      from: r.fromId,
      to: r.toId,
      x1: LABEL_WIDTH + (diffDays(start, sa.end) + 1) * dayWidth,
      y1: a.index * ROW + ROW / 2,
      x2: LABEL_WIDTH + diffDays(start, sb.start) * dayWidth,
      y2: b.index * ROW + ROW / 2,
      late: sb.start <= sa.end,
    })
  }
  return out
}

type Drag = { id: string; mode: 'move' | 'start' | 'end'; x0: number; dx: number }

/**
 * Timeline: a bar from start to due per dated task, in the groups of the shared group model
 * (column, assignee, …) and sorted by the shared sort. Drag a bar to move both dates, drag
 * an edge to resize; each drop is one `updateTask` (one undo step). Keyboard on a focused
 * bar: Alt+←/→ moves a day, Alt+Shift+←/→ moves its due date; Enter opens the task.
 */
export function TimelineView({ filtered, state, setState, env }: ViewProps) {
  const board = useBoardEnv()
  const navigate = useNavigate()
  const today = env.today
  const zoom = state.zoom ?? 'week'
  const anchor = state.date ?? today
  const weekStartsOn = state.weekStartsOn ?? localeWeekStart()
  const { dayWidth, days } = ZOOM[zoom]
  const start = timelineStart(anchor, zoom, weekStartsOn)
  const groups = useTaskGroups(filtered, state, env)
  const { rows, undated } = useMemo(() => {
    const rows: Row[] = []
    let undated = 0
    for (const g of groups) {
      const tasks = g.tasks.filter((t) => taskSpan(t) !== null)
      undated += g.tasks.length - tasks.length
      if (tasks.length === 0) continue
      if (state.group !== 'none')
        rows.push({ kind: 'group', key: g.key, label: g.label, count: tasks.length })
      for (const task of tasks) rows.push({ kind: 'task', task })
    }
    return { rows, undated }
  }, [groups, state.group])

  const blocks = useBlocksRelations(board.doc)
  const arrows = useMemo(
    () => timelineArrows(blocks, rows, start, dayWidth),
    [blocks, rows, start, dayWidth],
  )

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 10,
  })
  const [drag, setDrag] = useState<Drag | null>(null)

  const commit = (task: TaskSummary, next: TaskDates) => {
    if (board.readOnly || (next.startDate === task.startDate && next.dueDate === task.dueDate))
      return
    rescheduleTask(board.doc, task.id, next, board.userId)
  }
  const datesAfter = (task: TaskSummary, d: Drag): TaskDates => {
    const n = pxToDays(d.dx, dayWidth)
    return d.mode === 'move' ? shiftDates(task, n) : resizeDates(task, d.mode, n)
  }
  const open = (taskId: string) =>
    void navigate({
      to: '/projects/$projectId/tasks/$taskId',
      params: { projectId: board.projectId, taskId },
      search: true,
    })
  const set = (patch: Partial<typeof state>) => setState({ ...state, ...patch }, { replace: true })
  const width = days * dayWidth
  const todayX = diffDays(start, today) * dayWidth

  const title = `${formatDay(start, MONTH_YEAR)} – ${formatDay(addDays(start, days - 1), MONTH_YEAR)}`

  const pointer = (task: TaskSummary, mode: Drag['mode']) => ({
    onPointerDown: (e: React.PointerEvent) => {
      if (board.readOnly || e.button !== 0) return
      e.stopPropagation()
      e.currentTarget.setPointerCapture(e.pointerId)
      setDrag({ id: task.id, mode, x0: e.clientX, dx: 0 })
    },
    onPointerMove: (e: React.PointerEvent) => {
      if (drag?.id === task.id && drag.mode === mode) setDrag({ ...drag, dx: e.clientX - drag.x0 })
    },
    onPointerUp: (e: React.PointerEvent) => {
      if (drag?.id !== task.id || drag.mode !== mode) return
      e.stopPropagation()
      const d = { ...drag, dx: e.clientX - drag.x0 }
      setDrag(null)
      // A press without a move is a click: it opens the task.
      if (Math.abs(d.dx) < 3 && mode === 'move') open(task.id)
      else commit(task, datesAfter(task, d))
    },
    onPointerCancel: () => setDrag(null),
  })

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="timeline-view" data-zoom={zoom}>
      <DateNav
        title={title}
        onStep={(dir) => set({ date: stepTimeline(anchor, zoom, dir) })}
        onToday={() => set({ date: undefined })}
        choices={ZOOMS}
        choice={zoom}
        onChoice={(z) => set({ zoom: z === 'week' ? undefined : z })}
        choiceLabel="Zoom"
        weekStartsOn={weekStartsOn}
        onWeekStartsOn={(d) => set({ weekStartsOn: d })}
      />
      {undated > 0 && (
        <p className="px-4 pb-1 text-xs text-slate-500" data-testid="timeline-undated">
          {undated} task{undated === 1 ? '' : 's'} without dates not shown (see the calendar's
          tray).
        </p>
      )}
      <div
        ref={scrollRef}
        className="relative min-h-0 flex-1 overflow-auto"
        data-testid="timeline-scroll"
      >
        <div style={{ width: LABEL_WIDTH + width, position: 'relative' }}>
          <Scale start={start} days={days} zoom={zoom} dayWidth={dayWidth} />
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {arrows.length > 0 && (
              <RelationLayer
                arrows={arrows}
                width={LABEL_WIDTH + width}
                height={virtualizer.getTotalSize()}
              />
            )}
            {todayX >= 0 && todayX < width && (
              <div
                data-testid="timeline-today"
                aria-hidden
                className="pointer-events-none absolute inset-y-0 z-20 w-0.5 bg-rose-500"
                style={{ left: LABEL_WIDTH + todayX + dayWidth / 2 }}
              />
            )}
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index]!
              const style: React.CSSProperties = {
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW,
                transform: `translateY(${v.start}px)`,
              }
              if (row.kind === 'group') {
                return (
                  <div
                    key={`g:${row.key}`}
                    style={style}
                    className="sticky left-0 flex items-center bg-slate-100 px-3 text-xs font-semibold text-slate-600 dark:bg-slate-900 dark:text-slate-300"
                    data-testid="timeline-group"
                  >
                    {row.label} <span className="ml-1 font-normal text-slate-400">{row.count}</span>
                  </div>
                )
              }
              const task = row.task
              const preview = drag?.id === task.id ? datesAfter(task, drag) : task
              const span = taskSpan(preview)!
              return (
                <TimelineRow
                  key={task.id}
                  task={task}
                  style={style}
                  left={diffDays(start, span.start) * dayWidth}
                  barWidth={(diffDays(span.start, span.end) + 1) * dayWidth}
                  dragging={drag?.id === task.id}
                  readOnly={board.readOnly}
                  pointer={pointer}
                  onOpen={open}
                  onKey={(e) => {
                    if (e.key === 'Enter') return open(task.id)
                    if (!e.altKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return
                    e.preventDefault()
                    const n = e.key === 'ArrowLeft' ? -1 : 1
                    commit(task, e.shiftKey ? resizeDates(task, 'end', n) : shiftDates(task, n))
                  }}
                />
              )
            })}
          </div>
        </div>
      </div>
    </div>
  )
}

const TimelineRow = memo(function TimelineRow(props: {
  task: TaskSummary
  style: React.CSSProperties
  left: number
  barWidth: number
  dragging: boolean
  readOnly: boolean
  pointer: (t: TaskSummary, mode: Drag['mode']) => Record<string, unknown>
  onOpen: (id: string) => void
  onKey: (e: React.KeyboardEvent) => void
}) {
  const { task } = props
  const mark = useCardMark(task.id)
  return (
    <div
      style={props.style}
      className="flex border-b border-slate-100 dark:border-slate-800"
      data-testid="timeline-row"
      data-task-id={task.id}
      data-away={mark === 'away' || undefined}
      data-step-change={mark === 'step' || undefined}
    >
      <button
        type="button"
        className="sticky left-0 z-10 shrink-0 truncate bg-white px-3 text-left text-sm hover:underline dark:bg-slate-950"
        style={{ width: LABEL_WIDTH }}
        onClick={() => props.onOpen(task.id)}
      >
        <AwayDot mark={mark} className="mr-1.5 align-middle" />
        {task.title || 'Untitled task'}
      </button>
      <div className="relative flex-1">
        {/* biome-ignore lint/a11y/useSemanticElements: a draggable bar with resize handles, not a plain button */}
        <div
          role="button"
          tabIndex={0}
          aria-label={`${task.title || 'Untitled task'}: ${task.startDate ?? task.dueDate} to ${task.dueDate ?? task.startDate}`}
          aria-keyshortcuts="Alt+ArrowLeft Alt+ArrowRight Alt+Shift+ArrowLeft Alt+Shift+ArrowRight"
          data-testid="timeline-bar"
          data-task-id={task.id}
          data-start={task.startDate ?? ''}
          data-due={task.dueDate ?? ''}
          onKeyDown={props.onKey}
          {...props.pointer(task, 'move')}
          className={cx(
            'absolute top-1 flex h-6 touch-none select-none items-center truncate rounded bg-indigo-500 px-2 text-xs text-white focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-700',
            !props.readOnly && 'cursor-grab',
            props.dragging && 'opacity-80 ring-2 ring-indigo-300',
          )}
          style={{ left: props.left, width: props.barWidth }}
        >
          {!props.readOnly && (
            <span
              data-testid="timeline-resize-start"
              className="absolute inset-y-0 left-0 w-2 cursor-ew-resize"
              {...props.pointer(task, 'start')}
            />
          )}
          <span className="pointer-events-none truncate">{task.title}</span>
          {!props.readOnly && (
            <span
              data-testid="timeline-resize-end"
              className="absolute inset-y-0 right-0 w-2 cursor-ew-resize"
              {...props.pointer(task, 'end')}
            />
          )}
        </div>
      </div>
    </div>
  )
})

/**
 * The arrows of `blocks` relations, under the rows (bars and the sticky labels cover them):
 * out of the blocker's end, down or up to the blocked task's row, into its start. An arrow
 * into a task that starts before its blocker ends is drawn in red (`data-late`).
 */
function RelationLayer(props: { arrows: readonly TimelineArrow[]; width: number; height: number }) {
  return (
    <svg
      aria-hidden
      data-testid="timeline-relations"
      className="pointer-events-none absolute top-0 left-0"
      width={props.width}
      height={props.height}
    >
      <defs>
        <marker
          id="timeline-arrowhead"
          viewBox="0 0 8 8"
          refX="8"
          refY="4"
          markerWidth="6"
          markerHeight="6"
          orient="auto"
        >
          <path d="M0,0 L8,4 L0,8 z" fill="context-stroke" />
        </marker>
      </defs>
      {props.arrows.map((a) => (
        <path
          key={a.key}
          data-testid="timeline-arrow"
          data-from={a.from}
          data-to={a.to}
          data-late={a.late || undefined}
          d={`M${a.x1},${a.y1} h6 V${a.y2} H${a.x2}`}
          fill="none"
          strokeWidth={1.5}
          className={a.late ? 'stroke-rose-500' : 'stroke-slate-400 dark:stroke-slate-500'}
          markerEnd="url(#timeline-arrowhead)"
        />
      ))}
    </svg>
  )
}

/** The scale over the bars: days (day zoom), weeks or months, labelled in the locale. */
function Scale(props: { start: string; days: number; zoom: TimelineZoom; dayWidth: number }) {
  const ticks: { x: number; label: string; w: number }[] = []
  const end = addDays(props.start, props.days)
  if (props.zoom === 'month') {
    const f = dateFormat({ month: 'short', year: '2-digit', timeZone: 'UTC' })
    for (let d = monthStart(props.start); d < end; d = addMonths(d, 1)) {
      const from = later(d, props.start)
      const to = earlier(addMonths(d, 1), end)
      ticks.push({
        x: diffDays(props.start, from),
        w: diffDays(from, to),
        label: f.format(Date.parse(`${d}T00:00:00Z`)),
      })
    }
  } else {
    const step = props.zoom === 'day' ? 1 : 7
    const f = dateFormat(
      props.zoom === 'day'
        ? { day: 'numeric', weekday: 'narrow', timeZone: 'UTC' }
        : { day: 'numeric', month: 'short', timeZone: 'UTC' },
    )
    for (let i = 0; i < props.days; i += step) {
      ticks.push({
        x: i,
        w: step,
        label: f.format(Date.parse(`${addDays(props.start, i)}T00:00:00Z`)),
      })
    }
  }
  return (
    <div className="sticky top-0 z-30 flex h-7 border-b border-slate-200 bg-white text-xs text-slate-500 dark:border-slate-800 dark:bg-slate-950">
      <div
        className="sticky left-0 shrink-0 bg-white dark:bg-slate-950"
        style={{ width: LABEL_WIDTH }}
      />
      <div className="relative flex-1">
        {ticks.map((t) => (
          <div
            key={t.x}
            className="absolute inset-y-0 truncate border-l border-slate-200 px-1 leading-7 dark:border-slate-800"
            style={{ left: t.x * props.dayWidth, width: t.w * props.dayWidth }}
          >
            {t.label}
          </div>
        ))}
      </div>
    </div>
  )
}
