import { createRouter } from '@tanstack/react-router'
import { rootRoute } from './routes/__root'
import { authedRoute } from './routes/_authed'
import { indexRoute } from './routes/index'
import { loginRoute, signupRoute } from './routes/login'
import {
  myTasksRoute,
  profileRoute,
  projectActivityRoute,
  projectReportsRoute,
  projectRoute,
  projectSettingsRoute,
  projectsRoute,
  taskRoute,
} from './routes/projects'

const routeTree = rootRoute.addChildren([
  indexRoute,
  loginRoute,
  signupRoute,
  authedRoute.addChildren([
    projectsRoute,
    projectRoute.addChildren([taskRoute]),
    projectSettingsRoute,
    projectReportsRoute,
    projectActivityRoute,
    myTasksRoute,
    profileRoute,
  ]),
])

export const router = createRouter({ routeTree, defaultPreload: 'intent' })

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
}
