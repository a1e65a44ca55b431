import type { NotificationView } from './notifications.presenter.js'

export type HubMessage =
  | { type: 'unread'; count: number }
  | { type: 'notification'; notification: NotificationView }
  /** The server is shutting down: end the stream. */
  | { type: 'close' }

type Listener = (m: HubMessage) => void

/**
 * In-process fan-out of notification events to a user's open streams (SSE). One process
 * only; several nodes would carry these over Redis pub/sub (ARCHITECTURE, later).
 */
export class NotificationHub {
  readonly #listeners = new Map<string, Set<Listener>>()

  /** Returns the unsubscribe function. */
  subscribe(userId: string, fn: Listener): () => void {
    let set = this.#listeners.get(userId)
    if (!set) {
      set = new Set()
      this.#listeners.set(userId, set)
    }
    set.add(fn)
    return () => {
      set.delete(fn)
      if (set.size === 0 && this.#listeners.get(userId) === set) this.#listeners.delete(userId)
    }
  }

  hasListeners(userId: string): boolean {
    return this.#listeners.has(userId)
  }

  /** Ends every open stream (shutdown: the HTTP server waits for open responses). */
  closeAll(): void {
    for (const userId of [...this.#listeners.keys()]) this.publish(userId, { type: 'close' })
  }

  /** Never throws: a failing stream is that stream's problem. */
  publish(userId: string, m: HubMessage): void {
    for (const fn of this.#listeners.get(userId) ?? []) {
      try {
        fn(m)
      } catch {
        // The stream's own abort handler cleans it up.
      }
    }
  }
}
