import { useSyncExternalStore } from 'react'

/**
 * History mode of the open board: the instant shown (null while off). The task panel reads
 * it to offer restoring a card as it was then.
 */
export interface HistoryState {
  projectId: string
  at: string
}

let state: HistoryState | null = null
const listeners = new Set<() => void>()

export const historyStore = {
  get: (): HistoryState | null => state,
  set(next: HistoryState | null): void {
    state = next
    for (const l of listeners) l()
  },
  subscribe(l: () => void): () => void {
    listeners.add(l)
    return () => listeners.delete(l)
  },
}

export function useHistoryAt(): HistoryState | null {
  return useSyncExternalStore(historyStore.subscribe, historyStore.get)
}
