import { createRouter } from '@tanstack/react-router'
import { rootRoute } from './routes/__root'
import { authedRoute } from './routes/_authed'
import { adminRoute } from './routes/admin'
import { apiTokensRoute } from './routes/api-tokens'
import { indexRoute } from './routes/index'
import { invitationRoute } from './routes/invitations'
import { loginRoute, signupRoute } from './routes/login'
import { forgotPasswordRoute, resetPasswordRoute } from './routes/password'
import {
  importRoute,
  myTasksRoute,
  profileRoute,
  projectActivityRoute,
  projectFieldsRoute,
  projectReportsRoute,
  projectRoute,
  projectSettingsRoute,
  projectsRoute,
  taskRoute,
} from './routes/projects'
import { ssoLandingRoute } from './routes/sso'
import { verifyEmailRoute } from './routes/verify-email'

const routeTree = rootRoute.addChildren([
  indexRoute,
  loginRoute,
  signupRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  invitationRoute,
  ssoLandingRoute,
  verifyEmailRoute,
  authedRoute.addChildren([
    projectsRoute,
    importRoute,
    projectRoute.addChildren([taskRoute]),
    projectSettingsRoute,
    projectFieldsRoute,
    projectReportsRoute,
    projectActivityRoute,
    myTasksRoute,
    profileRoute,
    apiTokensRoute,
    adminRoute,
  ]),
])

export const router = createRouter({ routeTree, defaultPreload: 'intent' })

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
}
