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
