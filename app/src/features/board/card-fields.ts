import { sameSummaryFields, type TaskSummary } from '@taskflow/board'

/**
 * The task fields a board card reads (its drag data included). A card is typed as
 * `CardTask`, so showing another field is a type error until it is listed here, and then
 * the card re-renders when that field changes too.
 */
export const CARD_FIELDS = [
  'id',
  'title',
  'columnId',
  'priority',
  'dueDate',
  'completedAt',
  'checklist',
  'commentCount',
  'labelIds',
  'assigneeIds',
  'replacedMovesBy',
  'fields',
  'blockedBy',
  'parentTitle',
  'subtaskProgress',
] as const satisfies readonly (keyof TaskSummary)[]

export type CardTask = Pick<TaskSummary, (typeof CARD_FIELDS)[number]>

/**
 * True when two versions of a task look the same on a card. The view store gives a task a
 * new object whenever anything in its summary changes, `updatedAt` included, so a
 * description edit or a checklist item's rename would otherwise re-render its card.
 */
export function sameCard(a: CardTask, b: CardTask): boolean {
  return a === b || sameSummaryFields(a, b, CARD_FIELDS)
}
