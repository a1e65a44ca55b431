import { useState } from 'react'
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts'
import { getThroughput, throughputSchema } from '../../api/reports.api'
import {
  AXIS_PROPS,
  CHART_STYLE,
  ChartCard,
  COLORS,
  formatTooltipValue,
  GRID_PROPS,
  Segmented,
  TOOLTIP_STYLE,
} from './ChartCard'
import { toCsv } from './csv'
import { formatTick, shortDate } from './format'
import { cacheKey, csvName, type ReportContext } from './report-context'
import { useReport } from './use-report'

type Interval = 'day' | 'week'

/** Tasks completed per day or per week (weeks start on Monday, server-side). */
export function ThroughputChart({ ctx }: { ctx: ReportContext }) {
  const [interval, setBucket] = useState<Interval>('day')
  const report = useReport({
    cacheKey: cacheKey(ctx, 'throughput', `${ctx.days}d`, interval),
    schema: throughputSchema,
    load: () => getThroughput(ctx.projectId, ctx.range, interval),
    tick: ctx.tick,
    online: ctx.online,
  })
  const label = (start: string) =>
    interval === 'week' ? `Week of ${shortDate(start)}` : shortDate(start)
  return (
    <ChartCard
      id="throughput"
      title="Throughput"
      subtitle={`Tasks completed per ${interval}`}
      controls={
        <Segmented
          label="Throughput interval"
          value={interval}
          onChange={setBucket}
          options={[
            { value: 'day', label: 'Day' },
            { value: 'week', label: 'Week' },
          ]}
        />
      }
      report={report}
      isEmpty={(d) => d.buckets.every((b) => b.completed === 0)}
      emptyText="No tasks completed in this range yet."
      csv={(d) => ({
        filename: csvName(ctx, `throughput-${interval}`),
        text: toCsv(
          [
            { header: `${interval}_start`, value: (r) => r.start },
            { header: 'completed', value: (r) => r.completed },
          ],
          d.buckets,
        ),
      })}
    >
      {(d) => (
        <BarChart responsive style={CHART_STYLE} data={d.buckets}>
          <CartesianGrid {...GRID_PROPS} />
          <XAxis dataKey="start" tickFormatter={shortDate} {...AXIS_PROPS} minTickGap={16} />
          <YAxis allowDecimals={false} width={40} tickFormatter={formatTick} {...AXIS_PROPS} />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            cursor={{ fill: 'currentColor', fillOpacity: 0.08 }}
            formatter={formatTooltipValue}
            labelFormatter={(l) => label(String(l))}
          />
          <Bar dataKey="completed" name="Completed" fill={COLORS.done} radius={[3, 3, 0, 0]} />
        </BarChart>
      )}
    </ChartCard>
  )
}
