import { MENTION_PATTERN } from '@taskflow/board'
import {
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  type TextareaHTMLAttributes,
  useState,
} from 'react'
import type { Member } from '../../api/schemas'
import { Avatar, cx } from '../../ui/primitives'
import { insertMention, matchMembers, mentionQueryAt } from './mention-text'

/** One `<@userId>` token as a chip carrying the member's current name. */
export function MentionChip(props: {
  userId: string
  membersById: ReadonlyMap<string, Member>
  /** Shown for someone not (or no longer) among the members. */
  fallbackName?: string
}): ReactNode {
  const member = props.membersById.get(props.userId)
  return (
    <span
      data-testid="mention-chip"
      className="inline-flex items-center rounded bg-indigo-100 px-1 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
    >
      @{member ? member.name || member.email : props.fallbackName || 'unknown'}
    </span>
  )
}

/** Text with `<@userId>` tokens shown as chips carrying the member's current name. */
export function MentionText(props: {
  text: string
  membersById: ReadonlyMap<string, Member>
}): ReactNode {
  const parts: ReactNode[] = []
  let last = 0
  for (const m of props.text.matchAll(MENTION_PATTERN)) {
    if (m.index > last) parts.push(props.text.slice(last, m.index))
    parts.push(<MentionChip key={`${m.index}`} userId={m[1]!} membersById={props.membersById} />)
    last = m.index + m[0].length
  }
  if (last < props.text.length) parts.push(props.text.slice(last))
  return <>{parts}</>
}

/**
 * The members a mention picker offers, as a listbox; the textarea picker below and the
 * rich description's (description-mentions.tsx) both render it, each placing it itself.
 */
export function MentionOptions(props: {
  members: readonly Member[]
  active: number
  onChoose: (member: Member) => void
  /** Where the list goes in its `position: relative` container. */
  className?: string
  style?: CSSProperties
}) {
  return (
    <div
      role="listbox"
      aria-label="Mention a member"
      data-testid="mention-picker"
      style={props.style}
      className={cx(
        'absolute z-40 w-64 rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900',
        props.className,
      )}
    >
      {props.members.map((m, i) => (
        <div
          key={m.userId}
          role="option"
          tabIndex={-1}
          aria-selected={i === props.active}
          // mousedown, not click: the field must keep focus (and its selection) meanwhile.
          onMouseDown={(e) => {
            e.preventDefault()
            props.onChoose(m)
          }}
          onKeyDown={() => {}}
          className={cx(
            'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5',
            i === props.active && 'bg-slate-100 dark:bg-slate-800',
          )}
        >
          <Avatar id={m.userId} name={m.name || m.email} size="xs" />
          <span className="truncate">{m.name || m.email}</span>
        </div>
      ))}
    </div>
  )
}

/**
 * Mention picker state for a textarea: typing `@` opens a list of members filtered by what
 * follows; ↑/↓ and Enter or a click choose, Escape closes. `apply` receives the new text.
 */
export function useMentionPicker(opts: {
  ref: RefObject<HTMLTextAreaElement | null>
  members: readonly Member[]
  apply: (value: string, caret: number) => void
}) {
  const [state, setState] = useState<{ start: number; query: string } | null>(null)
  const [active, setActive] = useState(0)
  const matches = state ? matchMembers(opts.members, state.query) : []

  const update = () => {
    const el = opts.ref.current
    if (!el) return
    const next = mentionQueryAt(el.value, el.selectionStart ?? el.value.length)
    setState(next)
    if (next?.query !== state?.query) setActive(0)
  }

  const choose = (member: Member) => {
    const el = opts.ref.current
    if (!el || !state) return
    const r = insertMention(
      el.value,
      el.selectionStart ?? el.value.length,
      state.start,
      member.userId,
    )
    setState(null)
    opts.apply(r.value, r.caret)
  }

  /** Handles picker keys; true when the key was used (the caller skips its own handling). */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!state || matches.length === 0) return false
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const d = e.key === 'ArrowDown' ? 1 : -1
      setActive((a) => (a + d + matches.length) % matches.length)
      return true
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault()
      choose(matches[Math.min(active, matches.length - 1)]!)
      return true
    }
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      setState(null)
      return true
    }
    return false
  }

  const list =
    state && matches.length > 0 ? (
      <MentionOptions
        members={matches}
        active={active}
        onChoose={choose}
        className="bottom-full left-0 mb-1"
      />
    ) : null

  return { update, onKeyDown, list, close: () => setState(null) }
}

/** A textarea with the mention picker above it. */
export function MentionTextarea(
  props: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value'> & {
    textareaRef: RefObject<HTMLTextAreaElement | null>
    value: string
    onValueChange: (value: string) => void
    members: readonly Member[]
    /** Keys the picker did not use. */
    onOtherKeyDown?: (e: KeyboardEvent<HTMLTextAreaElement>) => void
  },
) {
  const { textareaRef, value, onValueChange, members, onOtherKeyDown, className, ...rest } = props
  const picker = useMentionPicker({
    ref: textareaRef,
    members,
    apply: (v, caret) => {
      onValueChange(v)
      requestAnimationFrame(() => textareaRef.current?.setSelectionRange(caret, caret))
    },
  })
  return (
    <div className="relative">
      {picker.list}
      <textarea
        ref={textareaRef}
        value={value}
        onChange={(e) => {
          onValueChange(e.target.value)
          picker.update()
        }}
        onKeyDown={(e) => {
          if (!picker.onKeyDown(e)) onOtherKeyDown?.(e)
        }}
        onBlur={() => picker.close()}
        onClick={picker.update}
        className={cx(
          'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100',
          className,
        )}
        {...rest}
      />
    </div>
  )
}
