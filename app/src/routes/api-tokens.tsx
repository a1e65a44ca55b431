import { createRoute, lazyRouteComponent } from '@tanstack/react-router'
import { authedRoute } from './_authed'

/** Settings → API tokens (personal tokens for the REST API). */
export const apiTokensRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: 'settings/tokens',
  component: lazyRouteComponent(
    () => import('../features/settings/ApiTokensPage'),
    'ApiTokensPage',
  ),
})
