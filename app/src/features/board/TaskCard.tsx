import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { useNavigate } from '@tanstack/react-router'
import { cardFields } from '@taskflow/board'
import {
  Ban,
  CalendarDays,
  CheckSquare,
  CornerLeftUp,
  Flag,
  ListTree,
  MessageSquare,
} from 'lucide-react'
import { memo, useMemo } from 'react'
import type { PresenceUser } from '../../sync/presence'
import { viewerDates } from '../../ui/dates'
import { Avatar, cx } from '../../ui/primitives'
import { AwayDot } from '../away/AwayPanel'
import { useCardMark } from '../away/away-store'
import { FieldValueChips } from '../fields/FieldValueChips'
import { blockedTooltip } from '../task/blocked-move'
import { localToday, useBoardEnv } from './board-context'
import { type CardTask, sameCard } from './card-fields'
import type { DragData } from './drop-target'
import { ReplacedMoveNotice } from './ReplacedMoveNotice'
import { boardSelection, selectionOrder, selectRange, toggle, useTaskMarks } from './selection'

export const PRIORITY_STYLES = {
  none: '',
  low: 'text-slate-500',
  medium: 'text-amber-500',
  high: 'text-orange-600',
  urgent: 'text-red-600',
} as const

interface BodyProps {
  task: CardTask
  viewers: readonly PresenceUser[]
}

/**
 * What a card shows; also rendered in the drag overlay. Kept apart from the sortable
 * shell below: dnd-kit re-renders every sortable on each drag state change (pick up,
 * each hover, drop, any reorder of its list), and those renders stop at this boundary.
 */
export const TaskCardBody = memo(function TaskCardBody(props: BodyProps) {
  const { task } = props
  const { membersById, labelsById, userId, doc, fields } = useBoardEnv()
  const shownFields = cardFields(fields, task.fields)
  const mark = useCardMark(task.id)
  const overdue = task.dueDate !== null && task.completedAt === null && task.dueDate < localToday()
  const progress = task.subtaskProgress
  return (
    <>
      {task.labelIds.length > 0 && (
        <div className="mb-1.5 flex flex-wrap gap-1">
          {task.labelIds.map((id) => {
            const label = labelsById.get(id)
            if (!label) return null
            return (
              <span
                key={id}
                className="rounded px-1.5 py-0.5 text-[11px] font-medium text-white"
                style={{ backgroundColor: label.color }}
              >
                {label.name}
              </span>
            )
          })}
        </div>
      )}
      {task.parentTitle !== null && (
        <p
          className="mb-0.5 flex min-w-0 items-center gap-1 text-[11px] text-slate-500"
          data-testid="card-parent"
          title={`Subtask of ${task.parentTitle || 'Untitled'}`}
        >
          <CornerLeftUp className="size-3 shrink-0" />
          <span className="truncate">{task.parentTitle || 'Untitled'}</span>
        </p>
      )}
      <p className="break-words text-sm font-medium" data-testid="task-title">
        <AwayDot mark={mark} className="mr-1.5 align-middle" />
        {task.title || 'Untitled'}
      </p>
      {shownFields.length > 0 && (
        <div className="mt-1.5 flex flex-wrap items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
          {shownFields.map((f) => (
            <span
              key={f.fieldId}
              className="flex max-w-full items-center gap-1"
              data-testid="card-field"
              title={f.name}
            >
              <span className="sr-only">{f.name}: </span>
              <FieldValueChips
                value={f}
                compact
                userName={(id) => membersById.get(id)?.name ?? 'Former member'}
              />
            </span>
          ))}
        </div>
      )}
      <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-500">
        {task.blockedBy.length > 0 && (
          <span
            data-testid="card-blocked"
            className="flex items-center gap-0.5 rounded bg-red-50 px-1.5 py-0.5 font-semibold text-red-700 dark:bg-red-950 dark:text-red-300"
            title={blockedTooltip(doc, task.blockedBy)}
            // A blocker renamed since this card rendered: read the names again when asked.
            onPointerEnter={(e) => {
              e.currentTarget.title = blockedTooltip(doc, task.blockedBy)
            }}
          >
            <Ban className="size-3" aria-hidden /> Blocked
          </span>
        )}
        {task.priority !== 'none' && (
          <span
            className={cx('flex items-center gap-0.5 capitalize', PRIORITY_STYLES[task.priority])}
          >
            <Flag className="size-3" /> {task.priority}
          </span>
        )}
        {task.dueDate && (
          <span
            data-overdue={overdue}
            className={cx('flex items-center gap-0.5', overdue && 'font-semibold text-red-600')}
          >
            <CalendarDays className="size-3" />{' '}
            <time dateTime={task.dueDate}>{viewerDates.day(task.dueDate)}</time>
          </span>
        )}
        {task.checklist.total > 0 && (
          <span
            className={cx(
              'flex items-center gap-0.5',
              task.checklist.done === task.checklist.total && 'text-emerald-600',
            )}
          >
            <CheckSquare className="size-3" /> {task.checklist.done}/{task.checklist.total}
          </span>
        )}
        {progress && (
          <span
            data-testid="card-subtasks"
            title={`Subtasks: ${progress.done} of ${progress.total} done${progress.points > 0 ? `, ${progress.donePoints} of ${progress.points} points` : ''}`}
            className={cx(
              'flex items-center gap-0.5',
              progress.done === progress.total && 'text-emerald-600',
            )}
          >
            <ListTree className="size-3" /> {progress.done}/{progress.total}
            {progress.points > 0 && (
              <span className="text-slate-400">
                {' '}
                · {progress.donePoints}/{progress.points} pts
              </span>
            )}
          </span>
        )}
        {task.commentCount > 0 && (
          <span
            className="flex items-center gap-0.5"
            data-testid="card-comments"
            title={`${task.commentCount} comment${task.commentCount === 1 ? '' : 's'}`}
          >
            <MessageSquare className="size-3" /> {task.commentCount}
          </span>
        )}
        <span className="flex-1" />
        {props.viewers.length > 0 && (
          <span
            className="flex items-center gap-0.5"
            data-testid="card-viewers"
            title="Also open by"
          >
            {props.viewers.map((v) => (
              <span
                key={v.clientId}
                className="size-2 rounded-full bg-emerald-500"
                title={v.name}
              />
            ))}
          </span>
        )}
        {task.assigneeIds.length > 0 && (
          <span className="flex -space-x-1.5">
            {task.assigneeIds.map((id) => (
              <Avatar key={id} id={id} name={membersById.get(id)?.name ?? '?'} size="xs" ring />
            ))}
          </span>
        )}
      </div>
      {task.replacedMovesBy.includes(userId) && <ReplacedMoveNotice taskId={task.id} />}
    </>
  )
}, sameBody)

