import { useSyncExternalStore } from 'react'
import type { AwaySummary } from '../../api/away.api'

/**
 * The "while you were away" summary of the open board, shared by the panel and the marks on
 * cards in every view. Each card subscribes to its own yes/no, so setting or dismissing the
 * summary re-renders only the marked cards.
 */
export interface AwayState {
  projectId: string | null
  summary: AwaySummary | null
}

const EMPTY: AwayState = { projectId: null, summary: null }
let state: AwayState = EMPTY
let changed: ReadonlySet<string> = new Set()
const listeners = new Set<() => void>()

export const awayStore = {
  get: (): AwayState => state,
  set(next: AwayState): void {
    state = next
    changed = new Set(next.summary?.tasks.map((t) => t.taskId) ?? [])
    for (const l of listeners) l()
  },
  clear(): void {
    if (state !== EMPTY) awayStore.set(EMPTY)
  },
  subscribe(l: () => void): () => void {
    listeners.add(l)
    return () => listeners.delete(l)
  },
}

/** Tasks the shown history step changed (history mode); while set, they are the marked ones. */
let stepIds: ReadonlySet<string> | null = null

/** History mode marks the cards of its current step instead (null: back to the summary's). */
export function setStepMarks(ids: ReadonlySet<string> | null): void {
  stepIds = ids
  for (const l of listeners) l()
}

/** How a card is marked: `away` (changed by others since my last visit), `step` (history mode). */
export type CardMark = 'away' | 'step' | null

export function useCardMark(taskId: string): CardMark {
  return useSyncExternalStore(awayStore.subscribe, () =>
    stepIds !== null ? (stepIds.has(taskId) ? 'step' : null) : changed.has(taskId) ? 'away' : null,
  )
}

export function useAway(): AwayState {
  return useSyncExternalStore(awayStore.subscribe, awayStore.get)
}

/**
 * The window of a summary not dismissed yet, per user and board: a reload shows the same
 * summary again (the visit written meanwhile would otherwise make it empty).
 */
const pendingKey = (userId: string, projectId: string) => `taskflow.away.${userId}.${projectId}`

export function readPending(
  userId: string,
  projectId: string,
): { since: string; until: string } | null {
  try {
    const raw = localStorage.getItem(pendingKey(userId, projectId))
    const v = raw ? (JSON.parse(raw) as unknown) : null
    if (
      v &&
      typeof v === 'object' &&
      typeof (v as { since?: unknown }).since === 'string' &&
      typeof (v as { until?: unknown }).until === 'string'
    ) {
      return v as { since: string; until: string }
    }
  } catch {}
  return null
}

export function writePending(
  userId: string,
  projectId: string,
  w: { since: string; until: string } | null,
): void {
  try {
    if (w) localStorage.setItem(pendingKey(userId, projectId), JSON.stringify(w))
    else localStorage.removeItem(pendingKey(userId, projectId))
  } catch {}
}
