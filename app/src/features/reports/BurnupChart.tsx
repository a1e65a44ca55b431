import { useState } from 'react'
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts'
import { burnupSchema, getBurnup } from '../../api/reports.api'
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

type Unit = 'count' | 'points'

/** Scope against completed work per day; points are the tasks' estimates. */
export function BurnupChart({ ctx }: { ctx: ReportContext }) {
  const [unit, setUnit] = useState<Unit>('count')
  const report = useReport({
    cacheKey: cacheKey(ctx, 'burnup', `${ctx.days}d`),
    schema: burnupSchema,
    load: () => getBurnup(ctx.projectId, ctx.range),
    tick: ctx.tick,
    online: ctx.online,
  })
  const scopeKey = unit === 'count' ? 'scopeCount' : 'scopePoints'
  const doneKey = unit === 'count' ? 'completedCount' : 'completedPoints'
  return (
    <ChartCard
      id="burnup"
      title="Burn-up"
      subtitle={
        unit === 'count' ? 'Tasks in scope and completed' : 'Estimate points in scope and completed'
      }
      controls={
        <Segmented
          label="Burn-up unit"
          value={unit}
          onChange={setUnit}
          options={[
            { value: 'count', label: 'Tasks' },
            { value: 'points', label: 'Points' },
          ]}
        />
      }
      report={report}
      isEmpty={(d) => d.days.every((x) => x[scopeKey] === 0)}
      emptyText={
        unit === 'count'
          ? 'No tasks on this board in this range yet.'
          : 'No estimated tasks in this range: give tasks an estimate to see points.'
      }
      csv={(d) => ({
        filename: csvName(ctx, 'burnup'),
        text: toCsv(
          [
            { header: 'date', value: (r) => r.date },
            { header: 'scope_count', value: (r) => r.scopeCount },
            { header: 'completed_count', value: (r) => r.completedCount },
            { header: 'scope_points', value: (r) => r.scopePoints },
            { header: 'completed_points', value: (r) => r.completedPoints },
          ],
          d.days,
        ),
      })}
    >
      {(d) => (
        <LineChart responsive style={CHART_STYLE} data={d.days}>
          <CartesianGrid {...GRID_PROPS} />
          <XAxis dataKey="date" tickFormatter={shortDate} {...AXIS_PROPS} minTickGap={16} />
          <YAxis
            allowDecimals={unit === 'points'}
            width={40}
            tickFormatter={formatTick}
            {...AXIS_PROPS}
          />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            formatter={formatTooltipValue}
            labelFormatter={(l) => shortDate(String(l))}
          />
          <Legend />
          {/* Not a step line: a step after the last day has no width, so today's change was
              drawn as a bare vertical stroke at the right edge. */}
          <Line
            type="linear"
            dataKey={scopeKey}
            name="Scope"
            stroke={COLORS.scope}
            strokeWidth={2}
            dot={false}
          />
          <Line
            type="linear"
            dataKey={doneKey}
            name="Completed"
            stroke={COLORS.done}
            strokeWidth={2}
            dot={false}
          />
        </LineChart>
      )}
    </ChartCard>
  )
}
