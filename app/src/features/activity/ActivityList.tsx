import { Link } from '@tanstack/react-router'
import { lazy, Suspense } from 'react'
import type { ActivityEntry } from '../../api/collab.api'
import type { Member } from '../../api/schemas'
import { Avatar, Button, ErrorNote, Spinner } from '../../ui/primitives'
import { When } from '../../ui/When'
import { commentExcerpt, describeActivity, plainMentions } from './describe'
import type { useActivity } from './use-activity'

// The comment thread's renderer (sanitized markdown, mention chips), loaded with the first
// comment entry shown.
const CommentMarkdown = lazy(() => import('../task/comment-markdown'))

/** Activity entries with the author names the server attributed. */
export function ActivityList(props: {
  projectId: string
  state: ReturnType<typeof useActivity>
  membersById: ReadonlyMap<string, Member>
  /** The board's labels, naming labels in entries written before entries carried names. */
  labelsById?: ReadonlyMap<string, { name: string }>
  withTask: boolean
}) {
  const { entries, error, hasMore, loadMore, loadingMore } = props.state
  const nameOf = (id: string) => {
    const m = props.membersById.get(id)
    return m ? m.name || m.email : 'someone'
  }
  const labelName = (id: string) => props.labelsById?.get(id)?.name
  if (error && !entries) return <p className="text-sm text-slate-500">{error}</p>
  if (!entries) return <Spinner label="Loading activity" />
  if (entries.length === 0) return <p className="text-sm text-slate-500">No activity yet.</p>
  return (
    <div className="space-y-2">
      <ol className="space-y-2" data-testid="activity-list">
        {entries.map((e: ActivityEntry) => {
          const text = describeActivity(e, { withTask: props.withTask, nameOf, labelName })
          const excerpt = commentExcerpt(e)
          const name = e.userName || (e.userId ? nameOf(e.userId) : 'TaskFlow')
          return (
            <li key={e.id} className="flex gap-2 text-sm" data-testid="activity-entry">
              <Avatar id={e.userId ?? 'system'} name={name} size="xs" />
              <div className="min-w-0 flex-1">
                <span className="font-medium">{name}</span>{' '}
                {props.withTask && e.taskId ? (
                  <Link
                    to="/projects/$projectId/tasks/$taskId"
                    params={{ projectId: props.projectId, taskId: e.taskId }}
                    className="text-slate-700 hover:underline dark:text-slate-300"
                  >
                    {text}
                  </Link>
                ) : (
                  <span className="text-slate-700 dark:text-slate-300">{text}</span>
                )}
                {excerpt && (
                  // Outside the link above: the comment may hold links of its own.
                  <div
                    className="mt-1 border-l-2 border-slate-200 pl-2 break-words text-slate-700 dark:border-slate-700 dark:text-slate-300"
                    data-testid="activity-comment"
                  >
                    <Suspense fallback={<p>{plainMentions(excerpt, nameOf)}</p>}>
                      <CommentMarkdown text={excerpt} membersById={props.membersById} />
                    </Suspense>
                  </div>
                )}
                <div className="text-xs text-slate-500">
                  <When at={e.at} />
                </div>
              </div>
            </li>
          )
        })}
      </ol>
      <ErrorNote message={error} />
      {hasMore && (
        <Button size="sm" variant="secondary" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Show older'}
        </Button>
      )}
    </div>
  )
}
