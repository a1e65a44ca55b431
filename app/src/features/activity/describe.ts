import { MENTION_PATTERN } from '@taskflow/board'
import type { ActivityEntry } from '../../api/collab.api'

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

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/**
 * One activity entry as a sentence without its actor ("moved “Spec” from To do to Done").
 * `nameOf` turns user ids (assignees) into names.
 */
export function describeActivity(
  e: Pick<ActivityEntry, 'kind' | 'subject' | 'data'> & { userId?: string | null },
  opts: { withTask: boolean; nameOf?: (userId: string) => string } = { withTask: true },
): string {
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
          if (Array.isArray(d.added) && d.added.length)
            parts.push(`added ${d.added.length} label(s)`)
          if (Array.isArray(d.removed) && d.removed.length)
            parts.push(`removed ${d.removed.length} label(s)`)
        }
        return `${parts.join(' and ') || `changed ${what}`}${on}`
      }
      if (field === 'description') return `edited ${what}${on}`
      return `changed ${what}${on} from ${show(d.from)} to ${show(d.to)}`
    }
    case 'checklist_item_done':
      return `checked “${str(d.text)}”${on}`
    case 'checklist_item_undone':
      return `unchecked “${str(d.text)}”${on}`
    case 'comment_added':
      return `commented${on}: ${str(d.excerpt)}`
    case 'task_deleted':
      return `moved${task || ' the task'} to the trash`
    case 'task_restored':
      return `restored${task || ' the task'}`
    default:
      return `${e.kind.replace(/_/g, ' ')}${on}`
  }
}

/** `<@id>` tokens in an excerpt as `@Name`. */
export function plainMentions(text: string, nameOf: (userId: string) => string): string {
  return text.replace(MENTION_PATTERN, (_, id: string) => `@${nameOf(id)}`)
}
