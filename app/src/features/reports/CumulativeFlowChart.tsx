import { useState } from 'react'
import { Area, AreaChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { type CumulativeFlow, cumulativeFlowSchema, getCumulativeFlow } from '../../api/reports.api'
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
import { GroupBySelect, useSelectFields } from './group-by'
import { cacheKey, csvName, type ReportContext } from './report-context'
import { useReport } from './use-report'

/** Tasks per category at the end of each day, stacked (done at the bottom, as CFDs are read). */
export function CumulativeFlowChart({ ctx }: { ctx: ReportContext }) {
  const fields = useSelectFields(ctx.projectId, ctx.online)
  const [groupBy, setGroupBy] = useState('')
  const report = useReport({
    cacheKey: cacheKey(ctx, 'cumulative-flow', `${ctx.days}d`, ...(groupBy ? [groupBy] : [])),
    schema: cumulativeFlowSchema,
    load: () => getCumulativeFlow(ctx.projectId, ctx.range, groupBy || undefined),
    tick: ctx.tick,
    online: ctx.online,
  })
  return (
    <ChartCard
      id="cumulative-flow"
      title="Cumulative flow"
      subtitle={
        groupBy
          ? `Tasks per ${fields.find((f) => `field:${f.id}` === groupBy)?.name ?? 'option'} at the end of each day`
          : 'Tasks per status at the end of each day'
      }
      controls={
        <GroupBySelect
          chart="cumulative flow"
          defaultLabel="Status"
          fields={fields}
          value={groupBy}
          onChange={setGroupBy}
        />
      }
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
      {(d) =>
        d.groups ? (
          <GroupedFlow groups={d.groups} />
        ) : (
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
            {STATUS_AREAS.map(([key, name]) => (
              <Area
                key={key}
                type="monotone"
                dataKey={key}
                name={name}
                stackId="cfd"
                stroke={COLORS[key]}
                fill={COLORS[key]}
                fillOpacity={0.6}
              />
            ))}
          </AreaChart>
        )
      }
    </ChartCard>
  )
}

/** The statuses stacked bottom to top (done first, as the area under the others). */
const STATUS_AREAS = [
  ['done', 'Done'],
  ['in_progress', 'In progress'],
  ['todo', 'To do'],
] as const

const GROUP_FALLBACK = ['#94a3b8', '#cbd5e1']

/**
 * Grouped by a select field: each option's tasks (every status) stacked, in the option's
 * colour; "Removed option" and "No value" in greys. A task counts by its current value.
 */
function GroupedFlow(props: { groups: NonNullable<CumulativeFlow['groups']> }) {
  const rows = (props.groups[0]?.days ?? []).map((day, i) => {
    const row: Record<string, string | number> = { date: day.date }
    for (const g of props.groups) {
      const x = g.days[i]!
      row[g.key] = x.todo + x.in_progress + x.done
    }
    return row
  })
  return (
    <AreaChart responsive style={CHART_STYLE} data={rows}>
      <CartesianGrid {...GRID_PROPS} />
      <XAxis dataKey="date" tickFormatter={shortDate} {...AXIS_PROPS} minTickGap={16} />
      <YAxis allowDecimals={false} width={40} tickFormatter={formatTick} {...AXIS_PROPS} />
      <Tooltip
        contentStyle={TOOLTIP_STYLE}
        formatter={formatTooltipValue}
        labelFormatter={(l) => shortDate(String(l))}
      />
      <Legend />
      {props.groups.map((g, i) => {
        const color = g.color ?? GROUP_FALLBACK[i % 2]!
        return (
          <Area
            key={g.key}
            type="monotone"
            dataKey={g.key}
            name={g.name}
            stackId="cfd"
            stroke={color}
            fill={color}
            fillOpacity={0.6}
          />
        )
      })}
    </AreaChart>
  )
}
