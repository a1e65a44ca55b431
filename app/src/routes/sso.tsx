import { createRoute } from '@tanstack/react-router'
import { SsoLandingPage } from '../features/auth/SsoLandingPage'
import { rootRoute } from './__root'

/** The end of single sign-on: the server redirects here with the session in the fragment. */
export const ssoLandingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'auth/sso',
  component: SsoLandingPage,
})
