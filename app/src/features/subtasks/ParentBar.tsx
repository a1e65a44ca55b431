import { boardTasks, boardViewStore, type TaskDetail, textWords } from '@taskflow/board'
import { ChevronRight, CornerLeftUp, X } from 'lucide-react'
import { Popover } from 'radix-ui'
import { useMemo, useState } from 'react'
import { Button, cx, Input } from '../../ui/primitives'
import { useBoardEnv } from '../board/board-context'
import { useOpenTask } from './Subtasks'
import { setParent } from './subtask-api'
import { parentCandidates } from './tree'
import { useBreadcrumb } from './use-subtasks'

type OnResult = (r: { ok: true } | { ok: false; error: { message: string } }) => void

/** Most tasks the picker lists at once: typing narrows it. */
const PICKER_LIMIT = 50

/**
 * Above the title: the task's ancestors (each opens its panel), and "Set parent…" /
 * "Remove parent" for editors.
 */
export function ParentBar({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly, userId } = useBoardEnv()
  const crumbs = useBreadcrumb(doc, task.id)
  const open = useOpenTask()
  if (readOnly && crumbs.length === 0) return null
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs text-slate-500">
      {crumbs.length > 0 && (
        <nav aria-label="Parent tasks" data-testid="breadcrumb" className="flex items-center gap-1">
          {crumbs.map((c, i) => (
            <span key={c.id} className="flex min-w-0 items-center gap-1">
              {i > 0 && <ChevronRight className="size-3 shrink-0" />}
              <button
                type="button"
                onClick={() => open(c.id)}
                className="max-w-48 truncate rounded px-1 hover:bg-slate-100 hover:text-slate-800 dark:hover:bg-slate-800 dark:hover:text-slate-200"
              >
                {c.title || 'Untitled'}
              </button>
            </span>
          ))}
        </nav>
      )}
      {!readOnly && task.deletedAt === null && (
        <>
          <ParentPicker task={task} onResult={onResult} />
          {task.parentId !== null && (
            <Button
              variant="ghost"
              size="sm"
              className="h-6 px-1.5 text-xs"
              onClick={() => onResult(setParent(doc, task.id, null, { userId }))}
            >
              <X className="size-3" /> Remove parent
            </Button>
          )}
        </>
      )}
    </div>
  )
}

/** "Set parent…": any task of the board but this one and its subtasks (no cycles). */
function ParentPicker({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, userId } = useBoardEnv()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  // Read once per opening: the list is a snapshot, the board does not re-render it.
  const candidates = useMemo(
    () => (open ? parentCandidates(boardTasks(boardViewStore(doc).getSnapshot()), task.id) : []),
    [open, doc, task.id],
  )
  const words = textWords(query)
  const shown = candidates
    .filter((t) => words.every((w) => t.title.toLowerCase().includes(w)))
    .slice(0, PICKER_LIMIT)
  const choose = (parentId: string) => {
    onResult(setParent(doc, task.id, parentId, { userId }))
    setOpen(false)
  }
  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        setQuery('')
        setActive(0)
      }}
    >
      <Popover.Trigger asChild>
        <Button variant="ghost" size="sm" className="h-6 px-1.5 text-xs">
          <CornerLeftUp className="size-3" />{' '}
          {task.parentId === null ? 'Set parent…' : 'Change parent…'}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={4}
          collisionPadding={8}
          data-testid="parent-picker"
          className="z-50 w-80 rounded-lg border border-slate-200 bg-white p-2 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <Input
            autoFocus
            aria-label="Find a parent task"
            placeholder="Find a task…"
            className="h-8"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value)
              setActive(0)
            }}
            onKeyDown={(e) => {
              // ↑/↓ pick among the matches, Enter chooses: the list never needs the focus.
              if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, shown.length - 1))
              else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0))
              else if (e.key === 'Enter' && shown[active]) choose(shown[active].id)
              else return
              e.preventDefault()
            }}
          />
          <ul aria-label="Tasks" className="mt-2 max-h-64 overflow-y-auto">
            {shown.length === 0 && <li className="px-2 py-1 text-slate-500">No matching task</li>}
            {shown.map((t, i) => (
              <li key={t.id}>
                <button
                  type="button"
                  data-active={i === active || undefined}
                  aria-current={t.id === task.parentId ? 'true' : undefined}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => choose(t.id)}
                  className={cx(
                    'block w-full truncate rounded px-2 py-1 text-left',
                    i === active && 'bg-indigo-50 dark:bg-indigo-950',
                    t.id === task.parentId && 'font-semibold',
                  )}
                >
                  {t.title || 'Untitled'}
                </button>
              </li>
            ))}
          </ul>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
