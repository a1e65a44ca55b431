import type { AwayChange, AwayTask } from '../../api/away.api'
import { type DateFormat, viewerDates } from '../../ui/dates'

export interface AwayTextOptions {
  /** User ids → names (authors, assignees). */
  nameOf: (userId: string) => string
  /** Label ids → names from the board, for labels the change does not name. */
  labelName?: (labelId: string) => string | undefined
  dates?: DateFormat
}

/** "Ada", "Ada and Bob", "Ada, Bob and Cy"; "Someone" when no author is known. */
export function people(ids: readonly string[], nameOf: (id: string) => string): string {
  const names = ids.map(nameOf)
  if (names.length === 0) return 'Someone'
  if (names.length === 1) return names[0]!
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

const FIELD_NAMES: Record<string, string> = {
  priority: 'priority',
  startDate: 'start date',
  dueDate: 'due date',
  estimate: 'estimate',
}
const DAY_FIELDS = new Set(['startDate', 'dueDate'])

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * One change as a sentence; `subject` names the task ("“Write copy”" the first time, "it"
 * after). Comments read "3 new comments from Cat", the rest "Ada moved it from To do to Review".
 */
export function describeAwayChange(c: AwayChange, subject: string, opts: AwayTextOptions): string {
  const who = people(c.userIds, opts.nameOf)
  const of = subject === 'it' ? '' : ` of ${subject}`
  const value = (v: unknown) => {
    if (v === null || v === undefined || v === '' || v === 'none') return 'none'
    if (DAY_FIELDS.has(c.field ?? '') && typeof v === 'string') {
      return (opts.dates ?? viewerDates).day(v)
    }
    return typeof v === 'string' ? v : JSON.stringify(v)
  }
  switch (c.kind) {
    case 'created':
      return `${who} created ${subject}`
    case 'moved':
      return `${who} moved ${subject} from ${c.fromColumnName ?? 'a deleted column'} to ${c.toColumnName ?? 'a deleted column'}`
    case 'comments':
      return `${plural(c.count ?? 0, 'new comment')}${subject === 'it' ? '' : ` on ${subject}`} from ${who}`
    case 'checklist': {
      const parts: string[] = []
      if (c.count) parts.push(`checked ${plural(c.count, 'checklist item')}`)
      if (c.uncheckedCount) parts.push(`unchecked ${plural(c.uncheckedCount, 'checklist item')}`)
      return `${who} ${parts.join(' and ')}${subject === 'it' ? '' : ` on ${subject}`}`
    }
    case 'deleted':
      return `${who} moved ${subject} to the trash`
    case 'restored':
      return `${who} restored ${subject} from the trash`
    case 'field': {
      const field = c.field ?? ''
      if (field === 'title') {
        // First in the line: the old and the new name; later, "it" already names the new one.
        return subject === 'it'
          ? `${who} renamed it (was “${value(c.from)}”)`
          : `${who} renamed “${value(c.from)}” to “${value(c.to)}”`
      }
      if (field === 'description') {
        return `${who} edited ${subject === 'it' ? 'its' : 'the'} description${of}`
      }
      if (field === 'assignees') {
        const parts: string[] = []
        if (c.added?.length) parts.push(`assigned ${people(c.added, opts.nameOf)}`)
        if (c.removed?.length) parts.push(`unassigned ${people(c.removed, opts.nameOf)}`)
        return `${who} ${parts.join(' and ')}${subject === 'it' ? '' : ` on ${subject}`}`
      }
      if (field === 'labels') {
        const label = (id: string) => c.names?.[id] ?? opts.labelName?.(id) ?? 'a deleted label'
        const parts: string[] = []
        if (c.added?.length) parts.push(`added ${c.added.map(label).join(', ')}`)
        if (c.removed?.length) parts.push(`removed ${c.removed.map(label).join(', ')}`)
        return `${who} ${parts.join(' and ')}${subject === 'it' ? '' : ` on ${subject}`}`
      }
      const name = FIELD_NAMES[field] ?? field
      return `${who} changed ${subject === 'it' ? 'its' : 'the'} ${name}${of} from ${value(c.from)} to ${value(c.to)}`
    }
    default:
      return `${who} changed ${subject}`
  }
}

/**
 * A task's changes as one line: "Ada moved “Write copy” from To do to Review; Bob renamed
 * it (was “Copy”); 3 new comments from Cat".
 */
export function describeAwayTask(t: AwayTask, opts: AwayTextOptions): string {
  return t.changes
    .map((c, i) => describeAwayChange(c, i === 0 ? `“${t.title || 'Untitled'}”` : 'it', opts))
    .join('; ')
}
