import { createRoute } from '@tanstack/react-router'
import { InvitationPage } from '../features/auth/InvitationPage'
import { rootRoute } from './__root'

/** The e-mailed invitation link; open to everyone (the token is the credential). */
export const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'invitations/$token',
  component: function InvitationRoute() {
    return <InvitationPage token={invitationRoute.useParams().token} />
  },
})
