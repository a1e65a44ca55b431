import { createRoute } from '@tanstack/react-router'
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage'
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage'
import { rootRoute } from './__root'
import { resetSearchSchema } from './auth-search'

/** "Forgot password?": asks for an e-mailed reset link. */
export const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'forgot-password',
  component: ForgotPasswordPage,
})

/** The e-mailed link `${PUBLIC_URL}/reset-password?token=…`. */
export const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'reset-password',
  validateSearch: (search) => resetSearchSchema.parse(search),
  component: function ResetPasswordRoute() {
    return <ResetPasswordPage token={resetPasswordRoute.useSearch().token} />
  },
})
