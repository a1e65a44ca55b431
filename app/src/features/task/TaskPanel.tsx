import { useNavigate, useParams } from '@tanstack/react-router'
import {
  addChecklistItem,
  createLabel,
  deleteChecklistItem,
  deleteTask,
  MAX_CHECKLIST_TEXT,
  MAX_LABEL_NAME,
  moveChecklistItem,
  PRIORITIES,
  type Priority,
  restoreTask,
  type TaskDetail,
  updateChecklistItem,
  updateTask,
} from '@taskflow/board'
import { ArrowDown, ArrowUp, ListTree, MoreHorizontal, Trash2, X } from 'lucide-react'
import { Dialog, DropdownMenu } from 'radix-ui'
import { type ReactNode, useEffect, useState } from 'react'
import { errorMessage } from '../../api/client'
import { restoreFromHistory } from '../../api/history.api'
import { setViewingTask, usePresence } from '../../sync/presence'
import { refusalText } from '../../ui/length-limit'
import { Avatar, Button, cx, ErrorNote, Input } from '../../ui/primitives'
import { When } from '../../ui/When'
import { ActivityList } from '../activity/ActivityList'
import { useActivity } from '../activity/use-activity'
import { TaskAttachments } from '../attachments/Attachments'
import { panelTask } from '../board/board-commands'
import { useBoardEnv } from '../board/board-context'
import { InlineAdd } from '../board/InlineAdd'
import { TaskFieldValues } from '../fields/TaskFieldValues'
import { useHistoryAt } from '../history/history-store'
import { TaskHistory } from '../history/TaskHistory'
import { useMarkTaskRead } from '../notifications/use-mark-task-read'
import { ParentBar } from '../subtasks/ParentBar'
import { Subtasks } from '../subtasks/Subtasks'
import { convertChecklistItem, countLiveDescendants } from '../subtasks/subtask-api'
import { MENU_CONTENT, MENU_ITEM } from '../views/FilterBar'
import { CollabTextField } from './CollabTextField'
import { Comments } from './Comments'
import { DescriptionField } from './DescriptionField'
import { Relations } from './Relations'
import { useTask } from './use-task'
import { WatchToggle } from './WatchToggle'

