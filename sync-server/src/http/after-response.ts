import type { Logger } from '../logger.js'

/**
 * Work a request starts but does not wait for: the e-mail (and its token row) of a sign-up,
 * a password-reset request or a verification resend. The answer then costs the same
 * whether or not the address has an account, so its timing reveals nothing.
 */
export interface AfterResponse {
  /** Starts `task` on a later turn of the event loop. Never throws: a failure is logged. */
  run(label: string, task: () => Promise<void>): void
  /** Resolves once every task started so far has finished (tests, graceful close). */
  idle(): Promise<void>
}

export function createAfterResponse(logger: Logger): AfterResponse {
  const pending = new Set<Promise<void>>()
  return {
    run(label, task) {
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((err: unknown) =>
          logger.error('background task failed', { label, err: String(err) }),
        )
        .finally(() => pending.delete(done))
      pending.add(done)
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}
