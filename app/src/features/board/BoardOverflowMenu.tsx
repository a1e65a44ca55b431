import { useNavigate } from '@tanstack/react-router'
import { restoreTask, type TaskSummary } from '@taskflow/board'
import { Activity, ChartColumn, ChevronRight, Ellipsis, Settings, Trash2 } from 'lucide-react'
import { DropdownMenu } from 'radix-ui'
import { Button } from '../../ui/primitives'
import { trashRoots } from '../subtasks/tree'
import { useBoardEnv } from './board-context'

const ITEM =
  'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-disabled:cursor-default data-disabled:text-slate-400 data-highlighted:bg-slate-100 dark:data-highlighted:bg-slate-800'
const CONTENT =
  'z-40 max-h-[min(24rem,var(--radix-dropdown-menu-content-available-height))] min-w-48 max-w-[calc(100vw-1rem)] overflow-y-auto rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900'

/**
 * The board toolbar's less used actions in one "⋯" menu, for narrow screens (phones) where
 * they do not fit in one row beside the sync state and undo. Radix's menu gives the keyboard
 * behaviour (arrows, Enter, Escape, → into the trash).
 */
export function BoardOverflowMenu(props: {
  projectId: string
  trash: readonly TaskSummary[]
  /** Activity, reports and settings need the server's answer about access. */
  serverLinks: boolean
}) {
  const { doc, readOnly } = useBoardEnv()
  const navigate = useNavigate()
  const params = { projectId: props.projectId }
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" size="sm" aria-label="More board actions" data-testid="board-more">
          <Ellipsis className="size-4" />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} collisionPadding={8} className={CONTENT}>
          {props.serverLinks && (
            <>
              <DropdownMenu.Item
                className={ITEM}
                onSelect={() => void navigate({ to: '/projects/$projectId/activity', params })}
              >
                <Activity className="size-4" /> Activity
              </DropdownMenu.Item>
              <DropdownMenu.Item
                className={ITEM}
                onSelect={() => void navigate({ to: '/projects/$projectId/reports', params })}
              >
                <ChartColumn className="size-4" /> Reports
              </DropdownMenu.Item>
              <DropdownMenu.Item
                className={ITEM}
                onSelect={() => void navigate({ to: '/projects/$projectId/settings', params })}
              >
                <Settings className="size-4" /> Project settings
              </DropdownMenu.Item>
            </>
          )}
          <DropdownMenu.Sub>
            <DropdownMenu.SubTrigger className={ITEM}>
              <Trash2 className="size-4" /> Trash ({props.trash.length})
              <ChevronRight className="ml-auto size-4" />
            </DropdownMenu.SubTrigger>
            <DropdownMenu.Portal>
              <DropdownMenu.SubContent collisionPadding={8} className={CONTENT}>
                {props.trash.length === 0 && (
                  <DropdownMenu.Item className={ITEM} disabled>
                    Nothing deleted.
                  </DropdownMenu.Item>
                )}
                {trashRoots(props.trash).map(({ task: t, subtasks }) => (
                  <DropdownMenu.Item
                    key={t.id}
                    className={ITEM}
                    disabled={readOnly}
                    data-testid="trash-item"
                    onSelect={() => restoreTask(doc, t.id)}
                  >
                    <span className="min-w-0 flex-1 truncate">
                      {readOnly ? '' : 'Restore '}“{t.title || 'Untitled'}”
                      {subtasks > 0 && ` + ${subtasks} subtask${subtasks === 1 ? '' : 's'}`}
                    </span>
                  </DropdownMenu.Item>
                ))}
              </DropdownMenu.SubContent>
            </DropdownMenu.Portal>
          </DropdownMenu.Sub>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
}
