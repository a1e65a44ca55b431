import { createRoute, redirect } from '@tanstack/react-router'
import { getSession } from '../auth/session'
import { AppShell } from '../features/shell/AppShell'
import { rootRoute } from './__root'

/** Guard of every signed-in page: no session → login, then back to where the user was. */
export const authedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_authed',
  beforeLoad: ({ location }) => {
    if (!getSession()) {
      throw redirect({ to: '/login', search: { redirect: location.href } })
    }
  },
  component: AppShell,
})
