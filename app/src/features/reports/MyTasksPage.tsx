import { Link } from '@tanstack/react-router'
import { CloudOff } from 'lucide-react'
import { getMyTasks, type MyTask, myTasksSchema } from '../../api/reports.api'
import { viewerDates } from '../../ui/dates'
import { cx, EmptyState, ErrorNote, Spinner } from '../../ui/primitives'
import { When } from '../../ui/When'
import { browserTimeZone } from './date-range'
import { useOnline, useRefreshTick } from './use-refresh'
import { useReport } from './use-report'

const CATEGORY_LABEL = { todo: 'To do', in_progress: 'In progress', done: 'Done' } as const

/**
 * Open tasks assigned to me across all my projects, soonest due first (the server's
 * order; undated last). Spans projects, so it polls instead of watching one document.
 */
export function MyTasksPage() {
  const online = useOnline()
  const { tick } = useRefreshTick(null)
  const timeZone = browserTimeZone()
  const report = useReport({
    cacheKey: 'reports.me',
    schema: myTasksSchema,
    load: () => getMyTasks(timeZone),
    tick,
    online,
  })
  const { data, error, offline, fetchedAt } = report

  return (
    <main className="mx-auto w-full max-w-4xl space-y-6 p-4 sm:p-8" data-testid="my-tasks-page">
      <h1 className="text-2xl font-bold tracking-tight">My tasks</h1>
      {offline && (
        <p
          role="status"
          data-testid="my-tasks-offline"
          className="flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          <CloudOff className="size-4 shrink-0" />
          {fetchedAt !== null ? (
            <span>
              This list needs the server, which cannot be reached. Showing it as it was{' '}
              <When at={fetchedAt} />.
            </span>
          ) : (
            'This list needs the server, which cannot be reached.'
          )}
        </p>
      )}
      {data === null ? (
        error ? (
          <ErrorNote message={error} />
        ) : (
          !offline && <Spinner label="Loading your tasks" />
        )
      ) : data.tasks.length === 0 ? (
        <EmptyState title="Nothing assigned to you">
          Tasks assigned to you on any board show up here, soonest due first.
        </EmptyState>
      ) : (
        <ul
          aria-label="Tasks assigned to me"
          className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {data.tasks.map((t) => (
            <MyTaskRow key={`${t.projectId}/${t.taskId}`} task={t} />
          ))}
        </ul>
      )}
    </main>
  )
}

function MyTaskRow({ task }: { task: MyTask }) {
  return (
    <li
      data-testid="my-task"
      data-overdue={task.overdue}
      className={cx(task.overdue && 'bg-red-50/60 dark:bg-red-950/30')}
    >
      <Link
        to="/projects/$projectId/tasks/$taskId"
        params={{ projectId: task.projectId, taskId: task.taskId }}
        className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50 dark:hover:bg-slate-800/60"
      >
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium" data-testid="my-task-title">
            {task.title}
          </span>
          <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
            {task.projectName}
            {task.columnName ? ` · ${task.columnName}` : ` · ${CATEGORY_LABEL[task.category]}`}
          </span>
        </span>
        {task.priority && task.priority !== 'none' && (
          <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium capitalize text-slate-600 dark:bg-slate-800 dark:text-slate-300">
            {task.priority}
          </span>
        )}
        {task.dueDate && (
          <span
            data-testid="my-task-due"
            className={cx(
              'text-sm tabular-nums',
              task.overdue
                ? 'font-semibold text-red-600 dark:text-red-400'
                : 'text-slate-500 dark:text-slate-400',
            )}
          >
            {task.overdue ? 'Overdue · ' : 'Due '}
            <time dateTime={task.dueDate}>{viewerDates.day(task.dueDate)}</time>
          </span>
        )}
      </Link>
    </li>
  )
}
