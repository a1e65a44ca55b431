import {
  type COLUMN_CATEGORIES,
  type FilterField,
  ME,
  NONE,
  type PRIORITIES,
  parseDueRange,
} from '@taskflow/board'

export const FIELD_LABELS: Record<FilterField, string> = {
  assignee: 'Assignee',
  label: 'Label',
  priority: 'Priority',
  status: 'Status',
  due: 'Due',
  createdBy: 'Created by',
  updatedBy: 'Updated by',
}

export const CATEGORY_LABELS: Record<(typeof COLUMN_CATEGORIES)[number], string> = {
  todo: 'To do',
  in_progress: 'In progress',
  done: 'Done',
}

export const DUE_LABELS: Record<string, string> = {
  overdue: 'Overdue',
  today: 'Today',
  week: 'This week',
  none: 'No due date',
}

export const PRIORITY_LABELS: Record<(typeof PRIORITIES)[number], string> = {
  urgent: 'Urgent',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'No priority',
}

/** Fields with several values per task, where "all" differs from "any" in a useful way. */
export const MULTI_VALUED: readonly FilterField[] = ['assignee', 'label', 'due']

/** How a filter value reads on a chip. */
export function valueLabel(
  field: FilterField,
  value: string,
  names: { user: (id: string) => string; label: (id: string) => string },
): string {
  switch (field) {
    case 'assignee':
    case 'createdBy':
    case 'updatedBy':
      if (value === ME) return 'Me'
      if (value === NONE) return field === 'assignee' ? 'Unassigned' : 'Nobody'
      return names.user(value)
    case 'label':
      return value === NONE ? 'No label' : names.label(value) || 'Deleted label'
    case 'priority':
      return PRIORITY_LABELS[value as keyof typeof PRIORITY_LABELS] ?? value
    case 'status':
      return CATEGORY_LABELS[value as keyof typeof CATEGORY_LABELS] ?? value
    case 'due': {
      const range = parseDueRange(value)
      if (!range) return DUE_LABELS[value] ?? value
      if (range.from && range.to) return `${range.from} – ${range.to}`
      return range.from ? `from ${range.from}` : `until ${range.to}`
    }
  }
}
