import { useState } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { getWorkload, workloadSchema } from '../../api/reports.api'
import {
  AXIS_PROPS,
  ChartCard,
  COLORS,
  formatTooltipValue,
  GRID_PROPS,
  TOOLTIP_STYLE,
} from './ChartCard'
import { toCsv } from './csv'
import { formatTick } from './format'
import { GroupBySelect, useSelectFields } from './group-by'
import { cacheKey, csvName, type ReportContext } from './report-context'
import { useReport } from './use-report'

const ROW_PX = 36

/** Open and overdue tasks per assignee (unassigned work is a summary tile). */
export function WorkloadChart({ ctx }: { ctx: ReportContext }) {
  const fields = useSelectFields(ctx.projectId, ctx.online)
  const [groupBy, setGroupBy] = useState('')
  const report = useReport({
    cacheKey: cacheKey(ctx, 'workload', ...(groupBy ? [groupBy] : [])),
    schema: workloadSchema,
    load: () => getWorkload(ctx.projectId, ctx.range.timeZone, groupBy || undefined),
    tick: ctx.tick,
    online: ctx.online,
  })
  return (
    <ChartCard
      id="workload"
      title="Workload"
      subtitle={
        groupBy
          ? `Open tasks per ${fields.find((f) => `field:${f.id}` === groupBy)?.name ?? 'option'}, now`
          : 'Open tasks per assignee, now'
      }
      controls={
        <GroupBySelect
          chart="workload"
          defaultLabel="Assignee"
          fields={fields}
          value={groupBy}
          onChange={setGroupBy}
        />
      }
      report={report}
      isEmpty={(d) => (d.groups ? d.groups.length === 0 : d.assignees.length === 0)}
      emptyText="Nobody has open tasks assigned."
      csv={(d) => ({
        filename: csvName(ctx, 'workload', false),
        text: toCsv(
          [
            { header: 'user_id', value: (r) => r.userId },
            { header: 'name', value: (r) => r.name },
            { header: 'open_tasks', value: (r) => r.openTasks },
            { header: 'open_estimate', value: (r) => r.openEstimate },
            { header: 'overdue', value: (r) => r.overdue },
          ],
          d.assignees,
        ),
      })}
    >
      {(d) => {
        const rows: Array<{
          label: string
          openTasks: number
          openEstimate: number
          overdue: number
        }> = d.groups
          ? d.groups.map((g) => ({ ...g, label: g.name }))
          : d.assignees.map((a) => ({ ...a, label: a.name || 'Former member' }))
        // Estimates are points, not tasks: drawn only when some open task has one.
        const estimated = rows.some((r) => r.openEstimate > 0)
        return (
          <BarChart
            responsive
            layout="vertical"
            data={rows}
            style={{ width: '100%', height: Math.max(160, 60 + rows.length * ROW_PX) }}
          >
            <CartesianGrid {...GRID_PROPS} vertical horizontal={false} />
            <XAxis type="number" allowDecimals={false} tickFormatter={formatTick} {...AXIS_PROPS} />
            <YAxis type="category" dataKey="label" width={110} {...AXIS_PROPS} />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              formatter={formatTooltipValue}
              cursor={{ fill: 'currentColor', fillOpacity: 0.08 }}
            />
            <Legend />
            <Bar dataKey="openTasks" name="Open" fill={COLORS.scope} radius={[0, 3, 3, 0]} />
            <Bar dataKey="overdue" name="Overdue" fill={COLORS.overdue} radius={[0, 3, 3, 0]} />
            {estimated && (
              <Bar
                dataKey="openEstimate"
                name="Open estimate (points)"
                fill={COLORS.todo}
                radius={[0, 3, 3, 0]}
              />
            )}
          </BarChart>
        )
      }}
    </ChartCard>
  )
}
