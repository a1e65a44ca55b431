import { Link, Outlet, useNavigate } from '@tanstack/react-router'
import { KeyRound, LogOut, Moon, Shield, Sun, User } from 'lucide-react'
import { DropdownMenu } from 'radix-ui'
import { useEffect, useState } from 'react'
import type { Session } from '../../auth/session'
import {
  cancelSignOutWhenSynced,
  discardAndSignOut,
  signOutWhenSynced,
  useWaitingSignOut,
  wasWaitingToSignOut,
} from '../../auth/sign-out'
import { useSession } from '../../auth/use-session'
import { unsyncedCount } from '../../sync/unsynced'
import { Avatar, Button } from '../../ui/primitives'
import { currentTheme, toggleTheme } from '../../ui/theme'
import { useIsAdmin } from '../admin/use-is-admin'
import { NotificationBell } from '../notifications/NotificationBell'
import { DeviceSearchIndexer, SearchLauncher } from '../search/SearchDialog'
import { changesText, UnsyncedChangesDialog } from './SignOutDialog'

const NAV_LINK =
  'rounded-md px-2.5 py-1.5 font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
const NAV_ACTIVE = 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white'

/**
 * Header + page of every signed-in screen. Renders nothing once the session is gone (an
 * expired token clears it while these pages are shown; the login page takes over).
 */
export function AppShell() {
  const session = useSession()
  return session ? <SignedInShell session={session} /> : null
}

function SignedInShell({ session }: { session: Session }) {
  const navigate = useNavigate()
  const [theme, setTheme] = useState(currentTheme)
  const [askUnsynced, setAskUnsynced] = useState<number | null>(null)
  const waitingSignOut = useWaitingSignOut()
  const toLogin = () => void navigate({ to: '/login', search: { redirect: undefined } })
  const userId = session.user.id
  const isAdmin = useIsAdmin(session.token)

  // A reload while a sign-out waited for the server goes on waiting.
  useEffect(() => {
    if (!wasWaitingToSignOut(userId)) return
    signOutWhenSynced(() => void navigate({ to: '/login', search: { redirect: undefined } }))
  }, [userId, navigate])

  async function requestSignOut() {
    const unsynced = unsyncedCount(userId)
    if (unsynced > 0) return setAskUnsynced(unsynced)
    await discardAndSignOut()
    toLogin()
  }

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
        <Link to="/projects" className="flex items-center gap-2 font-bold tracking-tight">
          <img src="/icons/icon.svg" alt="" className="size-7" />
          <span className="hidden sm:inline">TaskFlow</span>
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1 text-sm">
          <Link to="/projects" className={NAV_LINK} activeProps={{ className: NAV_ACTIVE }}>
            Projects
          </Link>
          <Link to="/my-tasks" className={NAV_LINK} activeProps={{ className: NAV_ACTIVE }}>
            My tasks
          </Link>
        </nav>
        <div className="flex-1" />
        <DeviceSearchIndexer userId={userId} />
        <SearchLauncher />
        <NotificationBell />
        <button
          type="button"
          aria-label="Toggle dark theme"
          className="rounded-md p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
          onClick={() => setTheme(toggleTheme())}
        >
          {theme === 'dark' ? <Sun className="size-4" /> : <Moon className="size-4" />}
        </button>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger
            aria-label="Account menu"
            className="rounded-full focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            <Avatar id={session.user.id} name={session.user.name || session.user.email} />
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              align="end"
              sideOffset={6}
              className="z-50 min-w-48 rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
            >
              <div className="px-2 py-1.5 text-xs text-slate-500">{session.user.email}</div>
              <DropdownMenu.Item
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-highlighted:bg-slate-100 dark:data-highlighted:bg-slate-800"
                onSelect={() => void navigate({ to: '/profile' })}
              >
                <User className="size-4" /> Profile
              </DropdownMenu.Item>
              <DropdownMenu.Item
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-highlighted:bg-slate-100 dark:data-highlighted:bg-slate-800"
                onSelect={() => void navigate({ to: '/settings/tokens' })}
              >
                <KeyRound className="size-4" /> API tokens
              </DropdownMenu.Item>
              {isAdmin && (
                <DropdownMenu.Item
                  className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-highlighted:bg-slate-100 dark:data-highlighted:bg-slate-800"
                  onSelect={() => void navigate({ to: '/admin' })}
                >
                  <Shield className="size-4" /> Admin
                </DropdownMenu.Item>
              )}
              <DropdownMenu.Item
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-red-600 outline-none data-highlighted:bg-red-50 dark:data-highlighted:bg-red-950"
                onSelect={() => void requestSignOut()}
              >
                <LogOut className="size-4" /> Sign out
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </header>
      {waitingSignOut && (
        <div
          role="status"
          data-testid="signout-waiting"
          className="flex flex-wrap items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          <span className="flex-1">
            You will be signed out once {changesText(waitingSignOut.unsynced)}{' '}
            {waitingSignOut.unsynced === 1 ? 'reaches' : 'reach'} the server.
          </span>
          <Button variant="ghost" size="sm" onClick={cancelSignOutWhenSynced}>
            Stay signed in
          </Button>
        </div>
      )}
      <UnsyncedChangesDialog
        open={askUnsynced !== null}
        unsynced={askUnsynced ?? 0}
        title="Sign out with unsynced changes?"
        consequence="Signing out deletes this device's copy of your projects: discarded changes are lost for everyone."
        wait={{
          label: 'Stay signed in until synced',
          onSelect: () => {
            setAskUnsynced(null)
            signOutWhenSynced(toLogin)
          },
        }}
        onDiscard={async () => {
          setAskUnsynced(null)
          await discardAndSignOut()
          toLogin()
        }}
        onCancel={() => setAskUnsynced(null)}
      />
      <Outlet />
    </div>
  )
}
