import type { HistoryStep } from '@taskflow/api'
import { people } from '../away/away-text'

const FIELD_WORDS: Record<string, string> = {
  created: 'created',
  column: 'moved',
  trashed: 'trash',
  startDate: 'start date',
  dueDate: 'due date',
}

/** "Bob changed 2 cards (title, moved)". */
export function describeStep(step: HistoryStep, nameOf: (id: string) => string): string {
  const who = step.userId ? nameOf(step.userId) : 'Someone'
  const fields = [
    ...new Set(step.tasks.flatMap((t) => t.fields.map((f) => FIELD_WORDS[f] ?? f))),
  ].filter((f) => f !== 'other')
  const parts: string[] = []
  if (step.tasks.length > 0) {
    parts.push(
      `${step.tasks.length} card${step.tasks.length === 1 ? '' : 's'}${fields.length ? ` (${fields.join(', ')})` : ''}`,
    )
  }
  if (step.columnIds.length > 0) {
    parts.push(`${step.columnIds.length} column${step.columnIds.length === 1 ? '' : 's'}`)
  }
  if (step.board) parts.push('the board')
  return `${who} changed ${parts.length ? people(parts, (p) => p) : 'the board'}`
}

/**
 * Where history mode opens. From "while you were away" (`from` = the summary's start): the
 * first later step by someone else — my own edits made after the visit was last recorded
 * (the leave beacon is best-effort) are not what the summary is about. Else the newest step.
 */
export function startStepIndex(
  steps: readonly Pick<HistoryStep, 'at' | 'userId'>[],
  from: string | null,
  me: string,
): number {
  const newest = Math.max(0, steps.length - 1)
  if (from === null) return newest
  const others = steps.findIndex((s) => s.at > from && s.userId !== me)
  if (others >= 0) return others
  const any = steps.findIndex((s) => s.at > from)
  return any >= 0 ? any : newest
}
