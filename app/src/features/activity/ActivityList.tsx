import { Link } from '@tanstack/react-router'
import type { ActivityEntry } from '../../api/collab.api'
import type { Member } from '../../api/schemas'
import { Avatar, Button, ErrorNote, Spinner } from '../../ui/primitives'
import { describeActivity, plainMentions } from './describe'
import type { useActivity } from './use-activity'

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** Activity entries with the author names the server attributed. */
export function ActivityList(props: {
  projectId: string
  state: ReturnType<typeof useActivity>
  membersById: ReadonlyMap<string, Member>
  withTask: boolean
}) {
  const { entries, error, hasMore, loadMore, loadingMore } = props.state
  const nameOf = (id: string) => {
    const m = props.membersById.get(id)
    return m ? m.name || m.email : 'someone'
  }
  if (error && !entries) return <p className="text-sm text-slate-500">{error}</p>
  if (!entries) return <Spinner label="Loading activity" />
  if (entries.length === 0) return <p className="text-sm text-slate-500">No activity yet.</p>
  return (
    <div className="space-y-2">
      <ol className="space-y-2" data-testid="activity-list">
        {entries.map((e: ActivityEntry) => {
          const text = plainMentions(
            describeActivity(e, { withTask: props.withTask, nameOf }),
            nameOf,
          )
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
                <div className="text-xs text-slate-500">
                  <time dateTime={e.at}>{timeFormat.format(new Date(e.at))}</time>
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
