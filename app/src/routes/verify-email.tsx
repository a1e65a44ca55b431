import { createRoute } from '@tanstack/react-router'
import { VerifyEmailPage } from '../features/auth/VerifyEmailPage'
import { rootRoute } from './__root'

/** The e-mailed verification link; open to everyone (the token is the credential). */
export const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'verify-email/$token',
  component: function VerifyEmailRoute() {
    return <VerifyEmailPage token={verifyEmailRoute.useParams().token} />
  },
})
