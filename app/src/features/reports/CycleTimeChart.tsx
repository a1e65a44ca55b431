import {
  CartesianGrid,
  ReferenceLine,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { cycleTimeSchema, getCycleTime } from '../../api/reports.api'
import { AXIS_PROPS, CHART_STYLE, ChartCard, COLORS, GRID_PROPS, TOOLTIP_STYLE } from './ChartCard'
import { toCsv } from './csv'
import { cacheKey, csvName, type ReportContext } from './report-context'
import { useReport } from './use-report'

const DAY_MS = 86_400_000

/** `1.25` → `1.3 d`; under a day in hours, which is what a reader compares. */
export function formatDuration(days: number): string {
  if (days < 1) return `${Math.max(0.1, Math.round(days * 240) / 10)} h`
  return `${Math.round(days * 10) / 10} d`
}

const dayLabel = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })

/** Each completed task by completion time and cycle time, with the median and 85th percentile. */
export function CycleTimeChart({ ctx }: { ctx: ReportContext }) {
  const report = useReport({
    cacheKey: cacheKey(ctx, 'cycle-time', `${ctx.days}d`),
    schema: cycleTimeSchema,
    load: () => getCycleTime(ctx.projectId, ctx.range),
    tick: ctx.tick,
    online: ctx.online,
  })
  const stats = report.data
  return (
    <ChartCard
      id="cycle-time"
      title="Cycle time"
      subtitle={
        stats && stats.count > 0 && stats.medianDays !== null && stats.p85Days !== null
          ? `${stats.count} ${stats.count === 1 ? 'task' : 'tasks'} · median ${formatDuration(stats.medianDays)} · 85% within ${formatDuration(stats.p85Days)}`
          : 'From first “in progress” to done'
      }
      report={report}
      isEmpty={(d) => d.count === 0}
      emptyText="No task went from in progress to done in this range yet."
      csv={(d) => ({
        filename: csvName(ctx, 'cycle-time'),
        text: toCsv(
          [
            { header: 'task_id', value: (r) => r.taskId },
            { header: 'title', value: (r) => r.title },
            { header: 'started_at', value: (r) => r.startedAt },
            { header: 'completed_at', value: (r) => r.completedAt },
            { header: 'cycle_time_days', value: (r) => (r.cycleTimeMs / DAY_MS).toFixed(3) },
          ],
          d.tasks,
        ),
      })}
    >
      {(d) => {
        const points = d.tasks.map((t) => ({
          title: t.title,
          completed: Date.parse(t.completedAt),
          days: t.cycleTimeMs / DAY_MS,
        }))
        return (
          <ScatterChart responsive style={CHART_STYLE}>
            <CartesianGrid {...GRID_PROPS} />
            <XAxis
              type="number"
              dataKey="completed"
              name="Completed"
              domain={['dataMin', 'dataMax']}
              scale="time"
              tickFormatter={dayLabel}
              {...AXIS_PROPS}
            />
            <YAxis
              type="number"
              dataKey="days"
              name="Cycle time"
              unit=" d"
              width={44}
              {...AXIS_PROPS}
            />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              content={({ active, payload }) => {
                const p = payload?.[0]?.payload as (typeof points)[number] | undefined
                if (!active || !p) return null
                return (
                  <div style={TOOLTIP_STYLE} className="px-2 py-1">
                    <div className="font-medium">{p.title}</div>
                    <div>
                      {formatDuration(p.days)}, done {dayLabel(p.completed)}
                    </div>
                  </div>
                )
              }}
            />
            {d.medianDays !== null && (
              <ReferenceLine
                y={d.medianDays}
                stroke={COLORS.scope}
                strokeDasharray="4 4"
                label={{
                  value: 'median',
                  position: 'insideTopLeft',
                  fill: COLORS.scope,
                  fontSize: 11,
                }}
              />
            )}
            {d.p85Days !== null && (
              <ReferenceLine
                y={d.p85Days}
                stroke={COLORS.in_progress}
                strokeDasharray="4 4"
                label={{
                  value: '85%',
                  position: 'insideTopLeft',
                  fill: COLORS.in_progress,
                  fontSize: 11,
                }}
              />
            )}
            <Scatter data={points} fill={COLORS.done} name="Tasks" />
          </ScatterChart>
        )
      }}
    </ChartCard>
  )
}
