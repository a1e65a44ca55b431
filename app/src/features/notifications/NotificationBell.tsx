import { useNavigate } from '@tanstack/react-router'
import { Bell, CheckCheck } from 'lucide-react'
import { Popover } from 'radix-ui'
import { useEffect, useState } from 'react'
import { errorMessage } from '../../api/client'
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  type Notification,
} from '../../api/collab.api'
import { viewerDates } from '../../ui/dates'
import { cx, Spinner } from '../../ui/primitives'
import { When } from '../../ui/When'
import { setUnreadCount, useUnread } from './unread-store'

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** What a notification says, naming the actor and the task. */
export function notificationText(n: Notification): string {
  const actor = str(n.data.actorName) || 'Someone'
  const task = `“${str(n.data.taskTitle) || 'a task'}”`
  switch (n.kind) {
    case 'assigned':
      return `${actor} assigned you to ${task}`
    case 'mentioned':
      return `${actor} mentioned you ${n.data.in === 'description' ? 'in the description of' : 'on'} ${task}`
    case 'comment':
      return `${actor} commented on ${task}`
    case 'done':
      return `${actor} moved ${task} to ${str(n.data.columnName) || 'done'}`
    case 'due_soon':
      return `${task} is due ${n.data.dueDate ? viewerDates.day(str(n.data.dueDate)) : 'soon'}`
    case 'overdue':
      return `${task} is overdue`
    case 'added':
      return `${actor} added you to ${str(n.data.projectName) || 'a project'}`
    default:
      return `${actor}: ${n.kind.replace(/_/g, ' ')}`
  }
}

/** Header bell: live unread count, the latest notifications, mark read / all read. */
export function NotificationBell() {
  const { count, latest } = useUnread()
  const [open, setOpen] = useState(false)
  const [items, setItems] = useState<Notification[] | null>(null)
  const [nextBefore, setNextBefore] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const navigate = useNavigate()

  // biome-ignore lint/correctness/useExhaustiveDependencies: `latest` reloads an open list
  useEffect(() => {
    if (!open) return
    let cancelled = false
    listNotifications({ limit: 20 }).then(
      (r) => {
        if (cancelled) return
        setItems(r.notifications)
        setNextBefore(r.nextBefore)
        setUnreadCount(r.unreadCount)
        setError(null)
      },
      (err) => !cancelled && setError(errorMessage(err)),
    )
    return () => {
      cancelled = true
    }
  }, [open, latest])

  const openOne = (n: Notification) => {
    setOpen(false)
    if (!n.readAt) {
      setItems((list) => list?.map((x) => (x.id === n.id ? { ...x, readAt: 'now' } : x)) ?? null)
      if (count) setUnreadCount(Math.max(0, count - 1))
      markNotificationRead(n.id).catch(() => {})
    }
    const link =
      n.link ??
      (n.projectId && n.taskId
        ? `/projects/${n.projectId}/tasks/${n.taskId}`
        : n.projectId
          ? `/projects/${n.projectId}`
          : null)
    if (link) void navigate({ to: link })
  }

  const unread = count ?? 0
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        aria-label={unread > 0 ? `Notifications (${unread} unread)` : 'Notifications'}
        data-testid="notification-bell"
        className="relative rounded-md p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
      >
        <Bell className="size-4" />
        {unread > 0 && (
          <span
            data-testid="notification-count"
            className="absolute -top-0.5 -right-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-red-600 px-1 text-[10px] font-bold text-white"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          data-testid="notification-list"
          className="z-50 w-80 rounded-md border border-slate-200 bg-white text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="flex items-center border-b border-slate-200 px-3 py-2 dark:border-slate-700">
            <span className="flex-1 font-semibold">Notifications</span>
            <button
              type="button"
              disabled={unread === 0}
              className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs text-indigo-600 hover:bg-slate-100 disabled:opacity-40 dark:text-indigo-400 dark:hover:bg-slate-800"
              onClick={() => {
                setUnreadCount(0)
                setItems((list) => list?.map((x) => ({ ...x, readAt: x.readAt ?? 'now' })) ?? null)
                markAllNotificationsRead().catch(() => {})
              }}
            >
              <CheckCheck className="size-3.5" /> Mark all read
            </button>
          </div>
          <div className="max-h-96 overflow-y-auto p-1">
            {error && !items ? (
              <p className="p-3 text-slate-500">{error}</p>
            ) : !items ? (
              <div className="p-3">
                <Spinner label="Loading" />
              </div>
            ) : items.length === 0 ? (
              <p className="p-3 text-slate-500">Nothing new.</p>
            ) : (
              items.map((n) => (
                <button
                  key={n.id}
                  type="button"
                  data-testid="notification-item"
                  data-unread={!n.readAt}
                  onClick={() => openOne(n)}
                  className={cx(
                    'flex w-full gap-2 rounded px-2 py-2 text-left hover:bg-slate-100 dark:hover:bg-slate-800',
                    !n.readAt && 'bg-indigo-50/60 dark:bg-indigo-950/40',
                  )}
                >
                  <span
                    className={cx(
                      'mt-1.5 size-2 shrink-0 rounded-full',
                      n.readAt ? 'bg-transparent' : 'bg-indigo-500',
                    )}
                  />
                  <span className="min-w-0 flex-1">
                    <span className="block text-slate-800 dark:text-slate-200">
                      {notificationText(n)}
                    </span>
                    <span className="block text-xs text-slate-500">
                      {str(n.data.projectName)}
                      {str(n.data.projectName) ? ' · ' : ''}
                      <When at={n.createdAt} />
                    </span>
                  </span>
                </button>
              ))
            )}
            {items && nextBefore && (
              <button
                type="button"
                className="w-full rounded px-2 py-1.5 text-center text-xs text-indigo-600 hover:bg-slate-100 dark:text-indigo-400 dark:hover:bg-slate-800"
                onClick={() =>
                  listNotifications({ before: nextBefore, limit: 20 }).then(
                    (r) => {
                      setItems((list) => [...(list ?? []), ...r.notifications])
                      setNextBefore(r.nextBefore)
                    },
                    (err) => setError(errorMessage(err)),
                  )
                }
              >
                Show older
              </button>
            )}
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
