import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | null | undefined
let pending: NodeJS.Timeout | null = null

/**
 * Asks V8 for full collections shortly after a room was unloaded. An idle server allocates
 * nothing, so without this V8 never collects the dropped Y.Doc (~100 MiB for a 10,000-task
 * board) and RSS stays at its peak; V8 also shrinks its heap only after repeated
 * collections find it mostly empty, hence the second round. Debounced: many unloads, one
 * round. Never throws.
 */
export function releaseMemory(): void {
  if (pending) return
  pending = setTimeout(() => {
    collect()
    pending = setTimeout(() => {
      pending = null
      collect()
      collect()
    }, 2000)
    pending.unref()
  }, 1000)
  pending.unref()
}

function collect(): void {
  gc ??= obtainGc()
  try {
    gc?.()
  } catch {
    // Best effort: memory is released later by V8 itself.
  }
}

function obtainGc(): (() => void) | null {
  if (typeof globalThis.gc === 'function') return globalThis.gc
  try {
    // Reaching gc() without starting node with --expose-gc (main.ts is started by others).
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  } catch {
    return null
  }
}
