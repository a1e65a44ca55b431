import type {
  DroppableContainer,
  DroppableContainers,
  KeyboardCoordinateGetter,
} from '@dnd-kit/core'
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable'
import type { DragData } from './drop-target'

type Step = 'within' | 'across'

const STEPS: Record<string, Step> = {
  ArrowUp: 'within',
  ArrowDown: 'within',
  ArrowLeft: 'across',
  ArrowRight: 'across',
}

/** Which droppables an arrow key may move a drag to. */
export function keyboardTarget(
  active: DragData | undefined,
  currentColumnId: string | undefined,
  step: Step,
  candidate: DragData | undefined,
): boolean {
  if (!active || !candidate) return false
  if (active.type === 'column') return candidate.type === 'column'
  if (candidate.type === 'column') return false
  // Up and down go from card to card of the column the card is over; left and right go to
  // another column (a card of it, or its body when it is empty).
  if (step === 'within') return candidate.type === 'task' && candidate.columnId === currentColumnId
  return candidate.columnId !== currentColumnId
}

/**
 * dnd-kit's sortable keyboard coordinates, over only the droppables the key can mean.
 * Left alone they weigh every droppable by its edges, and a picked-up card's overlay is
 * tilted, so its box starts a few pixels above and left of its own column's body and
 * cards: Down went to that body (and dropped the card where it was) and Right to the
 * card below it.
 */
export const boardKeyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  const step = STEPS[event.code]
  const { context } = args
  if (!step || !context.active) return sortableKeyboardCoordinates(event, args)
  const active = context.active.data.current as DragData | undefined
  const over = context.over?.data.current as DragData | undefined
  const currentColumnId = over?.columnId ?? active?.columnId
  const all = context.droppableContainers
  const scoped = {
    get: (id: Parameters<DroppableContainers['get']>[0]) => all.get(id),
    getEnabled: (): DroppableContainer[] =>
      all
        .getEnabled()
        .filter(
          (c) =>
            c.id !== context.active?.id &&
            keyboardTarget(active, currentColumnId, step, c.data.current as DragData | undefined),
        ),
  } as unknown as DroppableContainers
  return sortableKeyboardCoordinates(event, {
    ...args,
    context: { ...context, droppableContainers: scoped },
  })
}
