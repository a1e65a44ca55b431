import type { FieldDef, Label } from '@taskflow/board'
import { createContext, useContext, useRef } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import type { Member, Role } from '../../api/schemas'
import { localDate } from '../../ui/dates'

/** What every part of an open board needs besides the view itself. */
export interface BoardEnv {
  projectId: string
  doc: Y.Doc
  /** Sync provider: its awareness carries presence. */
  provider: WebsocketProvider
  userId: string
  /** Viewers (and refused connections) get no edit affordances at all. */
  readOnly: boolean
  /** My role in the project; null until known. */
  role: Role | null
  membersById: ReadonlyMap<string, Member>
  labelsById: ReadonlyMap<string, Label>
  /** The project's live custom fields in order (F1–F9). */
  fields: readonly FieldDef[]
}

export const BoardEnvContext = createContext<BoardEnv | null>(null)

export function useBoardEnv(): BoardEnv {
  const env = useContext(BoardEnvContext)
  if (!env) throw new Error('useBoardEnv outside a board')
  return env
}

/** Today as YYYY-MM-DD in the user's time zone, for overdue checks. */
export function localToday(now: number = Date.now()): string {
  return localDate(now)
}

/**
 * `ids` with the previous array's identity while its content is the same. dnd-kit's
 * SortableContext re-renders every sortable under it when `items` changes identity, so an
 * edit that does not reorder anything must hand it the same array to re-render one card.
 */
export function useStableIds(ids: string[]): string[] {
  const ref = useRef(ids)
  const prev = ref.current
  if (prev !== ids && (prev.length !== ids.length || prev.some((id, i) => id !== ids[i]))) {
    ref.current = ids
  }
  return ref.current
}