function sameBody(a: BodyProps, b: BodyProps): boolean {
  return a.viewers === b.viewers && sameCard(a.task, b.task)
}

const CARD_CLASS =
  'rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-700 dark:bg-slate-800'

interface CardProps extends BodyProps {
  index: number
}

/**
 * A draggable card (the sortable shell around `TaskCardBody`); a click (or Enter) opens the
 * task panel. It re-renders with every drag state change, so it does little else.
 */
export const TaskCard = memo(function TaskCard(props: CardProps) {
  const { task, index } = props
  const { projectId, readOnly } = useBoardEnv()
  const navigate = useNavigate()
  const data = useMemo(
    (): DragData => ({ type: 'task', columnId: task.columnId, index }),
    [task.columnId, index],
  )
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: task.id,
    data,
    disabled: readOnly,
  })
  const marks = useTaskMarks(task.id)
  const mark = useCardMark(task.id)
  const open = () =>
    void navigate({
      to: '/projects/$projectId/tasks/$taskId',
      params: { projectId, taskId: task.id },
      search: true,
    })

  return (
    // biome-ignore lint/a11y/useSemanticElements lint/a11y/useFocusableInteractive: a card holds block content; dnd-kit's attributes give it tabIndex=0 and key handling
    <div
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      {...(readOnly ? { tabIndex: 0 } : attributes)}
      {...(readOnly ? {} : listeners)}
      role="button"
      aria-roledescription={readOnly ? undefined : 'draggable task'}
      // A button has no aria-selected: the selection is said in its name (and data-selected).
      aria-label={`${task.title || 'Untitled task'}${task.blockedBy.length > 0 ? ', blocked' : ''}${marks.selected ? ', selected' : ''}`}
      data-testid="task-card"
      data-task-id={task.id}
      data-selected={marks.selected || undefined}
      data-focused={marks.focused || undefined}
      data-away={mark === 'away' || undefined}
      data-step-change={mark === 'step' || undefined}
      onFocus={() => {
        if (boardSelection.get().focusedId !== task.id)
          boardSelection.set({ ...boardSelection.get(), focusedId: task.id })
      }}
      onClick={(e) => {
        // Shift-click selects a range, Ctrl/⌘-click one more task; a plain click opens it.
        if (e.shiftKey) boardSelection.update((s) => selectRange(s, selectionOrder(), task.id))
        else if (e.metaKey || e.ctrlKey) boardSelection.update((s) => toggle(s, task.id))
        else open()
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') open()
        else listeners?.onKeyDown?.(e)
      }}
      className={cx(
        CARD_CLASS,
        'cursor-pointer select-none hover:border-indigo-300 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:border-indigo-500',
        isDragging && 'opacity-40',
        marks.selected &&
          'border-indigo-500 bg-indigo-50 ring-2 ring-indigo-400 dark:bg-indigo-950',
        marks.focused && !marks.selected && 'border-indigo-300',
        mark === 'away' && !marks.selected && 'border-amber-400 ring-1 ring-amber-300',
        mark === 'step' && !marks.selected && 'border-sky-400 ring-1 ring-sky-300',
      )}
    >
      <TaskCardBody task={task} viewers={props.viewers} />
    </div>
  )
}, sameCardProps)

function sameCardProps(a: CardProps, b: CardProps): boolean {
  return a.index === b.index && sameBody(a, b)
}

const NO_VIEWERS: readonly PresenceUser[] = []

/** The card under the pointer while dragging; DragOverlay sizes it to the picked-up card. */
export function TaskCardOverlay(props: { task: CardTask }) {
  return (
    <div
      data-testid="drag-overlay"
      className={cx(CARD_CLASS, 'w-full rotate-2 cursor-grabbing shadow-xl')}
    >
      <TaskCardBody task={props.task} viewers={NO_VIEWERS} />
    </div>
  )
}
