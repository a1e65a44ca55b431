import { CalendarDays, GanttChart, KanbanSquare, Rows3 } from 'lucide-react'
import { BoardViewAdapter } from './BoardViewAdapter'
import { CalendarView } from './calendar/CalendarView'
import { TimelineView } from './calendar/TimelineView'
import { ListView } from './ListView'
import { registerView } from './registry'

/* The views of a project, in tab order. */
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
registerView({
  kind: 'calendar',
  label: 'Calendar',
  icon: CalendarDays,
  options: { sort: false, group: false, columns: false },
  component: CalendarView,
})
registerView({
  kind: 'timeline',
  label: 'Timeline',
  icon: GanttChart,
  // Rows follow the shared sort and grouping (by column, assignee, priority, …).
  options: { sort: true, group: true, columns: false },
  component: TimelineView,
})
