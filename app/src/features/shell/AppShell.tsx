import { Link, Outlet, useNavigate } from '@tanstack/react-router'
import { LogOut, Moon, Sun, User } from 'lucide-react'
import { DropdownMenu } from 'radix-ui'
import { useState } from 'react'
import { signOut } from '../../auth/sign-out'
import { useRequiredSession } from '../../auth/use-session'
import { Avatar } from '../../ui/primitives'
import { currentTheme, toggleTheme } from '../../ui/theme'
import { NotificationBell } from '../notifications/NotificationBell'

const NAV_LINK =
  'rounded-md px-2.5 py-1.5 font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
const NAV_ACTIVE = 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white'

/** Header + page of every signed-in screen. */
export function AppShell() {
  const session = useRequiredSession()
  const navigate = useNavigate()
  const [theme, setTheme] = useState(currentTheme)

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
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-red-600 outline-none data-highlighted:bg-red-50 dark:data-highlighted:bg-red-950"
                onSelect={async () => {
                  await signOut()
                  await navigate({ to: '/login', search: { redirect: undefined } })
                }}
              >
                <LogOut className="size-4" /> Sign out
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </header>
      <Outlet />
    </div>
  )
}
