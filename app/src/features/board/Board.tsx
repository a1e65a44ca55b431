import {
  type CollisionDetection,
  closestCenter,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  type KeyboardSensorOptions,
  PointerSensor,
  type PointerSensorOptions,
  pointerWithin,
  useSensor,
  useSensors,
} from '@dnd-kit/core'
import { horizontalListSortingStrategy, SortableContext } from '@dnd-kit/sortable'
import {
  type BoardView,
  createColumn,
  MAX_NAME,
  moveColumn,
  moveTask,
  type TaskSummary,
} from '@taskflow/board'
import { useMemo, useState } from 'react'
import type { PresenceUser } from '../../sync/presence'
import { confirmBlockedMove } from '../task/blocked-move'
import { BoardColumn, columnSortId } from './BoardColumn'
import { useBoardEnv, useStableIds } from './board-context'
import { type DragData, planDrop, unfilteredIndex } from './drop-target'
import { InlineAdd } from './InlineAdd'
import { boardKeyboardCoordinates } from './keyboard-coordinates'
import { selectionDrag } from './selection'
import { TaskCardOverlay } from './TaskCard'

/**
 * Columns are only hit by column drags and tasks only by task drags; the pointer's
 * container wins, else the nearest one (keyboard drags have no pointer).
 */
const collisionDetection: CollisionDetection = (args) => {
  const type = (args.active.data.current as DragData | undefined)?.type
  const droppableContainers = args.droppableContainers.filter((c) => {
    const t = (c.data.current as DragData | undefined)?.type
    return type === 'column' ? t === 'column' : t === 'task' || t === 'column-body'
  })
  const scoped = { ...args, droppableContainers }
  const within = pointerWithin(scoped)
  if (within.length > 0) {
    // Prefer a card over the column body it sits in.
    const card = within.find(
      (c) => (c.data?.droppableContainer?.data.current as DragData | undefined)?.type === 'task',
    )
    return card ? [card] : within
  }
  return closestCenter(scoped)
}

function isBelow(e: DragEndEvent): boolean {
  const dragged = e.active.rect.current.translated
  const over = e.over?.rect
  if (!dragged || !over) return false
  return dragged.top + dragged.height / 2 > over.top + over.height / 2
}

/*
 * Sensor options live outside the component: `useSensor` memoises on the options' identity,
 * and a new sensor list gives DndContext new activators, which re-renders every draggable
 * (every card and column) on each board render, i.e. on every edit.
 */
const POINTER_OPTIONS: PointerSensorOptions = { activationConstraint: { distance: 6 } }
const KEYBOARD_OPTIONS: KeyboardSensorOptions = {
  coordinateGetter: boardKeyboardCoordinates,
  // Enter opens a card; Space picks it up.
  keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
}

export function Board(props: {
  view: BoardView
  presence: readonly PresenceUser[]
  /** The unfiltered board when `view` is filtered: drops are placed among all the tasks. */
  full?: BoardView
}) {
  const { view } = props
  const { doc, readOnly, userId } = useBoardEnv()
  const [dragging, setDragging] = useState<TaskSummary | null>(null)
  const sensors = useSensors(
    useSensor(PointerSensor, POINTER_OPTIONS),
    useSensor(KeyboardSensor, KEYBOARD_OPTIONS),
  )

  const columnIds = useStableIds(
    useMemo(() => view.columns.map((c) => columnSortId(c.id)), [view.columns]),
  )
  const viewersByTask = useMemo(() => {
    const map = new Map<string, PresenceUser[]>()
    for (const p of props.presence) {
      if (p.isMe || !p.taskId) continue
      const list = map.get(p.taskId) ?? []
      list.push(p)
      map.set(p.taskId, list)
    }
    return map
  }, [props.presence])

  function onDragStart(e: DragStartEvent) {
    selectionDrag.active = true
    const data = e.active.data.current as DragData | undefined
    if (data?.type !== 'task') return
    const column = view.columns.find((c) => c.id === data.columnId)
    setDragging(column?.tasks.find((t) => t.id === e.active.id) ?? null)
  }

  function onDragEnd(e: DragEndEvent) {
    selectionDrag.active = false
    setDragging(null)
    const plan = planDrop(
      String(e.active.id),
      e.active.data.current as DragData | undefined,
      e.over?.data.current as DragData | undefined,
      (id) => view.columns.findIndex((c) => c.id === id),
      isBelow(e),
    )
    // A blocked task dropped on a done column (by mouse or keyboard) asks first; "no" leaves it.
    if (plan?.kind === 'task' && confirmBlockedMove(doc, [plan.taskId], plan.columnId)) {
      const index = props.full
        ? unfilteredIndex(view, props.full, plan.taskId, plan.columnId, plan.index)
        : plan.index
      moveTask(doc, plan.taskId, { columnId: plan.columnId, index }, { userId })
    }
    if (plan?.kind === 'column') moveColumn(doc, plan.columnId, plan.index)
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => {
        selectionDrag.active = false
        setDragging(null)
      }}
    >
      <div className="flex h-full items-start gap-3 overflow-x-auto p-4" data-testid="board">
        <SortableContext items={columnIds} strategy={horizontalListSortingStrategy}>
          {view.columns.map((column) => (
            <BoardColumn key={column.id} column={column} viewersByTask={viewersByTask} />
          ))}
        </SortableContext>
        {!readOnly && (
          <div className="w-72 shrink-0">
            <InlineAdd
              label="Add column"
              placeholder="Column name"
              className="w-full justify-start"
              max={MAX_NAME}
              onAdd={(name) => createColumn(doc, { name, category: 'todo' })}
            />
          </div>
        )}
      </div>
      <DragOverlay>{dragging && <TaskCardOverlay task={dragging} />}</DragOverlay>
    </DndContext>
  )
}
