import {
  type DraggableAttributes,
  type DraggableSyntheticListeners,
  useDroppable,
} from '@dnd-kit/core'
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { useVirtualizer } from '@tanstack/react-virtual'
import { type ColumnView, createTask, MAX_TITLE } from '@taskflow/board'
import { GripVertical } from 'lucide-react'
import { memo, useCallback, useMemo, useRef } from 'react'
import type { PresenceUser } from '../../sync/presence'
import { cx } from '../../ui/primitives'
import { useBoardEnv, useStableIds } from './board-context'
import { ColumnSettings } from './ColumnSettings'
import type { DragData } from './drop-target'
import { InlineAdd } from './InlineAdd'
import { TaskCard } from './TaskCard'

/** Columns longer than this (before filtering) render only the cards in view. */
const VIRTUALIZE_AFTER = 60
const NO_VIEWERS: readonly PresenceUser[] = []

export const columnDropId = (columnId: string) => `column-body:${columnId}`
export const columnSortId = (columnId: string) => `column:${columnId}`

interface ColumnProps {
  column: ColumnView
  viewersByTask: ReadonlyMap<string, readonly PresenceUser[]>
}

/**
 * A column as dnd-kit sees it: sortable among columns, droppable for cards. Like every
 * sortable it re-renders on each drag state change, so it only wraps `ColumnContent`,
 * which re-renders when the column itself changes.
 */
export const BoardColumn = memo(function BoardColumn(props: ColumnProps) {
  const { column } = props
  const { readOnly } = useBoardEnv()
  const sortData = useMemo((): DragData => ({ type: 'column', columnId: column.id }), [column.id])
  const dropData = useMemo(
    (): DragData => ({ type: 'column-body', columnId: column.id }),
    [column.id],
  )
  const sortable = useSortable({
    id: columnSortId(column.id),
    data: sortData,
    disabled: readOnly,
  })
  const droppable = useDroppable({
    id: columnDropId(column.id),
    data: dropData,
    disabled: readOnly,
  })
  // Read here, where dnd-kit re-renders anyway, rather than kept in board state: a board
  // render per hovered column would be one more commit of every sortable.
  const active = sortable.active?.data.current as DragData | undefined
  const over = sortable.over?.data.current as DragData | undefined
  const highlighted = active?.type === 'task' && over?.columnId === column.id

  return (
    <section
      ref={sortable.setNodeRef}
      style={{
        transform: CSS.Translate.toString(sortable.transform),
        transition: sortable.transition,
      }}
      aria-label={`Column ${column.name}`}
      data-testid="column"
      data-column-id={column.id}
      className={cx(
        'flex max-h-full w-72 shrink-0 flex-col rounded-xl bg-slate-100 dark:bg-slate-900',
        sortable.isDragging && 'opacity-50',
      )}
    >
      <ColumnContent
        {...props}
        highlighted={highlighted}
        // dnd-kit memoises these, so they keep identity while a drag goes on.
        handleAttributes={sortable.attributes}
        handleListeners={sortable.listeners}
        setDropRef={droppable.setNodeRef}
      />
    </section>
  )
})

