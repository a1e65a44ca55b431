import { useEffect } from 'react'
import { listNotifications, markNotificationRead } from '../../api/collab.api'
import { useUnread } from './unread-store'

/**
 * Opening a task reads what it was notified about: its unread notifications are marked read
 * (looked up only while something is unread; the stream then sends the new count).
 * The API has no "read by task" call, so this lists the unread ones and marks each.
 */
export function useMarkTaskRead(taskId: string): void {
  const { count, latest } = useUnread()
  const hasUnread = (count ?? 0) > 0
  // biome-ignore lint/correctness/useExhaustiveDependencies: `latest` re-checks after a new one
  useEffect(() => {
    if (!hasUnread) return
    let cancelled = false
    listNotifications({ unread: true, limit: 100 }).then(
      (r) => {
        if (cancelled) return
        for (const n of r.notifications) {
          if (n.taskId === taskId && !n.readAt) markNotificationRead(n.id).catch(() => {})
        }
      },
      () => {},
    )
    return () => {
      cancelled = true
    }
  }, [taskId, hasUnread, latest])
}
