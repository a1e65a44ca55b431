import type { NotificationView } from './notifications.presenter.js'

export type HubMessage =
  | { type: 'unread'; count: number }
  | { type: 'notification'; notification: NotificationView }
  /** End the stream: the server is shutting down, or the stream's session ended. */
  | { type: 'close' }

/** One open notification stream (SSE) and the session it was opened with. */
export interface StreamSubscriber {
  userId: string
  sessionId: string
  /** False once the session no longer signs anyone in (signed out, revoked, expired). */
  stillSignedIn(): Promise<boolean>
  deliver(m: HubMessage): void
}

/**
 * In-process fan-out of notification events to a user's open streams (SSE), indexed by
 * user and by session so that a stream ends with its session, as sync sockets do. With
 * several nodes (src/cluster/) every publish is also relayed to the other nodes' streams.
 */
export class NotificationHub {
  readonly #byUser = new Map<string, Set<StreamSubscriber>>()
  readonly #bySession = new Map<string, Set<StreamSubscriber>>()
  #relay: ((userId: string, m: HubMessage) => void) | null = null

  /** Several nodes: `relay` carries every publish to the other nodes' streams. */
  relayTo(relay: (userId: string, m: HubMessage) => void): void {
    this.#relay = relay
  }

  /** A publish relayed from another node: this node's streams only. */
  deliverLocal(userId: string, m: HubMessage): void {
    send(this.#byUser.get(userId), m)
  }

  /** Returns the unsubscribe function. */
  subscribe(s: StreamSubscriber): () => void {
    add(this.#byUser, s.userId, s)
    add(this.#bySession, s.sessionId, s)
    return () => {
      remove(this.#byUser, s.userId, s)
      remove(this.#bySession, s.sessionId, s)
    }
  }

  /** Whether a publish may reach anyone (with several nodes: always, the listener may be elsewhere). */
  hasListeners(userId: string): boolean {
    return this.#relay !== null || this.#byUser.has(userId)
  }

  /** Ends every open stream (shutdown: the HTTP server waits for open responses). */
  closeAll(): void {
    for (const set of [...this.#byUser.values()]) send(set, { type: 'close' })
  }

  /** Never throws: a failing stream is that stream's problem. */
  publish(userId: string, m: HubMessage): void {
    send(this.#byUser.get(userId), m)
    this.#relay?.(userId, m)
  }

  /**
   * Re-checks the session of each open stream of the user or session and ends those whose
   * session no longer signs anyone in. Accounts code calls it after logout, password
   * change or reset and account removal, next to the sync hub's `reauthorize` (same
   * filter; a `docName` alone concerns no stream). Never throws.
   */
  async reauthorize(filter: { userId?: string; sessionId?: string }): Promise<void> {
    const found = filter.sessionId
      ? this.#bySession.get(filter.sessionId)
      : filter.userId
        ? this.#byUser.get(filter.userId)
        : undefined
    for (const s of [...(found ?? [])]) {
      if (filter.userId && s.userId !== filter.userId) continue
      // A failed check ends the stream too: the client reconnects and signs in afresh.
      const live = await s.stillSignedIn().catch(() => false)
      if (!live) deliver(s, { type: 'close' })
    }
  }
}

function add<K>(map: Map<K, Set<StreamSubscriber>>, key: K, s: StreamSubscriber): void {
  let set = map.get(key)
  if (!set) {
    set = new Set()
    map.set(key, set)
  }
  set.add(s)
}

function remove<K>(map: Map<K, Set<StreamSubscriber>>, key: K, s: StreamSubscriber): void {
  const set = map.get(key)
  if (!set) return
  set.delete(s)
  if (set.size === 0) map.delete(key)
}

function send(set: Set<StreamSubscriber> | undefined, m: HubMessage): void {
  for (const s of set ?? []) deliver(s, m)
}

function deliver(s: StreamSubscriber, m: HubMessage): void {
  try {
    s.deliver(m)
  } catch {
    // The stream's own abort handler cleans it up.
  }
}
