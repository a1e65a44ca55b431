import { Link, useParams } from '@tanstack/react-router'
import { ArrowLeft } from 'lucide-react'
import { useMemo, useState } from 'react'
import { useLabels } from '../../sync/use-board'
import { useProjectDoc } from '../../sync/use-project-doc'
import { useMembers } from '../projects/use-members'
import { useProjectSummary } from '../projects/use-projects'
import { ActivityList } from './ActivityList'
import { useActivity } from './use-activity'

/** A project's activity feed, newest first, paginated. */
export function ActivityPage() {
  const { projectId } = useParams({ from: '/_authed/projects/$projectId/activity' })
  const project = useProjectSummary(projectId)
  const { members } = useMembers(projectId)
  const membersById = useMemo(() => new Map((members ?? []).map((m) => [m.userId, m])), [members])
  // The board on this device names labels of entries written before entries carried names.
  const { projectDoc } = useProjectDoc(projectId)
  const labels = useLabels(projectDoc.doc)
  const labelsById = useMemo(() => new Map(labels.map((l) => [l.id, l])), [labels])
  const [userId, setUserId] = useState('')
  const state = useActivity(projectId, { userId: userId || undefined })
  return (
    <main className="mx-auto w-full max-w-3xl space-y-4 p-4 sm:p-8" data-testid="activity-page">
      <Link
        to="/projects/$projectId"
        params={{ projectId }}
        className="inline-flex items-center gap-1 text-sm text-slate-500 hover:underline"
      >
        <ArrowLeft className="size-4" /> Back to the board
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">
        Activity{project ? ` — ${project.name}` : ''}
      </h1>
      <label className="flex items-center gap-2 text-sm">
        <span className="text-slate-500">Show</span>
        <select
          aria-label="Filter by member"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="">Everyone</option>
          {(members ?? []).map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name || m.email}
            </option>
          ))}
        </select>
      </label>
      <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <ActivityList
          projectId={projectId}
          state={state}
          membersById={membersById}
          labelsById={labelsById}
          withTask
        />
      </div>
    </main>
  )
}
