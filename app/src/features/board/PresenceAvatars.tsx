import { type PresenceUser, uniquePeople } from '../../sync/presence'
import { Avatar, cx } from '../../ui/primitives'

/** Faces shown on a phone, where the toolbar has one row; the rest are a "+N". */
const NARROW_MAX = 3

/** Faces of everyone on the board now (me first). */
export function PresenceAvatars({ presence }: { presence: readonly PresenceUser[] }) {
  const people = uniquePeople([...presence].sort((a, b) => Number(b.isMe) - Number(a.isMe)))
  return (
    <fieldset
      className="m-0 flex -space-x-2 border-0 p-0"
      data-testid="presence"
      aria-label={`${people.length} people here`}
    >
      {people.map((p, i) => (
        <span
          key={p.userId}
          data-testid="presence-user"
          data-user-id={p.userId}
          className={cx(i >= NARROW_MAX && 'max-sm:hidden')}
        >
          <Avatar id={p.userId} name={p.name} title={p.isMe ? `${p.name} (you)` : p.name} ring />
        </span>
      ))}
      {people.length > NARROW_MAX && (
        <span
          aria-hidden
          className="inline-flex size-7 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700 ring-2 ring-white sm:hidden dark:bg-slate-700 dark:text-slate-200 dark:ring-slate-900"
        >
          +{people.length - NARROW_MAX}
        </span>
      )}
    </fieldset>
  )
}
