/** Bytes of unsent output a socket, a user and the process may have queued (SPEC 5.5). */
export interface OutputLimits {
  socketBytes: number
  userBytes: number
  processBytes: number
}

export type BudgetScope = 'socket' | 'user' | 'server'

/** What the budget tracks of a socket; Connection implements it. */
export interface Backlog {
  /** Unsent bytes counted for this socket (0 = not backlogged). */
  queuedBytes: number
  /** The user its bytes are counted under, fixed while they are (null: no user). */
  budgetUser: string | null
  readonly userId: string | null
}

/**
 * Counts the output queued in sockets that stopped keeping up, per socket, per user and in
 * total, and picks the sockets to close when a budget is exceeded: the socket itself for
 * its own budget, otherwise the largest backlogs first until back under. Only sockets past
 * their high-water mark are counted (the rest hold under 16 KiB each, and only they get a
 * `drain` that says when their output is gone). A frame shared by several sockets counts
 * once per socket: the budgets bound memory from above.
 */
export class OutputBudget<C extends Backlog> {
  #total = 0
  readonly #byUser = new Map<string, number>()
  readonly #backlogged = new Set<C>()

  constructor(
    private readonly limits: OutputLimits,
    /** Must close `conn`; its bytes are no longer counted. */
    private readonly overBudget: (conn: C, scope: BudgetScope) => void,
  ) {}

  /** Bytes counted across all sockets. */
  get queuedBytes(): number {
    return this.#total
  }

  /** `conn`'s socket now holds `bytes` unsent (after a write past its high-water mark). */
  queued(conn: C, bytes: number): void {
    this.#set(conn, bytes)
    if (bytes > this.limits.socketBytes) {
      this.#set(conn, 0)
      this.overBudget(conn, 'socket')
      return
    }
    const user = conn.budgetUser
    if (user !== null && this.#byUser.get(user)! > this.limits.userBytes) this.#shed('user', user)
    if (this.#total > this.limits.processBytes) this.#shed('server', null)
  }

  /** `conn`'s output was all written (drain), or its socket closed. */
  release(conn: C): void {
    this.#set(conn, 0)
  }

  #set(conn: C, bytes: number): void {
    const delta = bytes - conn.queuedBytes
    if (delta === 0) return
    if (conn.queuedBytes === 0) {
      conn.budgetUser = conn.userId
      this.#backlogged.add(conn)
    }
    conn.queuedBytes = bytes
    this.#total += delta
    const user = conn.budgetUser
    if (user !== null) {
      const sum = (this.#byUser.get(user) ?? 0) + delta
      if (sum === 0) this.#byUser.delete(user)
      else this.#byUser.set(user, sum)
    }
    if (bytes === 0) {
      this.#backlogged.delete(conn)
      conn.budgetUser = null
    }
  }

  /** Closes the largest backlogs (of `user`, or of anyone) until the budget holds again. */
  #shed(scope: BudgetScope, user: string | null): void {
    const over = () =>
      user === null
        ? this.#total > this.limits.processBytes
        : (this.#byUser.get(user) ?? 0) > this.limits.userBytes
    while (over()) {
      let victim: C | null = null
      for (const c of this.#backlogged) {
        if (user !== null && c.budgetUser !== user) continue
        if (!victim || c.queuedBytes > victim.queuedBytes) victim = c
      }
      if (!victim) return
      this.#set(victim, 0)
      this.overBudget(victim, scope)
    }
  }
}
