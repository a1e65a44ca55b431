import { createRoute, lazyRouteComponent } from '@tanstack/react-router'
import { ProjectsPage } from '../features/projects/ProjectsPage'
import { authedRoute } from './_authed'

export const projectsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects',
  component: ProjectsPage,
})

/** The board; code-split so the projects list loads without the board's libraries. */
export const projectRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'projects/$projectId',
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

export const profileRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'profile',
  component: lazyRouteComponent(() => import('../features/settings/ProfilePage'), 'ProfilePage'),
})