/** Task detail over the board, at `/projects/:projectId/tasks/:taskId`. */
export function TaskPanelRoute() {
  const { projectId, taskId } = useParams({ from: '/_authed/projects/$projectId/tasks/$taskId' })
  const navigate = useNavigate()
  // Back to the view the panel was opened from: its filters stay in the URL.
  const close = () =>
    void navigate({ to: '/projects/$projectId', params: { projectId }, search: true })
  return (
    <Dialog.Root open onOpenChange={(open) => !open && close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-30 bg-slate-900/30" />
        <Dialog.Content
          data-testid="task-panel"
          aria-describedby={undefined}
          onEscapeKeyDown={(e) => {
            // Escape in an inline "add" field closes that field, not the whole panel.
            if (e.target instanceof HTMLElement && e.target.dataset.escapeClosesSelf)
              e.preventDefault()
          }}
          className="fixed inset-y-0 right-0 z-30 flex w-full max-w-xl flex-col overflow-y-auto border-l border-slate-200 bg-white shadow-2xl focus:outline-none dark:border-slate-800 dark:bg-slate-900"
        >
          <TaskPanelBody taskId={taskId} onClose={close} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function TaskPanelBody({ taskId, onClose }: { taskId: string; onClose: () => void }) {
  const env = useBoardEnv()
  const { doc, readOnly } = env
  const task = useTask(doc, taskId)
  const [error, setError] = useState<string | null>(null)
  const { provider } = env
  const presence = usePresence(provider, env.membersById)
  const others = presence.filter((p) => !p.isMe && p.taskId === taskId)

  useMarkTaskRead(taskId)

  useEffect(() => {
    setViewingTask(provider, taskId)
    return () => setViewingTask(provider, null)
  }, [provider, taskId])
  // While open, ⌘K's "Create subtask" acts on this task (whichever card has focus).
  useEffect(() => {
    panelTask.id = taskId
    return () => {
      if (panelTask.id === taskId) panelTask.id = null
    }
  }, [taskId])

  const apply = (r: { ok: true } | { ok: false; error: { message: string } }) =>
    setError(r.ok ? null : refusalText(r.error.message))
  const [tab, setTab] = useState<'details' | 'history'>('details')
  const history = useHistoryAt()

  return (
    <>
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <Dialog.Title className="text-sm font-semibold text-slate-500">Task</Dialog.Title>
        <div className="flex -space-x-1.5" data-testid="task-viewers">
          {others.map((p) => (
            <Avatar
              key={p.clientId}
              id={p.userId}
              name={p.name}
              title={`${p.name} is here`}
              size="xs"
              ring
            />
          ))}
        </div>
        <div className="flex-1" />
        <WatchToggle projectId={env.projectId} taskId={taskId} />
        <Dialog.Close asChild>
          <Button variant="ghost" size="sm" aria-label="Close task">
            <X className="size-4" />
          </Button>
        </Dialog.Close>
      </div>
      <div
        className="flex gap-1 border-b border-slate-200 px-4 dark:border-slate-800"
        role="tablist"
      >
        {(['details', 'history'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            data-testid={`task-tab-${t}`}
            onClick={() => setTab(t)}
            className={cx(
              '-mb-px border-b-2 px-3 py-2 text-sm font-medium capitalize',
              tab === t
                ? 'border-indigo-500 text-indigo-700 dark:text-indigo-300'
                : 'border-transparent text-slate-500 hover:text-slate-700',
            )}
          >
            {t}
          </button>
        ))}
      </div>
      {history && history.projectId === env.projectId && (
        <HistoryRestoreNote taskId={taskId} at={history.at} canRestore={!readOnly} />
      )}
      {tab === 'history' ? (
        <div className="p-4">
          <TaskHistory taskId={taskId} />
        </div>
      ) : !task ? (
        <p className="p-6 text-sm text-slate-500">
          This task is not on this device yet, or does not exist.
        </p>
      ) : (
        <div className="space-y-5 p-4">
          {task.deletedAt !== null && (
            <div className="flex items-center gap-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950 dark:text-amber-200">
              <span className="flex-1">This task is in the trash.</span>
              {!readOnly && (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => apply(restoreTask(doc, taskId))}
                >
                  Restore
                </Button>
              )}
            </div>
          )}
          <ParentBar task={task} onResult={apply} />
          <CollabTextField
            doc={doc}
            taskId={taskId}
            field="title"
            readOnly={readOnly}
            label="Title"
            className="text-lg font-semibold"
          />
          <Section title="Description">
            <DescriptionField task={task} />
          </Section>
          <FieldsGrid task={task} onResult={apply} />
          <CustomFields task={task} onResult={apply} />
          <Assignees task={task} onResult={apply} />
          <Labels task={task} onResult={apply} />
          <Subtasks task={task} onResult={apply} />
          <Checklist task={task} onResult={apply} />
          <Relations task={task} onResult={apply} />
          <TaskAttachments taskId={taskId} />
          <ErrorNote message={error} />
          <Comments task={task} />
          <TaskActivity task={task} />
          {!readOnly && task.deletedAt === null && (
            <TrashButton
              taskId={taskId}
              onTrash={() => {
                apply(deleteTask(doc, taskId))
                onClose()
              }}
            />
          )}
        </div>
      )}
    </>
  )
}

/**
 * Opened from history mode: the panel shows the task as it is now; this offers to bring it
 * back as it was at the instant the board shows (a new edit, members only).
 */
function HistoryRestoreNote(props: { taskId: string; at: string; canRestore: boolean }) {
  const { projectId } = useBoardEnv()
  const [note, setNote] = useState<string | null>(null)
  return (
    <div
      className="mx-4 mt-3 flex flex-wrap items-center gap-2 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:bg-sky-950 dark:text-sky-100"
      data-testid="history-restore-note"
    >
      <span className="flex-1">
        History shows the board at <When at={props.at} />; this panel shows the task now.
      </span>
      {props.canRestore && (
        <Button
          size="sm"
          variant="secondary"
          data-testid="history-restore-task"
          onClick={() =>
            restoreFromHistory(projectId, { at: props.at, taskId: props.taskId }).then(
              (r) => setNote(r.changed ? 'Restored as it was then.' : 'Already as it was then.'),
              (err) => setNote(errorMessage(err)),
            )
          }
        >
          Restore as it was then
        </Button>
      )}
      {note && <span className="w-full text-xs">{note}</span>}
    </div>
  )
}

/**
 * "Move to trash"; a task with subtasks first says how many go with it (restoring it brings
 * them back), and a second click confirms.
 */
function TrashButton({ taskId, onTrash }: { taskId: string; onTrash: () => void }) {
  const { doc } = useBoardEnv()
  const [confirming, setConfirming] = useState<number | null>(null)
  if (confirming === null) {
    return (
      <Button
        variant="secondary"
        className="text-red-600"
        onClick={() => {
          const n = countLiveDescendants(doc, taskId)
          if (n === 0) onTrash()
          else setConfirming(n)
        }}
      >
        <Trash2 className="size-4" /> Move to trash
      </Button>
    )
  }
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <span className="flex-1" data-testid="trash-subtree-note">
        Its {confirming} subtask{confirming === 1 ? '' : 's'} go{confirming === 1 ? 'es' : ''} to
        the trash with it; restoring it brings them back.
      </span>
      <Button variant="danger" size="sm" onClick={onTrash}>
        Move {confirming + 1} tasks to trash
      </Button>
      <Button variant="secondary" size="sm" onClick={() => setConfirming(null)}>
        Cancel
      </Button>
    </div>
  )
}

function TaskActivity({ task }: { task: TaskDetail }) {
  const { projectId, membersById, labelsById } = useBoardEnv()
  // Refreshed (debounced in the hook) when the task changes: the server logs it shortly after.
  const state = useActivity(projectId, { taskId: task.id, refreshKey: task })
  return (
    <Section title="Activity">
      <ActivityList
        projectId={projectId}
        state={state}
        membersById={membersById}
        labelsById={labelsById}
        withTask={false}
      />
    </Section>
  )
}

export type OnResult = (r: { ok: true } | { ok: false; error: { message: string } }) => void

function Section(props: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="space-y-2">
      <div className="flex items-center">
        <h3 className="flex-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
          {props.title}
        </h3>
        {props.action}
      </div>
      {props.children}
    </section>
  )
}

