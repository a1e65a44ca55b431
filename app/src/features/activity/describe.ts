import { MENTION_PATTERN } from '@taskflow/board'
import type { ActivityEntry } from '../../api/collab.api'
import { type DateFormat, viewerDates } from '../../ui/dates'

const FIELD_NAMES: Record<string, string> = {
  title: 'the title',
  description: 'the description',
  priority: 'the priority',
  startDate: 'the start date',
  dueDate: 'the due date',
  estimate: 'the estimate',
  assignees: 'the assignees',
  labels: 'the labels',
}

const show = (v: unknown): string =>
  v === null || v === undefined || v === '' ? 'none' : typeof v === 'string' ? v : JSON.stringify(v)

/** Fields holding calendar days, shown in the app's one date format. */
const DAY_FIELDS = new Set(['startDate', 'dueDate'])

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

export interface DescribeOptions {
  withTask: boolean
  /** User ids (assignees) → names. */
  nameOf?: (userId: string) => string
  /** Label ids → names from the board, for entries written before they carried the names. */
  labelName?: (labelId: string) => string | undefined
  dates?: DateFormat
}

/**
 * One activity entry as a sentence without its actor ("moved “Spec” from To do to Done").
 * A comment's text is not part of it: `commentExcerpt` gives it, to be shown as markdown.
 */
export function describeActivity(
  e: Pick<ActivityEntry, 'kind' | 'subject' | 'data'> & { userId?: string | null },
  opts: DescribeOptions = { withTask: true },
): string {
  const dates = opts.dates ?? viewerDates
  const d = e.data
  const task = opts.withTask ? ` “${str(d.taskTitle) || 'Untitled'}”` : ''
  const on = opts.withTask ? ` on${task}` : ''
  const names = (ids: unknown) =>
    Array.isArray(ids) ? ids.map((id) => opts.nameOf?.(String(id)) ?? String(id)).join(', ') : ''
  switch (e.kind) {
    case 'task_created':
      return `created${task || ' the task'}${d.columnName ? ` in ${str(d.columnName)}` : ''}`
    case 'task_moved':
      return `moved${task || ' the task'} from ${str(d.fromColumnName) || '?'} to ${str(d.toColumnName) || '?'}`
    case 'move_replaced': {
      // A move that a later concurrent move replaced (merge rule B10): told from the side
      // of whoever the entry is by, the replaced mover or the one whose move stands.
      const to = str(d.toColumnName) || '?'
      const from = str(d.fromColumnName)
      const later = str(d.replacedByColumnName) || '?'
      const person = (id: unknown) =>
        typeof id === 'string' ? (opts.nameOf?.(id) ?? id) : 'someone'
      if (e.userId && e.userId === d.moverId) {
        return `moved${task || ' the task'}${from ? ` from ${from}` : ''} to ${to}, but ${person(d.replacedById)}’s later move to ${later} replaced it`
      }
      return `replaced ${person(d.moverId)}’s move of${task || ' the task'} to ${to} with a later move to ${later}`
    }
    case 'field_changed': {
      const field = str(d.field) || e.subject || ''
      const what = FIELD_NAMES[field] ?? field
      if (field === 'assignees' || field === 'labels') {
        const parts: string[] = []
        const added = names(d.added)
        const removed = names(d.removed)
        if (field === 'assignees') {
          if (added) parts.push(`assigned ${added}`)
          if (removed) parts.push(`unassigned ${removed}`)
        } else {
          const added = labelPhrase(d.added, d.names, opts.labelName)
          const removed = labelPhrase(d.removed, d.names, opts.labelName)
          if (added) parts.push(`added ${added}`)
          if (removed) parts.push(`removed ${removed}`)
        }
        return `${parts.join(' and ') || `changed ${what}`}${on}`
      }
      if (field === 'description') return `edited ${what}${on}`
      const value = (v: unknown) =>
        DAY_FIELDS.has(field) && typeof v === 'string' && v ? dates.day(v) : show(v)
      return `changed ${what}${on} from ${value(d.from)} to ${value(d.to)}`
    }
    case 'checklist_item_done':
      return `checked “${str(d.text)}”${on}`
    case 'checklist_item_undone':
      return `unchecked “${str(d.text)}”${on}`
    case 'comment_added':
      return `commented${on}`
    case 'task_deleted':
      return `moved${task || ' the task'} to the trash`
    case 'task_restored':
      return `restored${task || ' the task'}`
    default:
      return `${e.kind.replace(/_/g, ' ')}${on}`
  }
}

/** The comment text of a `comment_added` entry (markdown with mention tokens), else null. */
export function commentExcerpt(e: Pick<ActivityEntry, 'kind' | 'data'>): string | null {
  return e.kind === 'comment_added' ? str(e.data.excerpt) || null : null
}

/**
 * "label Bug", "labels Bug, UI": names from the entry (as they were then), else from the
 * board; labels known to neither (deleted since) are counted.
 */
function labelPhrase(
  ids: unknown,
  stored: unknown,
  fromBoard: DescribeOptions['labelName'],
): string {
  if (!Array.isArray(ids) || ids.length === 0) return ''
  const names =
    stored !== null && typeof stored === 'object' ? (stored as Record<string, unknown>) : {}
  const known: string[] = []
  let unknown = 0
  for (const id of ids.map(String)) {
    const name = typeof names[id] === 'string' ? (names[id] as string) : fromBoard?.(id)
    if (name) known.push(name)
    else unknown++
  }
  const parts = [...known]
  if (unknown > 0) parts.push(`${unknown} deleted label${unknown > 1 ? 's' : ''}`)
  if (known.length === 0) return parts[0]!
  return `label${ids.length > 1 ? 's' : ''} ${parts.join(', ')}`
}

/** `<@id>` tokens in an excerpt as `@Name`. */
export function plainMentions(text: string, nameOf: (userId: string) => string): string {
  return text.replace(MENTION_PATTERN, (_, id: string) => `@${nameOf(id)}`)
}
