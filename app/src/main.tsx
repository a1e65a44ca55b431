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
  // An expired token: forget it (keeping local data, the same person signs back in) and go to login.
  onUnauthorized: () => {
    clearSession()
    void router.navigate({ to: '/login', search: { redirect: router.state.location.href } })
  },
})
registerServiceWorker()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
)