const ColumnContent = memo(function ColumnContent(
  props: ColumnProps & {
    highlighted: boolean
    handleAttributes: DraggableAttributes
    handleListeners: DraggableSyntheticListeners
    setDropRef: (element: HTMLElement | null) => void
  },
) {
  const { column } = props
  const { readOnly } = useBoardEnv()
  const taskIds = useStableIds(useMemo(() => column.tasks.map((t) => t.id), [column.tasks]))
  const count = column.tasks.length
  // A filtered board's column says how many of its tasks the filter shows.
  const total = 'totalTasks' in column ? (column.totalTasks as number) : count

  return (
    <>
      <header className="flex items-center gap-1 px-3 pt-3 pb-2">
        {!readOnly && (
          <button
            type="button"
            {...props.handleAttributes}
            {...props.handleListeners}
            aria-label={`Move column ${column.name}`}
            className="-ml-1 cursor-grab rounded p-0.5 text-slate-400 hover:bg-slate-200 dark:hover:bg-slate-800"
          >
            {GRIP_ICON}
          </button>
        )}
        <h2 className="min-w-0 flex-1 truncate text-sm font-semibold" data-testid="column-name">
          {column.name}
        </h2>
        <span
          data-testid="column-count"
          data-over-wip={column.overWipLimit}
          data-total={total}
          title={
            [
              total !== count ? `${count} of ${total} tasks match the filter` : '',
              column.overWipLimit ? 'Over the WIP limit' : '',
            ]
              .filter(Boolean)
              .join('. ') || undefined
          }
          className={cx(
            'rounded-full px-2 text-xs tabular-nums',
            column.overWipLimit
              ? 'bg-red-100 font-semibold text-red-700 dark:bg-red-950 dark:text-red-300'
              : 'text-slate-500',
          )}
        >
          {column.wipLimit !== null ? `${count}/${column.wipLimit}` : count}
        </span>
        {!readOnly && <ColumnSettings column={column} />}
      </header>
      <div
        ref={props.setDropRef}
        className={cx(
          'min-h-16 flex-1 overflow-y-auto rounded-lg px-2 pb-2 transition-colors',
          props.highlighted && 'bg-indigo-100/70 dark:bg-indigo-950/50',
        )}
      >
        <SortableContext items={taskIds} strategy={verticalListSortingStrategy}>
          {/* By the column's own size, not the filter's: a filter that narrows a long column
              keeps its virtual list (and the card sizes it measured) instead of mounting every
              match, and a key that empties or refills the column re-measures nothing. */}
          {total > VIRTUALIZE_AFTER ? (
            <VirtualTaskList column={column} viewersByTask={props.viewersByTask} />
          ) : (
            <div className="flex flex-col gap-2">
              {column.tasks.map((task, index) => (
                <TaskCard
                  key={task.id}
                  task={task}
                  index={index}
                  viewers={props.viewersByTask.get(task.id) ?? NO_VIEWERS}
                />
              ))}
            </div>
          )}
        </SortableContext>
        {count === 0 && (
          <p className="py-4 text-center text-xs text-slate-400">
            {total > 0 ? `No matching tasks (${total} hidden)` : 'No tasks'}
          </p>
        )}
      </div>
      {!readOnly && <AddTask columnId={column.id} />}
    </>
  )
})

// One element for every render: React skips it (an icon re-renders its SVG otherwise).
const GRIP_ICON = <GripVertical className="size-4" />

/** "Add task" at the foot of a column; not re-rendered when the column's tasks change. */
const AddTask = memo(function AddTask(props: { columnId: string }) {
  const { doc, userId } = useBoardEnv()
  return (
    <InlineAdd
      label="Add task"
      placeholder="Task title"
      className="m-2 mt-0 justify-start"
      max={MAX_TITLE}
      onAdd={(title) => createTask(doc, { columnId: props.columnId, title }, { userId })}
    />
  )
})

const estimateCard = () => 76

/** Only the cards in view of a long column are mounted (5,000-task boards stay fast). */
function VirtualTaskList(props: {
  column: ColumnView
  viewersByTask: ReadonlyMap<string, readonly PresenceUser[]>
}) {
  const { tasks } = props.column
  const listRef = useRef<HTMLDivElement>(null)
  // Stable callbacks: new ones make the virtualiser recompute every card's offset per render.
  const getItemKey = useCallback((i: number) => tasks[i]?.id ?? i, [tasks])
  const getScrollElement = useCallback(() => listRef.current?.parentElement ?? null, [])
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement,
    estimateSize: estimateCard,
    overscan: 3,
    getItemKey,
  })
  return (
    <div ref={listRef} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
      {virtualizer.getVirtualItems().map((item) => {
        const task = tasks[item.index]!
        return (
          <div
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            className="absolute inset-x-0 pb-2"
            style={{ transform: `translateY(${item.start}px)` }}
          >
            <TaskCard
              task={task}
              index={item.index}
              viewers={props.viewersByTask.get(task.id) ?? NO_VIEWERS}
            />
          </div>
        )
      })}
    </div>
  )
}
