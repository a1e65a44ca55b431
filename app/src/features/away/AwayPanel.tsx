import { useNavigate } from '@tanstack/react-router'
import { ChevronDown, ChevronUp, History, X } from 'lucide-react'
import { useState } from 'react'
import { Button } from '../../ui/primitives'
import { When } from '../../ui/When'
import { useBoardEnv } from '../board/board-context'
import { type CardMark, useAway } from './away-store'
import { describeAwayTask, people } from './away-text'
import { dismissAway } from './use-while-away'

/**
 * What others changed on this board since my last visit, per card: each entry opens the
 * card; "Dismiss" marks the board visited now. `onScrub` opens history mode over the window.
 */
export function AwayPanel(props: { onScrub?: (since: string) => void }) {
  const { summary, projectId } = useAway()
  const env = useBoardEnv()
  const navigate = useNavigate()
  const [open, setOpen] = useState(true)
  if (!summary || projectId !== env.projectId || summary.tasks.length === 0) return null
  const names = new Map(summary.users.map((u) => [u.id, u.name ?? 'A deleted account']))
  const nameOf = (id: string) => env.membersById.get(id)?.name ?? names.get(id) ?? 'Someone'
  const labelName = (id: string) => env.labelsById.get(id)?.name
  const count = summary.tasks.length + summary.moreTasks
  const authors = [...new Set(summary.tasks.flatMap((t) => t.userIds))]
  return (
    <section
      aria-label="While you were away"
      data-testid="away-panel"
      className="mx-4 mt-3 rounded-lg border border-amber-300 bg-amber-50 text-sm dark:border-amber-700 dark:bg-amber-950/40"
    >
      <div className="flex items-center gap-2 px-3 py-2">
        <span className="size-2 shrink-0 rounded-full bg-amber-500" aria-hidden />
        <p className="min-w-0 flex-1 truncate">
          <strong>While you were away</strong>{' '}
          <span data-testid="away-headline">
            {people(authors, nameOf)} changed {count} card{count === 1 ? '' : 's'}
          </span>{' '}
          <span className="text-slate-500">
            (since {summary.since && <When at={summary.since} />})
          </span>
        </p>
        {props.onScrub && summary.since && (
          <Button variant="ghost" size="sm" onClick={() => props.onScrub?.(summary.since!)}>
            <History className="size-4" /> Show in history
          </Button>
        )}
        <Button
          variant="ghost"
          size="sm"
          aria-expanded={open}
          aria-label={open ? 'Collapse the list' : 'Expand the list'}
          onClick={() => setOpen(!open)}
        >
          {open ? <ChevronUp className="size-4" /> : <ChevronDown className="size-4" />}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          data-testid="away-dismiss"
          onClick={() => dismissAway(env.projectId, env.userId)}
        >
          <X className="size-4" /> Dismiss
        </Button>
      </div>
      {open && (
        <ul className="max-h-48 overflow-y-auto border-t border-amber-200 px-1 py-1 dark:border-amber-800">
          {summary.tasks.map((t) => (
            <li key={t.taskId}>
              <button
                type="button"
                data-testid="away-item"
                data-task-id={t.taskId}
                onClick={() =>
                  void navigate({
                    to: '/projects/$projectId/tasks/$taskId',
                    params: { projectId: env.projectId, taskId: t.taskId },
                    search: true,
                  })
                }
                className="block w-full rounded px-2 py-1 text-left hover:bg-amber-100 dark:hover:bg-amber-900/40"
              >
                {describeAwayTask(t, { nameOf, labelName })}
              </button>
            </li>
          ))}
          {summary.moreTasks > 0 && (
            <li className="px-2 py-1 text-slate-500">…and {summary.moreTasks} more cards</li>
          )}
        </ul>
      )}
    </section>
  )
}

/** The mark on a card (any view): changed by others while I was away, or in the history step shown. */
export function AwayDot(props: { mark: CardMark; className?: string }) {
  if (props.mark === null) return null
  const text = props.mark === 'away' ? 'Changed while you were away' : 'Changed in this step'
  return (
    <span
      data-testid={props.mark === 'away' ? 'away-mark' : 'step-mark'}
      title={text}
      aria-label={text}
      role="img"
      className={`inline-block size-2 shrink-0 rounded-full ${props.mark === 'away' ? 'bg-amber-500' : 'bg-sky-500'} ${props.className ?? ''}`}
    />
  )
}
