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

/*
 * Every card asks for today on each render (its overdue mark), and formatting a date builds
 * Intl formatters (~0.1 ms): one answer per minute of `now` is enough, since time zones
 * differ from UTC by whole minutes, so a local day never changes within a UTC minute.
 */
let todayCache: { minute: number; today: string } | null = null

/** Today as YYYY-MM-DD in the user's time zone, for overdue checks. */
export function localToday(now: number = Date.now()): string {
  const minute = Math.floor(now / 60_000)
  if (todayCache?.minute !== minute) todayCache = { minute, today: localDate(now) }
  return todayCache.today
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
