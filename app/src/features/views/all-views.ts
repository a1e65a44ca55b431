import { KanbanSquare, Rows3 } from 'lucide-react'
import { BoardViewAdapter } from './BoardViewAdapter'
import { ListView } from './ListView'
import { registerView } from './registry'

/*
 * The views of a project, in tab order. Calendar and timeline register here the same way:
 * registerView({ kind: 'calendar', label: 'Calendar', icon: CalendarDays,
 *   options: { sort: false, group: false, columns: false }, component: CalendarView })
 */
registerView({
  kind: 'board',
  label: 'Board',
  icon: KanbanSquare,
  options: { sort: false, group: false, columns: false },
  component: BoardViewAdapter,
})
registerView({
  kind: 'list',
  label: 'List',
  icon: Rows3,
  options: { sort: true, group: true, columns: true },
  component: ListView,
})
