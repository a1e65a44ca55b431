import type { RenderedField } from '@taskflow/board'
import { cx } from '../../ui/primitives'

/**
 * A rendered custom-field value as a card or list shows it: select options as coloured
 * chips ("removed option" grey and struck), a link for URLs, names for people.
 */
export function FieldValueChips(props: {
  value: RenderedField
  userName: (id: string) => string
  compact?: boolean
}) {
  const { value } = props
  const size = props.compact ? 'text-[11px] px-1.5 py-0.5' : 'text-xs px-2 py-0.5'
  if (value.options) {
    return (
      <>
        {value.options.map((o) => (
          <span
            key={o.id}
            data-testid="field-option"
            data-removed={o.removed || undefined}
            title={o.removed ? 'This option was removed from the field' : undefined}
            className={cx(
              'rounded font-medium',
              size,
              o.removed ? 'bg-slate-200 text-slate-500 italic dark:bg-slate-700' : 'text-white',
            )}
            style={o.removed ? undefined : { backgroundColor: o.color }}
          >
            {o.name}
          </span>
        ))}
      </>
    )
  }
  if (value.href) {
    return (
      <a
        href={value.href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="truncate text-indigo-600 underline"
        onClick={(e) => e.stopPropagation()}
        onPointerDown={(e) => e.stopPropagation()}
      >
        {value.text}
      </a>
    )
  }
  if (value.userId) return <span>{props.userName(value.userId)}</span>
  return <span>{value.text}</span>
}