const selectClass =
  'h-10 w-full rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900'

function FieldsGrid({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly } = useBoardEnv()
  const set = (patch: Parameters<typeof updateTask>[2]) => onResult(updateTask(doc, task.id, patch))
  return (
    <div className="grid grid-cols-2 gap-3 text-sm">
      <label className="space-y-1">
        <span className="text-xs font-medium text-slate-500">Priority</span>
        <select
          className={selectClass}
          value={task.priority}
          disabled={readOnly}
          aria-label="Priority"
          onChange={(e) => set({ priority: e.target.value as Priority })}
        >
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p === 'none' ? 'No priority' : p[0]!.toUpperCase() + p.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label className="space-y-1">
        <span className="text-xs font-medium text-slate-500">Estimate (points)</span>
        <Input
          type="number"
          min={0}
          aria-label="Estimate"
          disabled={readOnly}
          value={task.estimate ?? ''}
          onChange={(e) => set({ estimate: e.target.value === '' ? null : Number(e.target.value) })}
        />
      </label>
      <label className="space-y-1">
        <span className="text-xs font-medium text-slate-500">Start date</span>
        <Input
          type="date"
          aria-label="Start date"
          disabled={readOnly}
          value={task.startDate ?? ''}
          onChange={(e) => set({ startDate: e.target.value || null })}
        />
      </label>
      <label className="space-y-1">
        <span className="text-xs font-medium text-slate-500">Due date</span>
        <Input
          type="date"
          aria-label="Due date"
          disabled={readOnly}
          value={task.dueDate ?? ''}
          onChange={(e) => set({ dueDate: e.target.value || null })}
        />
      </label>
    </div>
  )
}

function CustomFields({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly, fields, membersById } = useBoardEnv()
  if (fields.length === 0) return null
  return (
    <Section title="Fields">
      <TaskFieldValues
        doc={doc}
        taskId={task.id}
        fields={fields}
        values={task.fields}
        readOnly={readOnly}
        members={[...membersById.values()].filter((m) => m.role !== 'viewer')}
        onResult={onResult}
      />
    </Section>
  )
}

function toggle(list: readonly string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id]
}

function Chip(props: {
  active: boolean
  disabled: boolean
  onClick: () => void
  children: ReactNode
  color?: string
}) {
  return (
    <button
      type="button"
      aria-pressed={props.active}
      disabled={props.disabled}
      onClick={props.onClick}
      style={
        props.active && props.color
          ? { backgroundColor: props.color, borderColor: props.color }
          : undefined
      }
      className={cx(
        'inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium transition-colors disabled:cursor-default',
        props.active
          ? props.color
            ? 'text-white'
            : 'border-indigo-600 bg-indigo-600 text-white'
          : 'border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800',
      )}
    >
      {props.children}
    </button>
  )
}

/**
 * Members to pick as assignees. Viewers cannot work on a task, so they are not offered; a
 * viewer assigned already (before a role change, or by a merge) is still shown, to be removed.
 */
export function Assignees({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly, membersById } = useBoardEnv()
  const members = [...membersById.values()].filter(
    (m) => m.role !== 'viewer' || task.assigneeIds.includes(m.userId),
  )
  return (
    <Section title="Assignees">
      {members.length === 0 && (
        <p className="text-sm text-slate-500">Members appear here once loaded.</p>
      )}
      <div className="flex flex-wrap gap-2">
        {members.map((m) => (
          <Chip
            key={m.userId}
            active={task.assigneeIds.includes(m.userId)}
            disabled={readOnly}
            onClick={() =>
              onResult(
                updateTask(doc, task.id, { assigneeIds: toggle(task.assigneeIds, m.userId) }),
              )
            }
          >
            <Avatar id={m.userId} name={m.name || m.email} size="xs" />
            {m.name || m.email}
          </Chip>
        ))}
      </div>
    </Section>
  )
}

