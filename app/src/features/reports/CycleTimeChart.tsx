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
import { addDays, localDate } from './date-range'
import { DAY_MS, durationUnitFor, formatDuration, formatNumber, shortDate } from './format'
import { cacheKey, csvName, type ReportContext } from './report-context'
import { useReport } from './use-report'

/** Local midnight starting `date` (`YYYY-MM-DD`) in the browser's zone (the range's zone). */
function localMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d).getTime()
}

/**
 * The x axis spans the whole range, like the other charts, with ticks on local midnights
 * (at most ~7, today included), so one day never shows as several identical labels.
 */
function dayAxis(range: ReportContext['range']) {
  const days: string[] = []
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push(d)
  const step = Math.max(1, Math.ceil(days.length / 7))
  // Counted back from the last day, so today is always labelled (as on the other charts).
  const ticks = days.filter((_, i) => (days.length - 1 - i) % step === 0).map(localMidnight)
  const domain: [number, number] = [localMidnight(range.from), localMidnight(addDays(range.to, 1))]
  return { domain, ticks }
}

const dayLabel = (ms: number, timeZone: string) => shortDate(localDate(ms, timeZone))

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
  const axis = dayAxis(ctx.range)
  const timeZone = ctx.range.timeZone
  return (
    <ChartCard
      id="cycle-time"
      title="Cycle time"
      subtitle={
        stats && stats.count > 0 && stats.medianMs !== null && stats.p85Ms !== null
          ? `${formatNumber(stats.count, 0)} ${stats.count === 1 ? 'task' : 'tasks'} · median ${formatDuration(stats.medianMs)} · 85% within ${formatDuration(stats.p85Ms)}`
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
        // One unit for the axis, chosen from the longest time shown (minutes, hours or days).
        const longest = Math.max(d.p85Ms ?? 0, ...d.tasks.map((t) => t.cycleTimeMs))
        const unit = durationUnitFor(longest)
        const points = d.tasks.map((t) => ({
          title: t.title,
          completed: Date.parse(t.completedAt),
          ms: t.cycleTimeMs,
          value: t.cycleTimeMs / unit.ms,
        }))
        return (
          <ScatterChart responsive style={CHART_STYLE}>
            <CartesianGrid {...GRID_PROPS} />
            <XAxis
              type="number"
              dataKey="completed"
              name="Completed"
              domain={axis.domain}
              ticks={axis.ticks}
              allowDataOverflow
              tickFormatter={(ms: number) => dayLabel(ms, timeZone)}
              {...AXIS_PROPS}
            />
            <YAxis
              type="number"
              dataKey="value"
              name="Cycle time"
              width={56}
              domain={[0, 'auto']}
              tickFormatter={(v: number) => `${formatNumber(v)} ${unit.suffix}`}
              {...AXIS_PROPS}
            />
            <Tooltip
              content={({ active, payload }) => {
                const p = payload?.[0]?.payload as (typeof points)[number] | undefined
                if (!active || !p) return null
                return (
                  <div style={TOOLTIP_STYLE} className="px-2 py-1">
                    <div className="font-medium">{p.title}</div>
                    <div>
                      {formatDuration(p.ms)}, done {dayLabel(p.completed, timeZone)}
                    </div>
                  </div>
                )
              }}
            />
            {d.medianMs !== null && (
              <ReferenceLine
                y={d.medianMs / unit.ms}
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
            {d.p85Ms !== null && (
              // Labelled on the other side: with few tasks the two lines often coincide.
              <ReferenceLine
                y={d.p85Ms / unit.ms}
                stroke={COLORS.in_progress}
                strokeDasharray="4 4"
                label={{
                  value: '85%',
                  position: 'insideTopRight',
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
