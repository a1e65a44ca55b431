import { createRoute, lazyRouteComponent } from '@tanstack/react-router'
import { authedRoute } from './_authed'

/** Instance administration; the server refuses non-admins (403), the menu hides the link. */
export const adminRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'admin',
  component: lazyRouteComponent(() => import('../features/admin/AdminPage'), 'AdminPage'),
})
