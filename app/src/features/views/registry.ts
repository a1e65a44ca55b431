import type { BoardView, FilteredBoardView, QueryEnv, ViewKind, ViewState } from '@taskflow/board'
import type { LucideIcon } from 'lucide-react'
import type { ComponentType } from 'react'
import type { PresenceUser } from '../../sync/presence'

/** What every view component gets: the same filtered board and the one view state. */
export interface ViewProps {
  /** The board with the filter applied (counts and WIP warnings of the filtered tasks). */
  filtered: FilteredBoardView
  /** The board as it is, for operations that place tasks among all of a column's tasks. */
  full: BoardView
  state: ViewState
  setState: (next: ViewState, opts?: { replace?: boolean }) => void
  env: QueryEnv
  presence: readonly PresenceUser[]
}

export interface ViewDefinition {
  kind: ViewKind
  label: string
  icon: LucideIcon
  /** Which of the shared options the view uses (the view bar shows only those). */
  options: { sort: boolean; group: boolean; columns: boolean }
  component: ComponentType<ViewProps>
}

/**
 * The project's views, in tab order. A new view (calendar, timeline) is one entry here:
 * its kind is already in `VIEW_KINDS`, so URLs and saved views can name it, and the filter
 * bar, saved views and the URL state work for it unchanged. A kind without an entry (a
 * saved view from a newer app) shows the board.
 */
export const VIEWS: ViewDefinition[] = []

export function registerView(def: ViewDefinition): void {
  const i = VIEWS.findIndex((v) => v.kind === def.kind)
  if (i >= 0) VIEWS[i] = def
  else VIEWS.push(def)
}

export function viewFor(kind: ViewKind): ViewDefinition {
  return VIEWS.find((v) => v.kind === kind) ?? VIEWS[0]!
}