const LABEL_COLORS = ['#ef4444', '#f59e0b', '#10b981', '#3b82f6', '#8b5cf6', '#ec4899', '#64748b']

function Labels({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly, labelsById } = useBoardEnv()
  const [color, setColor] = useState(LABEL_COLORS[0]!)
  return (
    <Section title="Labels">
      <div className="flex flex-wrap gap-2">
        {[...labelsById.values()].map((l) => (
          <Chip
            key={l.id}
            color={l.color}
            active={task.labelIds.includes(l.id)}
            disabled={readOnly}
            onClick={() =>
              onResult(updateTask(doc, task.id, { labelIds: toggle(task.labelIds, l.id) }))
            }
          >
            <span className="size-2 rounded-full" style={{ backgroundColor: l.color }} />
            {l.name}
          </Chip>
        ))}
      </div>
      {!readOnly && (
        <div className="flex items-center gap-2">
          <input
            type="color"
            aria-label="New label colour"
            value={color}
            onChange={(e) => setColor(e.target.value)}
            className="h-8 w-10 cursor-pointer rounded border border-slate-300 bg-transparent dark:border-slate-700"
          />
          <InlineAdd
            label="New label"
            placeholder="Label name"
            max={MAX_LABEL_NAME}
            onAdd={(name) => {
              const r = createLabel(doc, { name, color })
              if (!r.ok) return r
              onResult(updateTask(doc, task.id, { labelIds: [...task.labelIds, r.value.id] }))
              return r
            }}
          />
        </div>
      )}
    </Section>
  )
}

function Checklist({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly, userId } = useBoardEnv()
  const items = task.checklistItems
  const done = items.filter((i) => i.done).length
  return (
    <Section title={`Checklist ${items.length > 0 ? `${done}/${items.length}` : ''}`}>
      <ul className="space-y-1" data-testid="checklist">
        {items.map((item, index) => (
          <li
            key={item.id}
            className="group flex items-center gap-2 rounded px-1 py-1 hover:bg-slate-50 dark:hover:bg-slate-800"
          >
            <input
              type="checkbox"
              checked={item.done}
              disabled={readOnly}
              aria-label={`Done: ${item.text}`}
              onChange={(e) =>
                onResult(updateChecklistItem(doc, task.id, item.id, { done: e.target.checked }))
              }
            />
            <span className={cx('flex-1 text-sm', item.done && 'text-slate-400 line-through')}>
              {item.text}
            </span>
            {!readOnly && (
              <span className="flex opacity-0 group-focus-within:opacity-100 group-hover:opacity-100">
                <button
                  type="button"
                  aria-label={`Move up: ${item.text}`}
                  disabled={index === 0}
                  className="p-1 disabled:opacity-30"
                  onClick={() => onResult(moveChecklistItem(doc, task.id, item.id, index - 1))}
                >
                  <ArrowUp className="size-3.5" />
                </button>
                <button
                  type="button"
                  aria-label={`Move down: ${item.text}`}
                  disabled={index === items.length - 1}
                  className="p-1 disabled:opacity-30"
                  onClick={() => onResult(moveChecklistItem(doc, task.id, item.id, index + 1))}
                >
                  <ArrowDown className="size-3.5" />
                </button>
                <button
                  type="button"
                  aria-label={`Delete: ${item.text}`}
                  className="p-1 text-red-600"
                  onClick={() => onResult(deleteChecklistItem(doc, task.id, item.id))}
                >
                  <X className="size-3.5" />
                </button>
                <DropdownMenu.Root>
                  <DropdownMenu.Trigger asChild>
                    <button type="button" aria-label={`More actions: ${item.text}`} className="p-1">
                      <MoreHorizontal className="size-3.5" />
                    </button>
                  </DropdownMenu.Trigger>
                  <DropdownMenu.Portal>
                    <DropdownMenu.Content align="end" sideOffset={4} className={MENU_CONTENT}>
                      <DropdownMenu.Item
                        className={MENU_ITEM}
                        onSelect={() =>
                          onResult(convertChecklistItem(doc, task.id, item.id, { userId }))
                        }
                      >
                        <ListTree className="size-3.5" /> Convert to subtask
                      </DropdownMenu.Item>
                    </DropdownMenu.Content>
                  </DropdownMenu.Portal>
                </DropdownMenu.Root>
              </span>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <InlineAdd
          label="Add item"
          placeholder="Checklist item"
          max={MAX_CHECKLIST_TEXT}
          onAdd={(text) => addChecklistItem(doc, task.id, { text })}
        />
      )}
    </Section>
  )
}
