import { RouterProvider } from '@tanstack/react-router'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { configureApiClient } from './api/client'
import { clearSession, getSession } from './auth/session'
import { router } from './router'
import { registerServiceWorker } from './sw-register'
import { applyTheme } from './ui/theme'
import './styles.css'

applyTheme()
configureApiClient({
  token: () => getSession()?.token ?? null,
  onUnauthorized: sessionExpired,
})

/**
 * The server no longer accepts the token: forget it (keeping local data, the same person
 * signs back in) and go to login, which says why and returns here afterwards. Several
 * requests fail at once; only the first one navigates.
 */
function sessionExpired(): void {
  if (getSession()) clearSession()
  const { pathname, href } = router.state.location
  if (pathname === '/login' || pathname === '/signup') return
  void router.navigate({ to: '/login', search: { redirect: href, reason: 'expired' } })
}
registerServiceWorker()
// The benchmark build (`vite build --mode bench`, app/bench) adds its hooks; in the product
// build this branch is dead and the module is not even emitted.
if (import.meta.env.MODE === 'bench') void import('./bench/bench-hooks')

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
)
