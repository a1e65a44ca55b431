import { cx } from './primitives'

/*
 * Inputs whose text a board operation limits (task title 500, column name 200…) show the
 * limit as a counter once the text nears it, and keep over-long text in the field with a
 * note rather than truncating it: the browser's `maxLength` cuts a paste short without a
 * word, which is the silent loss this replaces. The numbers come from @taskflow/board.
 */

/** Share of the limit from which the counter shows. */
export const COUNTER_FROM = 0.9

/** Outcome of a board operation, as far as the inputs need it. */
export type OpResult = { ok: true } | { ok: false; error: { message: string } }

/**
 * "480/500" once `length` reaches 90% of `max`, else null (short text needs no counter).
 * @example lengthCounter(480, 500) // '480/500'
 */
export function lengthCounter(length: number, max: number): string | null {
  return length >= Math.ceil(max * COUNTER_FROM) ? `${length}/${max}` : null
}

/**
 * Why text of `length` cannot be saved, or null; `what` names the field for the user.
 * @example tooLongNote('Title', 501, 500) // 'Title is too long: 501 characters, at most 500.'
 */
export function tooLongNote(what: string, length: number, max: number): string | null {
  return length > max ? `${what} is too long: ${length} characters, at most ${max}.` : null
}

/** A refused operation's message as a sentence for the user ("title must…" → "Title must…."). */
export function refusalText(message: string): string {
  const s = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(s) ? s : `${s}.`
}

/** The counter beside a limited field; red once over. Renders nothing far from the limit. */
export function LengthCounter(props: { length: number; max: number; id?: string }) {
  const text = lengthCounter(props.length, props.max)
  if (text === null) return null
  const over = props.length > props.max
  return (
    <span
      id={props.id}
      data-testid="length-counter"
      aria-live="polite"
      className={cx(
        'text-xs tabular-nums',
        over ? 'font-semibold text-red-600 dark:text-red-400' : 'text-slate-500',
      )}
    >
      {text}
    </span>
  )
}

/** The counter and the reason a value was refused, under a limited field. */
export function LimitNote(props: {
  length: number
  max: number
  error: string | null
  id?: string
}) {
  const counter = lengthCounter(props.length, props.max)
  if (counter === null && !props.error) return null
  return (
    <div id={props.id} className="mt-1 flex items-start gap-2">
      <p
        role={props.error ? 'alert' : undefined}
        data-testid="field-error"
        className="min-w-0 flex-1 text-xs break-words text-red-600 dark:text-red-400"
      >
        {props.error}
      </p>
      <LengthCounter length={props.length} max={props.max} />
    </div>
  )
}
