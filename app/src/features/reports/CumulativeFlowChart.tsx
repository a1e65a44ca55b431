import { Area, AreaChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { cumulativeFlowSchema, getCumulativeFlow } from '../../api/reports.api'
import {
  AXIS_PROPS,
  CHART_STYLE,
  ChartCard,
  COLORS,
  formatTooltipValue,
  GRID_PROPS,
  TOOLTIP_STYLE,
} from './ChartCard'
import { toCsv } from './csv'
import { formatTick, shortDate } from './format'
import { cacheKey, csvName, type ReportContext } from './report-context'
import { useReport } from './use-report'

/** Tasks per category at the end of each day, stacked (done at the bottom, as CFDs are read). */
export function CumulativeFlowChart({ ctx }: { ctx: ReportContext }) {
  const report = useReport({
    cacheKey: cacheKey(ctx, 'cumulative-flow', `${ctx.days}d`),
    schema: cumulativeFlowSchema,
    load: () => getCumulativeFlow(ctx.projectId, ctx.range),
    tick: ctx.tick,
    online: ctx.online,
  })
  return (
    <ChartCard
      id="cumulative-flow"
      title="Cumulative flow"
      subtitle="Tasks per status at the end of each day"
      report={report}
      isEmpty={(d) => d.days.every((x) => x.todo + x.in_progress + x.done === 0)}
      emptyText="No tasks on this board in this range yet."
      csv={(d) => ({
        filename: csvName(ctx, 'cumulative-flow'),
        text: toCsv(
          [
            { header: 'date', value: (r) => r.date },
            { header: 'todo', value: (r) => r.todo },
            { header: 'in_progress', value: (r) => r.in_progress },
            { header: 'done', value: (r) => r.done },
          ],
          d.days,
        ),
      })}
    >
      {(d) => (
        <AreaChart responsive style={CHART_STYLE} data={d.days}>
          <CartesianGrid {...GRID_PROPS} />
          <XAxis dataKey="date" tickFormatter={shortDate} {...AXIS_PROPS} minTickGap={16} />
          <YAxis allowDecimals={false} width={40} tickFormatter={formatTick} {...AXIS_PROPS} />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            formatter={formatTooltipValue}
            labelFormatter={(l) => shortDate(String(l))}
          />
          <Legend />
          <Area
            type="monotone"
            dataKey="done"
            name="Done"
            stackId="cfd"
            stroke={COLORS.done}
            fill={COLORS.done}
            fillOpacity={0.6}
          />
          <Area
            type="monotone"
            dataKey="in_progress"
            name="In progress"
            stackId="cfd"
            stroke={COLORS.in_progress}
            fill={COLORS.in_progress}
            fillOpacity={0.6}
          />
          <Area
            type="monotone"
            dataKey="todo"
            name="To do"
            stackId="cfd"
            stroke={COLORS.todo}
            fill={COLORS.todo}
            fillOpacity={0.6}
          />
        </AreaChart>
      )}
    </ChartCard>
  )
}
