import { createRoute, lazyRouteComponent } from '@tanstack/react-router'
import { z } from 'zod'
import { ProjectsPage } from '../features/projects/ProjectsPage'
import { viewSearchSchema } from '../features/views/view-search'
import { authedRoute } from './_authed'

export const projectsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects',
  component: ProjectsPage,
})

/** Import a Trello board, a CSV file or a TaskFlow export as a new project; its own chunk. */
export const importRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects/import',
  component: lazyRouteComponent(() => import('../features/imports/ImportPage'), 'ImportPage'),
})

/**
 * The project's views (board, list, …); code-split so the projects list loads without the
 * board's libraries. The search params are the view state (features/views/view-search.ts).
 */
export const projectRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects/$projectId',
  validateSearch: (search) => viewSearchSchema.parse(search),
  component: lazyRouteComponent(
    () => import('../features/board/ProjectBoardPage'),
    'ProjectBoardPage',
  ),
})

/** Task detail: a panel over the board, at its own shareable URL. */
export const taskRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: 'tasks/$taskId',
  component: lazyRouteComponent(() => import('../features/task/TaskPanel'), 'TaskPanelRoute'),
})

export const projectSettingsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects/$projectId/settings',
  component: lazyRouteComponent(
    () => import('../features/settings/ProjectSettingsPage'),
    'ProjectSettingsPage',
  ),
})

/** Project settings → custom fields (edited in the board document); its own chunk. */
export const projectFieldsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects/$projectId/fields',
  component: lazyRouteComponent(
    () => import('../features/fields/FieldsSettingsPage'),
    'FieldsSettingsPage',
  ),
})

/** A project's activity feed; its own chunk. */
export const projectActivityRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects/$projectId/activity',
  component: lazyRouteComponent(() => import('../features/activity/ActivityPage'), 'ActivityPage'),
})

/** `?range=14|30|90`: the reports' date range in days; anything else falls back to the default. */
const reportsSearchSchema = z.object({
  range: z
    .union([z.literal(14), z.literal(30), z.literal(90)])
    .optional()
    .catch(undefined),
})

/** Charts of a project; its own chunk so the charting library never weighs on the board. */
export const projectReportsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects/$projectId/reports',
  validateSearch: (search) => reportsSearchSchema.parse(search),
  component: lazyRouteComponent(() => import('../features/reports/ReportsPage'), 'ReportsPage'),
})

/** Open tasks assigned to me across projects. */
export const myTasksRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'my-tasks',
  component: lazyRouteComponent(() => import('../features/reports/MyTasksPage'), 'MyTasksPage'),
})

export const profileRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'profile',
  component: lazyRouteComponent(() => import('../features/settings/ProfilePage'), 'ProfilePage'),
})
