import { boardViewStore, dismissReplacedMove, getReplacedMoves } from '@taskflow/board'
import { useBoardEnv } from './board-context'

/**
 * Tells the person whose move of a task a later concurrent move replaced (merge rule B10)
 * what happened, e.g. "Ada moved this to Done after your move to Review", until they
 * dismiss it (which forgets the replaced move on every device). Shown on the card.
 */
export function ReplacedMoveNotice(props: { taskId: string }) {
  const { doc, userId, membersById, readOnly } = useBoardEnv()
  const mine = getReplacedMoves(doc, props.taskId).filter((r) => r.move.by === userId)
  if (mine.length === 0) return null
  const columns = boardViewStore(doc).getSnapshot().columns
  const columnName = (id: string) => columns.find((c) => c.id === id)?.name ?? 'a deleted column'
  const personName = (id: string | null) => {
    if (id === null) return 'Someone'
    if (id === userId) return 'You (on another device)'
    const m = membersById.get(id)
    return m ? m.name || m.email : 'Someone'
  }
  const { move, replacedBy } = mine[mine.length - 1]!
  const dismiss = (e: React.SyntheticEvent) => {
    e.stopPropagation()
    for (const r of mine) dismissReplacedMove(doc, props.taskId, r.move.id, { userId })
  }
  return (
    <div
      role="status"
      data-testid="replaced-move-notice"
      className="mt-2 flex items-start gap-2 rounded-md bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200"
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => e.stopPropagation()}
      onPointerDown={(e) => e.stopPropagation()}
    >
      <span className="flex-1">
        {personName(replacedBy.by)} moved this to {columnName(replacedBy.columnId)} after your move
        to {columnName(move.columnId)}.
      </span>
      {!readOnly && (
        <button
          type="button"
          className="font-medium underline hover:no-underline"
          onClick={dismiss}
          aria-label="Dismiss the notice about your replaced move"
        >
          OK
        </button>
      )}
    </div>
  )
}
