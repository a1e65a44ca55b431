import { useSyncExternalStore } from 'react'

/**
 * Which tasks the keyboard is on: the focused one, the selected ones and the anchor a range
 * starts from. Any view (board, list) drives it with the ids in its own visual order, so
 * ranges follow what the person sees.
 */
export interface SelectionState {
  focusedId: string | null
  selected: ReadonlySet<string>
  anchorId: string | null
}

export const EMPTY_SELECTION: SelectionState = {
  focusedId: null,
  selected: new Set(),
  anchorId: null,
}

/** The ids from `a` to `b` inclusive in `order` (either direction); just `b` if `a` is gone. */
export function rangeBetween(order: readonly string[], a: string | null, b: string): string[] {
  const j = order.indexOf(b)
  if (j < 0) return []
  const i = a === null ? -1 : order.indexOf(a)
  if (i < 0) return [b]
  return order.slice(Math.min(i, j), Math.max(i, j) + 1)
}

/** `x`: toggles one task, which becomes the anchor of the next range. */
export function toggle(s: SelectionState, id: string): SelectionState {
  const selected = new Set(s.selected)
  if (selected.has(id)) selected.delete(id)
  else selected.add(id)
  return { focusedId: id, selected, anchorId: id }
}

/** Shift-click: selects anchor..id (keeping what was selected outside it). */
export function selectRange(
  s: SelectionState,
  order: readonly string[],
  id: string,
): SelectionState {
  const anchor = s.anchorId ?? s.focusedId
  const selected = new Set(s.selected)
  for (const r of rangeBetween(order, anchor, id)) selected.add(r)
  return { focusedId: id, selected, anchorId: anchor ?? id }
}

/**
 * j/k (and Shift+j/k): the next or previous task in `order`. With `extend`, the selection
 * becomes exactly anchor..new focus, so going back shrinks it as in a list.
 */
export function moveFocus(
  s: SelectionState,
  order: readonly string[],
  delta: number,
  extend = false,
): SelectionState {
  if (order.length === 0) return s
  const i = s.focusedId === null ? -1 : order.indexOf(s.focusedId)
  const next =
    order[
      i < 0
        ? delta > 0
          ? 0
          : order.length - 1
        : Math.max(0, Math.min(order.length - 1, i + delta))
    ]!
  if (!extend) return { ...s, focusedId: next }
  const anchor = s.anchorId ?? s.focusedId ?? next
  const selected = new Set(s.selected)
  // Replace the previous anchored range with the new one.
  for (const r of rangeBetween(order, anchor, s.focusedId ?? anchor)) selected.delete(r)
  for (const r of rangeBetween(order, anchor, next)) selected.add(r)
  return { focusedId: next, selected, anchorId: anchor }
}

/** What an action applies to: the selection, else the focused task. */
export function targetsOf(s: SelectionState): string[] {
  if (s.selected.size > 0) return [...s.selected]
  return s.focusedId ? [s.focusedId] : []
}

/** A store of one selection; the open board has one (`boardSelection`). */
export function createSelectionStore() {
  let state = EMPTY_SELECTION
  const listeners = new Set<() => void>()
  return {
    get: () => state,
    set(next: SelectionState) {
      if (next === state) return
      state = next
      for (const l of listeners) l()
    },
    update(fn: (s: SelectionState) => SelectionState) {
      this.set(fn(state))
    },
    clear() {
      this.set(EMPTY_SELECTION)
    },
    subscribe(l: () => void) {
      listeners.add(l)
      return () => {
        listeners.delete(l)
      }
    },
  }
}

export type SelectionStore = ReturnType<typeof createSelectionStore>

/** The selection of the board (or list) on screen; cleared when another project opens. */
export const boardSelection = createSelectionStore()

/** Whether one task is selected / focused: a card re-renders only when its own flag flips. */
export function useTaskMarks(id: string): { selected: boolean; focused: boolean } {
  const v = useSyncExternalStore(boardSelection.subscribe, () => {
    const s = boardSelection.get()
    return (s.selected.has(id) ? 1 : 0) + (s.focusedId === id ? 2 : 0)
  })
  return { selected: (v & 1) !== 0, focused: (v & 2) !== 0 }
}

export function useSelection(): SelectionState {
  return useSyncExternalStore(boardSelection.subscribe, boardSelection.get)
}

/* The visual order of the view on screen, for Shift-click ranges on its cards. */
let orderOf: () => readonly string[] = () => []
export function setSelectionOrder(fn: () => readonly string[]): () => void {
  orderOf = fn
  return () => {
    if (orderOf === fn) orderOf = () => []
  }
}
export const selectionOrder = (): readonly string[] => orderOf()

/** Set while a card or column is dragged: arrow keys belong to dnd-kit's keyboard sensor. */
export const selectionDrag = { active: false }
