import { type PresenceUser, uniquePeople } from '../../sync/presence'
import { Avatar } from '../../ui/primitives'

/** Faces of everyone on the board now (me first). */
export function PresenceAvatars({ presence }: { presence: readonly PresenceUser[] }) {
  const people = uniquePeople([...presence].sort((a, b) => Number(b.isMe) - Number(a.isMe)))
  return (
    <fieldset
      className="m-0 flex -space-x-2 border-0 p-0"
      data-testid="presence"
      aria-label={`${people.length} people here`}
    >
      {people.map((p) => (
        <span key={p.userId} data-testid="presence-user" data-user-id={p.userId}>
          <Avatar id={p.userId} name={p.name} title={p.isMe ? `${p.name} (you)` : p.name} ring />
        </span>
      ))}
    </fieldset>
  )
}
