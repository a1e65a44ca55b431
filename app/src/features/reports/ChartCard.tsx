import { Download } from 'lucide-react'
import type { ReactNode } from 'react'
import { Button, cx, ErrorNote, Spinner } from '../../ui/primitives'
import { downloadCsv } from './csv'
import { formatNumber } from './format'
import type { ReportState } from './use-report'

/** Tailwind palette values (SVG fills cannot read utility classes). */
export const COLORS = {
  todo: '#94a3b8', // slate-400
  in_progress: '#f59e0b', // amber-500
  done: '#10b981', // emerald-500
  scope: '#6366f1', // indigo-500
  overdue: '#ef4444', // red-500
} as const

/** Axis and grid drawn in the text colour, so both themes read well. */
export const AXIS_PROPS = {
  tick: { fill: 'currentColor', fontSize: 12 },
  stroke: 'currentColor',
  strokeOpacity: 0.3,
} as const
export const GRID_PROPS = { stroke: 'currentColor', strokeOpacity: 0.12, vertical: false } as const
/** System colours follow `color-scheme`, which the theme sets on <html>. */
export const TOOLTIP_STYLE = {
  backgroundColor: 'Canvas',
  color: 'CanvasText',
  border: '1px solid GrayText',
  borderRadius: 6,
  fontSize: 12,
} as const
export const CHART_STYLE = { width: '100%', height: 240 } as const
/** Tooltip values in the viewer's locale, without floating-point noise (estimate sums). */
export const formatTooltipValue = (value: unknown) =>
  typeof value === 'number' ? formatNumber(value) : String(value ?? '')

/** A chart's data as a file: build the text with `toCsv`. */
export interface CsvExport {
  filename: string
  text: string
}

/**
 * Frame of one chart: title, controls, CSV download, and the loading / error / empty
 * states, so each chart component only draws data it knows is there.
 */
export function ChartCard<T>(props: {
  id: string
  title: string
  subtitle?: ReactNode
  controls?: ReactNode
  report: ReportState<T>
  /** True when `data` has nothing worth drawing. */
  isEmpty: (data: T) => boolean
  emptyText: string
  /** Built only when the user asks for the file. */
  csv: (data: T) => CsvExport
  children: (data: T) => ReactNode
  className?: string
}) {
  const { data, error, loading } = props.report
  return (
    <section
      data-testid={`chart-${props.id}`}
      aria-label={props.title}
      className={cx(
        'rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900',
        props.className,
      )}
    >
      <header className="mb-3 flex flex-wrap items-center gap-2">
        <div className="min-w-0 flex-1">
          <h2 className="font-semibold">{props.title}</h2>
          {props.subtitle && (
            <p className="text-xs text-slate-500 dark:text-slate-400">{props.subtitle}</p>
          )}
        </div>
        {props.controls}
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Download ${props.title} as CSV`}
          title="Download CSV"
          disabled={data === null}
          onClick={() => {
            if (data === null) return
            const { filename, text } = props.csv(data)
            downloadCsv(filename, text)
          }}
        >
          <Download className="size-4" /> CSV
        </Button>
      </header>
      <div className="text-slate-500 dark:text-slate-400">
        {data !== null ? (
          props.isEmpty(data) ? (
            <p
              data-testid="chart-empty"
              className="flex h-60 items-center justify-center rounded-md border border-dashed border-slate-300 px-6 text-center text-sm dark:border-slate-700"
            >
              {props.emptyText}
            </p>
          ) : (
            props.children(data)
          )
        ) : error ? (
          <ErrorNote message={error} />
        ) : loading ? (
          <div className="flex h-60 items-center justify-center">
            <Spinner label="Loading" />
          </div>
        ) : (
          <p className="flex h-60 items-center justify-center text-sm">
            No figures saved on this device yet.
          </p>
        )}
      </div>
    </section>
  )
}

/** A two- or three-way switch (day/week, count/points, ranges). */
export function Segmented<V extends string | number>(props: {
  label: string
  value: V
  options: ReadonlyArray<{ value: V; label: string }>
  onChange: (value: V) => void
}) {
  return (
    <fieldset
      aria-label={props.label}
      className="inline-flex rounded-md border border-slate-300 p-0.5 text-xs dark:border-slate-700"
    >
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === props.value}
          onClick={() => props.onChange(o.value)}
          className={cx(
            'rounded px-2 py-1 font-medium',
            o.value === props.value
              ? 'bg-indigo-600 text-white'
              : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
          )}
        >
          {o.label}
        </button>
      ))}
    </fieldset>
  )
}
