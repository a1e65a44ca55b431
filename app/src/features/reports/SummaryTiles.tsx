import type { Summary } from '../../api/reports.api'
import { cx, ErrorNote, Spinner } from '../../ui/primitives'
import { formatNumber } from './format'
import type { ReportState } from './use-report'

interface Tile {
  label: string
  value: number
  /** Highlights a figure that needs attention when above zero. */
  warn?: boolean
}

/** Three groups: open work, tasks per status, and completions. */
function groupsOf(s: Summary): Array<{ label: string; className: string; tiles: Tile[] }> {
  return [
    {
      label: 'Open work',
      className: 'grid-cols-2 sm:grid-cols-4 lg:col-span-5',
      tiles: [
        { label: 'Open', value: s.open },
        { label: 'Overdue', value: s.overdue, warn: true },
        { label: 'Due in 7 days', value: s.dueNext7Days },
        { label: 'Unassigned open', value: s.unassignedOpen },
      ],
    },
    {
      label: 'Tasks per status',
      className: 'grid-cols-3 lg:col-span-3',
      tiles: [
        { label: 'To do', value: s.byCategory.todo },
        { label: 'In progress', value: s.byCategory.in_progress },
        { label: 'Done', value: s.byCategory.done },
      ],
    },
    {
      label: 'Completed',
      className: 'grid-cols-2 lg:col-span-2',
      tiles: [
        { label: 'Completed last 7 days', value: s.completedLast7Days },
        { label: 'Completed last 30 days', value: s.completedLast30Days },
      ],
    },
  ]
}

/** The headline figures, then tasks per column against WIP limits. */
export function SummaryTiles({ report }: { report: ReportState<Summary> }) {
  const { data, error, offline } = report
  if (!data) {
    if (error) return <ErrorNote message={error} />
    // Offline with nothing saved: the notice above says so; a spinner would never stop.
    return offline ? null : <Spinner label="Loading figures" />
  }
  return (
    <section aria-label="Summary" className="space-y-3">
      <div className="grid gap-3 lg:grid-cols-5">
        {groupsOf(data).map((g) => (
          <ul key={g.label} aria-label={g.label} className={cx('grid gap-3', g.className)}>
            {g.tiles.map((t) => (
              <li
                key={t.label}
                data-testid="summary-tile"
                className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
              >
                <div
                  className="truncate text-xs font-medium text-slate-500 dark:text-slate-400"
                  data-testid="tile-label"
                  title={t.label}
                >
                  {t.label}
                </div>
                <div
                  data-testid="tile-value"
                  className={cx(
                    'mt-1 text-2xl font-semibold tabular-nums',
                    t.warn && t.value > 0 && 'text-red-600 dark:text-red-400',
                  )}
                >
                  {formatNumber(t.value, 0)}
                </div>
              </li>
            ))}
          </ul>
        ))}
      </div>
      {data.byColumn.length > 0 && (
        <ul aria-label="Tasks per column" className="flex flex-wrap gap-2 text-sm">
          {data.byColumn.map((c) => {
            const over = c.wipLimit != null && c.count > c.wipLimit
            return (
              <li
                key={c.columnId}
                data-testid="column-count"
                className={cx(
                  'rounded-full border px-3 py-1',
                  over
                    ? 'border-red-300 text-red-700 dark:border-red-800 dark:text-red-300'
                    : 'border-slate-200 text-slate-600 dark:border-slate-700 dark:text-slate-300',
                )}
              >
                {c.name}{' '}
                <span className="font-semibold tabular-nums">
                  {formatNumber(c.count, 0)}
                  {c.wipLimit != null && ` / ${formatNumber(c.wipLimit, 0)}`}
                </span>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
