import { useSyncExternalStore } from 'react'
import { authHeaders } from '../../api/client'
import { getUnreadCount, type Notification, notificationSchema } from '../../api/collab.api'
import { getSession, subscribeSession } from '../../auth/session'
import { config } from '../../config'
import { parseSse } from './sse'

/**
 * The signed-in user's unread notification count, kept live from the server's SSE stream
 * (`GET /notifications/stream`, read with fetch streaming because EventSource cannot send the
 * Bearer header). On a dropped stream it reconnects with backoff; while the stream is down
 * it polls the unread count instead.
 */
interface State {
  count: number | null
  /** Bumped on every `notification` event, so an open list reloads. */
  latest: Notification | null
}

let state: State = { count: null, latest: null }
const listeners = new Set<() => void>()
let stopCurrent: (() => void) | null = null
let refs = 0

function set(next: Partial<State>) {
  state = { ...state, ...next }
  for (const l of listeners) l()
}

const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000]
const POLL_MS = 15_000

function start(): () => void {
  let stopped = false
  let attempt = 0
  let controller: AbortController | null = null
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let pollTimer: ReturnType<typeof setInterval> | undefined

  const poll = () => {
    getUnreadCount().then(
      (count) => !stopped && set({ count }),
      () => {},
    )
  }
  const startPolling = () => {
    if (pollTimer) return
    poll()
    pollTimer = setInterval(poll, POLL_MS)
  }
  const stopPolling = () => {
    clearInterval(pollTimer)
    pollTimer = undefined
  }

  const connect = async () => {
    if (stopped) return
    controller = new AbortController()
    try {
      const res = await fetch(`${config.apiBase}/notifications/stream`, {
        headers: { accept: 'text/event-stream', ...authHeaders() },
        signal: controller.signal,
        cache: 'no-store',
      })
      // Signed out elsewhere: the API client's 401 handling (on the next request) signs out.
      if (res.status === 401) stopped = true
      if (!res.ok || !res.body) throw new Error(`stream ${res.status}`)
      stopPolling()
      attempt = 0
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done || stopped) break
        buffer += value
        const parsed = parseSse(buffer)
        buffer = parsed.rest
        for (const e of parsed.events) handle(e)
      }
    } catch {
      // dropped, refused or offline: fall through to the retry
    }
    if (stopped) return
    startPolling()
    const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]!
    retryTimer = setTimeout(connect, delay * (0.8 + Math.random() * 0.4))
  }

  const handle = (e: { event: string; data: string }) => {
    try {
      const json: unknown = JSON.parse(e.data)
      if (e.event === 'unread' && typeof (json as { count?: unknown }).count === 'number') {
        set({ count: (json as { count: number }).count })
      } else if (e.event === 'notification') {
        const n = notificationSchema.safeParse(json)
        if (n.success) set({ latest: n.data })
      }
    } catch {
      // a malformed event is skipped
    }
  }

  const onOnline = () => {
    if (controller?.signal.aborted === false && !pollTimer) return
    clearTimeout(retryTimer)
    attempt = 0
    void connect()
  }
  window.addEventListener('online', onOnline)
  void connect()
  return () => {
    stopped = true
    controller?.abort()
    clearTimeout(retryTimer)
    stopPolling()
    window.removeEventListener('online', onOnline)
  }
}

/** Sets the count after a local change (mark read) without waiting for the stream. */
export function setUnreadCount(count: number): void {
  set({ count })
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  if (refs++ === 0) {
    let stopStream = start()
    let token = getSession()?.token
    // Another account signed in (e.g. in another tab): its own stream, not the old token's.
    const offSession = subscribeSession(() => {
      if (getSession()?.token === token) return
      token = getSession()?.token
      stopStream()
      set({ count: null, latest: null })
      stopStream = start()
    })
    stopCurrent = () => {
      offSession()
      stopStream()
    }
  }
  return () => {
    listeners.delete(listener)
    if (--refs === 0) {
      stopCurrent?.()
      stopCurrent = null
      state = { count: null, latest: null }
    }
  }
}

/** The live unread count (null until known) and the newest pushed notification. */
export function useUnread(): State {
  return useSyncExternalStore(subscribe, () => state)
}
