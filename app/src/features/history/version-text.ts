import { diffWords } from 'diff'
import type { TaskVersion } from '../../api/history.api'

/** A piece of a description diff: kept, added or removed text. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed'
  text: string
}

/**
 * What changed in a description from one version to the next, word by word (jsdiff's
 * `diffWords`: the well-kept implementation of Myers' diff; whitespace stays with words).
 * @example descriptionDiff('Ship it', 'Ship it today') // [same 'Ship it', added ' today']
 */
export function descriptionDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }))
}

export const FIELD_LABELS: Record<TaskVersion['field'], string> = {
  title: 'Title',
  description: 'Description',
  column: 'Column',
  assignees: 'Assignees',
  labels: 'Labels',
  priority: 'Priority',
  startDate: 'Start date',
  dueDate: 'Due date',
  estimate: 'Estimate',
  checklist: 'Checklist',
  trashed: 'Trash',
}

/** A version's value as a line of text (descriptions are shown as a diff instead). */
export function versionValue(
  v: TaskVersion,
  names: { user: (id: string) => string; label: (id: string) => string },
): string {
  switch (v.field) {
    case 'title':
    case 'description':
      return v.value || '(empty)'
    case 'column':
      return v.value.name ?? 'a deleted column'
    case 'assignees':
      return v.value.length ? v.value.map(names.user).join(', ') : 'nobody'
    case 'labels':
      return v.value.length ? v.value.map(names.label).join(', ') : 'none'
    case 'priority':
      return v.value
    case 'startDate':
    case 'dueDate':
      return v.value ?? 'none'
    case 'estimate':
      return v.value === null ? 'none' : String(v.value)
    case 'checklist':
      return v.value.length
        ? v.value.map((i) => `${i.done ? '☑' : '☐'} ${i.text}`).join(' · ')
        : 'no items'
    case 'trashed':
      return v.value ? 'moved to the trash' : 'on the board'
  }
}

/**
 * Each description version with the one before it (versions come newest first), so the
 * panel can show what that version changed; the oldest is diffed against an empty text.
 */
export function previousDescriptions(versions: readonly TaskVersion[]): Map<TaskVersion, string> {
  const out = new Map<TaskVersion, string>()
  const descriptions = versions.filter((v) => v.field === 'description')
  descriptions.forEach((v, i) => {
    const older = descriptions[i + 1]
    out.set(v, older && older.field === 'description' ? older.value : '')
  })
  return out
}
