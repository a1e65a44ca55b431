import { restoreTask, type TaskSummary } from '@taskflow/board'
import { Trash2 } from 'lucide-react'
import { Popover } from 'radix-ui'
import { useMemo } from 'react'
import { Button } from '../../ui/primitives'
import { trashRoots } from '../subtasks/tree'
import { useBoardEnv } from './board-context'

/** Deleted tasks, newest first, each with Restore (a parent with its trashed subtasks). */
export function TrashMenu({ trash }: { trash: readonly TaskSummary[] }) {
  const { doc, readOnly } = useBoardEnv()
  // A parent trashed with its subtasks is one entry: restoring it brings them all back.
  const roots = useMemo(() => trashRoots(trash), [trash])
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Trash (${trash.length})`}>
          <Trash2 className="size-4" />
          <span className="tabular-nums">{trash.length}</span>
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          className="z-40 max-h-96 w-72 overflow-y-auto rounded-lg border border-slate-200 bg-white p-2 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <p className="px-1 pb-2 text-xs font-semibold text-slate-500 uppercase">Trash</p>
          {trash.length === 0 && <p className="px-1 pb-1 text-slate-500">Nothing deleted.</p>}
          <ul className="space-y-1">
            {roots.map(({ task: t, subtasks }) => (
              <li
                key={t.id}
                className="flex items-center gap-2 rounded px-1 py-1"
                data-testid="trash-item"
              >
                <span className="min-w-0 flex-1 truncate">
                  {t.title || 'Untitled'}
                  {subtasks > 0 && (
                    <span className="ml-1 text-xs text-slate-500" data-testid="trash-subtasks">
                      + {subtasks} subtask{subtasks === 1 ? '' : 's'}
                    </span>
                  )}
                </span>
                {!readOnly && (
                  <Button variant="secondary" size="sm" onClick={() => restoreTask(doc, t.id)}>
                    Restore
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
