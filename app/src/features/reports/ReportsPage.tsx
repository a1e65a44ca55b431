import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router'
import { ArrowLeft, CloudOff, RefreshCw } from 'lucide-react'
import { useMemo } from 'react'
import { getSummary, summarySchema } from '../../api/reports.api'
import { useProjectDoc } from '../../sync/use-project-doc'
import { Button } from '../../ui/primitives'
import { When } from '../../ui/When'
import { useProjectSummary } from '../projects/use-projects'
import { BurnupChart } from './BurnupChart'
import { Segmented } from './ChartCard'
import { CumulativeFlowChart } from './CumulativeFlowChart'
import { CycleTimeChart } from './CycleTimeChart'
import { browserTimeZone, lastDays, RANGE_CHOICES, type RangeDays } from './date-range'
import { cacheKey, type ReportContext, slugify } from './report-context'
import { SummaryTiles } from './SummaryTiles'
import { ThroughputChart } from './ThroughputChart'
import { useOnline, useRefreshTick } from './use-refresh'
import { useReport } from './use-report'
import { WorkloadChart } from './WorkloadChart'

export const DEFAULT_RANGE_DAYS: RangeDays = 30

/**
 * A project's reports, computed by the server. Holds the project's document open so the
 * charts refetch when the board changes here or on a teammate's device.
 */
export function ReportsPage() {
  const { projectId } = useParams({ from: '/_authed/projects/$projectId/reports' })
  const search = useSearch({ from: '/_authed/projects/$projectId/reports' })
  const navigate = useNavigate({ from: '/projects/$projectId/reports' })
  const days = search.range ?? DEFAULT_RANGE_DAYS
  const project = useProjectSummary(projectId)
  const { projectDoc } = useProjectDoc(projectId)
  const online = useOnline()
  const { tick, refresh } = useRefreshTick(projectDoc.doc)

  // A new range only when the length or the calendar day changes, not on every render.
  const timeZone = browserTimeZone()
  const range = lastDays(days, Date.now(), timeZone)
  const rangeKey = `${range.from}/${range.to}/${timeZone}`
  // biome-ignore lint/correctness/useExhaustiveDependencies: `rangeKey` names every field of `range`
  const ctx = useMemo<ReportContext>(
    () => ({
      projectId,
      projectSlug: slugify(project?.name ?? 'project'),
      days,
      range,
      tick,
      online,
    }),
    [projectId, project?.name, days, rangeKey, tick, online],
  )

  const summary = useReport({
    cacheKey: cacheKey(ctx, 'summary'),
    schema: summarySchema,
    load: () => getSummary(projectId, timeZone),
    tick,
    online,
  })

  return (
    <main className="mx-auto w-full max-w-6xl space-y-6 p-4 sm:p-8" data-testid="reports-page">
      <Link
        to="/projects/$projectId"
        params={{ projectId }}
        className="inline-flex items-center gap-1 text-sm text-indigo-600 hover:underline dark:text-indigo-400"
      >
        <ArrowLeft className="size-4" /> Back to the board
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="min-w-0 basis-full text-2xl font-bold tracking-tight sm:basis-0 sm:flex-1">
          {project?.name ?? 'Project'} · Reports
        </h1>
        <Segmented
          label="Date range"
          value={days}
          onChange={(range) => void navigate({ search: { range }, replace: true })}
          options={RANGE_CHOICES.map((d) => ({ value: d, label: `Last ${d} days` }))}
        />
        <Button
          variant="secondary"
          size="sm"
          onClick={refresh}
          disabled={!online}
          aria-label="Refresh reports"
        >
          <RefreshCw className={summary.loading ? 'size-4 animate-spin' : 'size-4'} />
          Refresh
        </Button>
      </div>
      {summary.offline ? (
        <p
          role="status"
          data-testid="reports-offline"
          className="flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          <CloudOff className="size-4 shrink-0" />
          {summary.fetchedAt !== null ? (
            <span>
              Reports need the server, which cannot be reached. Showing the figures from{' '}
              <When at={summary.fetchedAt} />.
            </span>
          ) : (
            'Reports need the server, which cannot be reached, and none were saved on this device yet.'
          )}
        </p>
      ) : (
        summary.fetchedAt !== null && (
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="reports-updated">
            Updated <When at={summary.fetchedAt} /> · refreshes when the board changes
          </p>
        )
      )}
      <SummaryTiles report={summary} />
      <div className="grid gap-4 lg:grid-cols-2">
        <CumulativeFlowChart ctx={ctx} />
        <BurnupChart ctx={ctx} />
        <ThroughputChart ctx={ctx} />
        <CycleTimeChart ctx={ctx} />
        <WorkloadChart ctx={ctx} />
      </div>
    </main>
  )
}
