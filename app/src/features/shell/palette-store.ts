import { useEffect, useRef, useSyncExternalStore } from 'react'

/**
 * What the ⌘K palette shows. `root` lists everything; the other modes are one action's
 * choices (the `a`, `l`, `p`, `d` shortcuts open the palette straight in them).
 */
export type PaletteMode =
  | 'root'
  | 'move'
  | 'assign'
  | 'label'
  | 'priority'
  | 'due'
  | 'create'
  | 'subtask'

export interface PaletteItem {
  id: string
  label: string
  /** Extra words cmdk's fuzzy filter matches on. */
  keywords?: string[]
  hint?: string
  /** Shown whatever the query (e.g. "Create task <query>"). */
  always?: boolean
  /** Runs the item; return a mode to stay open in it, else the palette closes. */
  run: () => PaletteMode | undefined
  /** Remembered in "Recent" with this link when run. */
  recent?: { href: string }
}

export interface PaletteGroup {
  heading: string
  items: PaletteItem[]
}

/** A feature's contribution to the palette, asked each time it renders. */
export type PaletteSource = (mode: PaletteMode, query: string) => PaletteGroup[]

interface State {
  open: boolean
  mode: PaletteMode
}

let state: State = { open: false, mode: 'root' }
let afterClose: (() => void) | null = null
/** What had focus when the palette opened: it gets it back when the palette closes. */
let returnFocus: HTMLElement | null = null
const listeners = new Set<() => void>()
const sources = new Set<{ source: PaletteSource }>()

function set(next: State) {
  state = next
  for (const l of listeners) l()
}

export const palette = {
  get: () => state,
  subscribe(l: () => void) {
    listeners.add(l)
    return () => listeners.delete(l)
  },
  open(mode: PaletteMode = 'root') {
    if (!state.open && typeof document !== 'undefined') {
      const el = document.activeElement
      returnFocus = el instanceof HTMLElement && el !== document.body ? el : null
    }
    set({ open: true, mode })
  },
  setMode: (mode: PaletteMode) => set({ ...state, mode }),
  close: () => set({ open: false, mode: 'root' }),
  /** Runs `fn` once the palette has closed, instead of focusing what had focus before. */
  afterClose(fn: () => void) {
    afterClose = fn
  },
  takeAfterClose() {
    const fn = afterClose
    afterClose = null
    return fn
  },
  /** The element to focus again on close (taken once), when it is still on the page. */
  takeReturnFocus(): HTMLElement | null {
    const el = returnFocus
    returnFocus = null
    return el?.isConnected ? el : null
  },
  groups(mode: PaletteMode, query: string): PaletteGroup[] {
    return [...sources].flatMap((s) => s.source(mode, query))
  },
}

export function usePalette(): State {
  return useSyncExternalStore(palette.subscribe, palette.get)
}

/** Adds `source` to the palette while the calling component is mounted. */
export function usePaletteSource(source: PaletteSource): void {
  const ref = useRef(source)
  ref.current = source
  useEffect(() => {
    const entry = { source: (m: PaletteMode, q: string) => ref.current(m, q) }
    sources.add(entry)
    return () => void sources.delete(entry)
  }, [])
}

/* Recent items, per device (localStorage): a jump made once is one keystroke the next time. */
const RECENT_KEY = 'taskflow.palette.recent'
const MAX_RECENT = 8

export interface RecentItem {
  label: string
  href: string
}

export function readRecent(): RecentItem[] {
  try {
    const raw = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]')
    return Array.isArray(raw)
      ? raw.filter(
          (r): r is RecentItem => typeof r?.label === 'string' && typeof r?.href === 'string',
        )
      : []
  } catch {
    return []
  }
}

export function rememberRecent(item: RecentItem): void {
  const next = [item, ...readRecent().filter((r) => r.href !== item.href)].slice(0, MAX_RECENT)
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(next))
  } catch {
    // Storage full or denied: recents are a convenience.
  }
}
