import { ChevronLeft, ChevronRight } from 'lucide-react'
import { cx } from '../../../ui/primitives'
import { weekdayNames } from './formats'

const BTN =
  'rounded-md border border-slate-200 px-2 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-700 dark:hover:bg-slate-800'

/** Prev / today / next, the period's title, a segmented choice and the first day of the week. */
export function DateNav<T extends string>(props: {
  title: string
  onStep: (dir: -1 | 1) => void
  onToday: () => void
  choices: readonly T[]
  choice: T
  onChoice: (c: T) => void
  choiceLabel: string
  weekStartsOn: number
  onWeekStartsOn: (d: number) => void
}) {
  const names = weekdayNames(undefined, 'long')
  return (
    <div className="flex flex-wrap items-center gap-2 px-4 py-2" data-testid="date-nav">
      <button type="button" className={BTN} onClick={() => props.onStep(-1)} aria-label="Previous">
        <ChevronLeft className="size-4" />
      </button>
      <button type="button" className={BTN} onClick={props.onToday} data-testid="date-today">
        Today
      </button>
      <button type="button" className={BTN} onClick={() => props.onStep(1)} aria-label="Next">
        <ChevronRight className="size-4" />
      </button>
      <h2 className="min-w-40 text-base font-semibold" data-testid="date-title" aria-live="polite">
        {props.title}
      </h2>
      <fieldset className="flex overflow-hidden rounded-md border border-slate-200 dark:border-slate-700">
        <legend className="sr-only">{props.choiceLabel}</legend>
        {props.choices.map((c) => (
          <button
            key={c}
            type="button"
            aria-pressed={c === props.choice}
            data-testid={`date-choice-${c}`}
            onClick={() => props.onChoice(c)}
            className={cx(
              'px-2 py-1 text-sm capitalize',
              c === props.choice
                ? 'bg-indigo-600 text-white'
                : 'hover:bg-slate-100 dark:hover:bg-slate-800',
            )}
          >
            {c}
          </button>
        ))}
      </fieldset>
      <label className="ml-auto flex items-center gap-1 text-xs text-slate-500">
        Week starts
        <select
          className="rounded border border-slate-200 bg-transparent px-1 py-0.5 text-xs dark:border-slate-700"
          value={props.weekStartsOn}
          onChange={(e) => props.onWeekStartsOn(Number(e.target.value))}
          data-testid="week-starts-on"
        >
          {names.map((n, i) => (
            <option key={n} value={i}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </div>
  )
}
