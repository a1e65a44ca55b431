import { createRoute, redirect } from '@tanstack/react-router'
import { getSession } from '../auth/session'
import { LoginPage } from '../features/auth/LoginPage'
import { rootRoute } from './__root'
import { authSearchSchema } from './auth-search'

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  validateSearch: (search) => authSearchSchema.parse(search),
  beforeLoad: ({ search }) => {
    if (getSession()) throw redirect({ href: search.redirect ?? '/projects' })
  },
  component: function LoginRoute() {
    const { redirect, reason } = loginRoute.useSearch()
    return <LoginPage mode="login" redirectTo={redirect} expired={reason === 'expired'} />
  },
})

export const signupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'signup',
  validateSearch: (search) => authSearchSchema.parse(search),
  beforeLoad: ({ search }) => {
    if (getSession()) throw redirect({ href: search.redirect ?? '/projects' })
  },
  component: function SignupRoute() {
    return <LoginPage mode="signup" redirectTo={signupRoute.useSearch().redirect} />
  },
})
