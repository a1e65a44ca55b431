import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core'
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { useNavigate } from '@tanstack/react-router'
import type { TaskDetail, TaskSummary } from '@taskflow/board'
import { CalendarDays, ChevronRight, GripVertical } from 'lucide-react'
import { viewerDates } from '../../ui/dates'
import { Avatar, cx } from '../../ui/primitives'
import { useBoardEnv } from '../board/board-context'
import { InlineAdd } from '../board/InlineAdd'
import { useColumns } from '../views/ListView'
import { addSubtask, MAX_TITLE, reorderSubtask, type SubtaskProgress } from './subtask-api'
import { useSubtasks } from './use-subtasks'

type OnResult = (r: { ok: true } | { ok: false; error: { message: string } }) => void

/** "2/5 · 3/8 pts": done of all subtasks, and their points when any has an estimate. */
export function progressText(p: SubtaskProgress): string {
  const points = p.points > 0 ? ` · ${p.donePoints}/${p.points} pts` : ''
  return `${p.done}/${p.total}${points}`
}

/** Opens a task's panel (the view's search stays, so closing it returns to the same view). */
export function useOpenTask() {
  const navigate = useNavigate()
  const { projectId } = useBoardEnv()
  return (taskId: string) =>
    void navigate({
      to: '/projects/$projectId/tasks/$taskId',
      params: { projectId, taskId },
      search: true,
    })
}

/**
 * The task panel's subtasks: each with its status, assignees and due date, opened by a click;
 * reordered by dragging the handle, or from the keyboard (Space on the handle, arrows, Space;
 * or Alt+↑/↓); added inline (Enter adds and keeps the field open for the next one).
 */
export function Subtasks({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly, userId } = useBoardEnv()
  const subtasks = useSubtasks(doc, task.id)
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  const move = (id: string, index: number) => {
    if (index < 0 || index >= subtasks.length) return
    onResult(reorderSubtask(doc, id, index, { userId }))
  }
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return
    move(
      String(e.active.id),
      subtasks.findIndex((t) => t.id === e.over!.id),
    )
  }
  const progress = task.subtaskProgress
  return (
    <section className="space-y-2" data-testid="subtasks">
      <div className="flex items-center gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Subtasks</h3>
        {progress && (
          <span className="text-xs text-slate-500 tabular-nums" data-testid="subtask-progress">
            {progressText(progress)}
          </span>
        )}
      </div>
      {subtasks.length > 0 && (
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
          <SortableContext items={subtasks.map((t) => t.id)} strategy={verticalListSortingStrategy}>
            <ul className="space-y-0.5" aria-label="Subtasks">
              {subtasks.map((t, i) => (
                <SubtaskRow
                  key={t.id}
                  task={t}
                  readOnly={readOnly}
                  onMove={(delta) => move(t.id, i + delta)}
                />
              ))}
            </ul>
          </SortableContext>
        </DndContext>
      )}
      {!readOnly && task.deletedAt === null && (
        <InlineAdd
          label="Add subtask"
          placeholder="Subtask title"
          max={MAX_TITLE}
          onAdd={(title) => addSubtask(doc, task.id, title, { userId })}
        />
      )}
    </section>
  )
}

function SubtaskRow(props: {
  task: TaskSummary
  readOnly: boolean
  onMove: (delta: number) => void
}) {
  const { task } = props
  const { membersById, doc } = useBoardEnv()
  const open = useOpenTask()
  const columns = useColumns(doc)
  const column = columns.find((c) => c.id === task.columnId)
  const done = task.completedAt !== null
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: task.id,
    disabled: props.readOnly,
  })
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-testid="subtask"
      data-task-id={task.id}
      className={cx(
        'group flex items-center gap-2 rounded px-1 py-1 text-sm hover:bg-slate-50 dark:hover:bg-slate-800',
        isDragging && 'opacity-50',
      )}
    >
      {!props.readOnly && (
        <button
          type="button"
          {...attributes}
          {...listeners}
          aria-label={`Reorder ${task.title || 'subtask'}`}
          onKeyDown={(e) => {
            // Alt+↑/↓ moves one place without picking the row up.
            if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
              e.preventDefault()
              props.onMove(e.key === 'ArrowUp' ? -1 : 1)
              return
            }
            listeners?.onKeyDown?.(e)
          }}
          className="cursor-grab rounded p-0.5 text-slate-400 hover:bg-slate-200 dark:hover:bg-slate-700"
        >
          <GripVertical className="size-3.5" />
        </button>
      )}
      <span
        data-testid="subtask-status"
        className={cx(
          'shrink-0 rounded px-1.5 py-0.5 text-[11px] font-medium',
          done
            ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300'
            : 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300',
        )}
      >
        {column?.name ?? 'No column'}
      </span>
      <button
        type="button"
        onClick={() => open(task.id)}
        data-testid="subtask-title"
        className={cx(
          'min-w-0 flex-1 truncate text-left hover:underline',
          done && 'text-slate-400 line-through',
        )}
      >
        {task.title || 'Untitled'}
      </button>
      {task.subtaskProgress && (
        <span className="text-xs text-slate-500 tabular-nums" title="Its subtasks done">
          {task.subtaskProgress.done}/{task.subtaskProgress.total}
        </span>
      )}
      {task.dueDate && (
        <span className="flex items-center gap-0.5 text-xs text-slate-500">
          <CalendarDays className="size-3" />
          <time dateTime={task.dueDate}>{viewerDates.day(task.dueDate)}</time>
        </span>
      )}
      {task.assigneeIds.length > 0 && (
        <span className="flex -space-x-1.5">
          {task.assigneeIds.map((id) => (
            <Avatar key={id} id={id} name={membersById.get(id)?.name ?? '?'} size="xs" ring />
          ))}
        </span>
      )}
      <button
        type="button"
        aria-label={`Open ${task.title || 'subtask'}`}
        onClick={() => open(task.id)}
        className="rounded p-0.5 text-slate-400 hover:bg-slate-200 hover:text-slate-700 dark:hover:bg-slate-700"
      >
        <ChevronRight className="size-3.5" />
      </button>
    </li>
  )
}
