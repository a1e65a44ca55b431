import { useNavigate } from '@tanstack/react-router'
import { type SearchResult, splitSnippet } from '@taskflow/api'
import { Search, X } from 'lucide-react'
import { Dialog } from 'radix-ui'
import {
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
import { flushSync } from 'react-dom'
import { ApiError } from '../../api/client'
import { searchServer } from '../../api/search.api'
import { cx } from '../../ui/primitives'
import { useProjects } from '../projects/use-projects'
import { provideAction } from '../shell/shortcuts'
import type { DeviceResult, Segment } from './device-index'
import {
  benchMeasure,
  closeDeviceSearch,
  deviceSearchStore,
  openDeviceSearch,
  searchDevice,
  searchDeviceNow,
} from './search-client'

/** Server results wait this long after the last keystroke (device results do not wait). */
const SERVER_DEBOUNCE_MS = 250

type ServerState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; results: SearchResult[] }
  | { kind: 'offline' }
  | { kind: 'error'; message: string }

const LOADING: ServerState = { kind: 'loading' }

type Row =
  | { source: 'device'; key: string; projectId: string; taskId: string; r: DeviceResult }
  | { source: 'server'; key: string; projectId: string; taskId: string; r: SearchResult }

/** The search button of the header and the dialog it opens; `/` opens it too. */
export function SearchLauncher() {
  const [open, setOpen] = useState(false)
  // `/` is registered with the app's shortcut dispatcher (never while typing or in a dialog).
  useEffect(() => provideAction('search', () => setOpen(true)), [])
  return (
    <>
      <button
        type="button"
        aria-label="Search tasks"
        aria-keyshortcuts="/"
        onClick={() => setOpen(true)}
        className="flex items-center gap-2 rounded-md border border-slate-200 px-2 py-1.5 text-sm text-slate-500 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        <Search className="size-4" />
        <span className="hidden md:inline">Search</span>
        <kbd className="hidden rounded border border-slate-300 px-1 text-xs md:inline dark:border-slate-600">
          /
        </kbd>
      </button>
      {open && <SearchDialog onClose={() => setOpen(false)} />}
    </>
  )
}

function Highlighted({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments never reorder
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-700">
            {s.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments never reorder
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  )
}

/**
 * The dialog's frame; what changes as the person types lives in `SearchPanel`, so a key
 * re-renders the input and the results, not Radix's dialog, focus scope and layers.
 */
function SearchDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <Dialog.Content
          data-testid="search-dialog"
          aria-describedby={undefined}
          className="fixed top-[10vh] left-1/2 z-40 flex max-h-[75vh] w-[min(40rem,94vw)] -translate-x-1/2 flex-col overflow-hidden rounded-lg border border-slate-200 bg-white shadow-2xl dark:border-slate-700 dark:bg-slate-900"
        >
          <Dialog.Title className="sr-only">Search tasks</Dialog.Title>
          <SearchPanel onClose={onClose} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

// Elements made once: a key re-renders the panel, and React skips these (icons re-render
// their SVG otherwise).
const SEARCH_ICON = <Search className="size-4 text-slate-400" />
const CLOSE_ICON = <X className="size-4" />

function SearchPanel({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate()
  const device = useSyncExternalStore(deviceSearchStore.subscribe, deviceSearchStore.get)
  const [query, setQuery] = useState('')
  const [deviceResults, setDeviceResults] = useState<{ q: string; results: DeviceResult[] }>({
    q: '',
    results: [],
  })
  const [server, setServer] = useState<ServerState>({ kind: 'idle' })
  const [active, setActive] = useState(0)
  /** When the keystroke that asked for the shown results happened (bench: keystroke → paint). */
  const typedAt = useRef(new Map<string, number>())

  // Device results on every keystroke, asked from the input handler itself (no render in
  // between); the newest query wins.
  const latest = useRef(0)
  const runDevice = (value: string) => {
    const seq = ++latest.current
    const q = value.trim()
    if (!q) {
      setDeviceResults({ q: value, results: [] })
      return
    }
    // The page's copy of the index answers in the handler: the results render with the
    // typed character, in the same frame.
    const now = searchDeviceNow(q)
    if (now) {
      setDeviceResults({ q: value, results: now })
      return
    }
    void searchDevice(q).then((results) => {
      // Committed at once, not in a later scheduler task: the answer is what the person waits for.
      if (seq === latest.current) flushSync(() => setDeviceResults({ q: value, results }))
    })
  }
  // The index finished while a query was typed: ask again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only readiness re-runs it
  useEffect(() => {
    if (device.ready && query.trim()) runDevice(query)
  }, [device.ready])

  // Server results for projects not on this device, after a pause in typing.
  useEffect(() => {
    const q = query.trim()
    if (!q) {
      setServer({ kind: 'idle' })
      return
    }
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      setServer({ kind: 'offline' })
      return
    }
    let stale = false
    // The same state object while loading: no second render of the results per key.
    setServer((s) => (s.kind === 'done' || s.kind === 'loading' ? s : LOADING))
    const timer = setTimeout(() => {
      searchServer(q.slice(0, 200)).then(
        (r) => !stale && setServer({ kind: 'done', results: r.results }),
        (err) => {
          if (stale) return
          if (err instanceof ApiError && err.isNetwork) setServer({ kind: 'offline' })
          else setServer({ kind: 'error', message: err instanceof Error ? err.message : 'failed' })
        },
      )
    }, SERVER_DEBOUNCE_MS)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [query])

  // Keystroke → results painted: measured at the frame after the results render.
  useLayoutEffect(() => {
    const at = typedAt.current.get(deviceResults.q)
    if (at === undefined) return
    typedAt.current.clear()
    benchMeasure('taskflow:search-commit', { start: at, end: performance.now() })
    requestAnimationFrame(() => {
      benchMeasure('taskflow:search-keystroke', { start: at, end: performance.now() })
    })
  }, [deviceResults])

  const serverOnly =
    server.kind === 'done' ? server.results.filter((r) => !device.projects.has(r.projectId)) : []
  const rows: Row[] = [
    ...deviceResults.results.map((r) => ({
      source: 'device' as const,
      key: `d:${r.projectId}/${r.taskId}`,
      projectId: r.projectId,
      taskId: r.taskId,
      r,
    })),
    ...serverOnly.map((r) => ({
      source: 'server' as const,
      key: `s:${r.projectId}/${r.taskId}`,
      projectId: r.projectId,
      taskId: r.taskId,
      r,
    })),
  ]
  const activeIndex = Math.min(active, Math.max(0, rows.length - 1))

  function openRow(row: Row) {
    onClose()
    void navigate({
      to: '/projects/$projectId/tasks/$taskId',
      params: { projectId: row.projectId, taskId: row.taskId },
    })
  }

  const firstServer = rows.findIndex((r) => r.source === 'server')
  const note: ReactNode =
    server.kind === 'offline'
      ? 'Offline: showing results from this device only.'
      : server.kind === 'error'
        ? `Server search failed (${server.message}); showing results from this device.`
        : !device.ready
          ? 'Indexing the boards on this device…'
          : null

  return (
    <>
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-700">
        {SEARCH_ICON}
        <input
          // biome-ignore lint/a11y/noAutofocus: the dialog exists to type into this
          autoFocus
          role="combobox"
          aria-expanded={rows.length > 0}
          aria-controls="search-results"
          aria-activedescendant={rows[activeIndex] ? `search-row-${activeIndex}` : undefined}
          aria-label="Search tasks"
          placeholder="Search tasks…"
          maxLength={200}
          value={query}
          className="h-12 flex-1 bg-transparent text-base outline-none"
          onChange={(e) => {
            const at = e.timeStamp || performance.now()
            typedAt.current.set(e.target.value, at)
            benchMeasure('taskflow:search-dispatch', { start: at, end: performance.now() })
            setQuery(e.target.value)
            setActive(0)
            runDevice(e.target.value)
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault()
              setActive((a) => Math.min(a + 1, rows.length - 1))
            } else if (e.key === 'ArrowUp') {
              e.preventDefault()
              setActive((a) => Math.max(a - 1, 0))
            } else if (e.key === 'Enter' && rows[activeIndex]) {
              e.preventDefault()
              openRow(rows[activeIndex])
            }
          }}
        />
        <Dialog.Close
          aria-label="Close search"
          className="rounded p-1 text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          {CLOSE_ICON}
        </Dialog.Close>
      </div>
      {note && (
        <p
          role="status"
          data-testid="search-note"
          className="border-b border-slate-100 px-4 py-2 text-xs text-slate-500 dark:border-slate-800"
        >
          {note}
        </p>
      )}
      <div id="search-results" role="listbox" aria-label="Results" className="overflow-y-auto py-1">
        {rows.map((row, i) => (
          <div key={row.key} role="presentation">
            {i === firstServer && (
              <div className="px-4 pt-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
                From the server — projects not on this device
              </div>
            )}
            <div
              id={`search-row-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === activeIndex}
              data-testid="search-result"
              data-source={row.source}
              onMouseMove={() => setActive(i)}
              onClick={() => openRow(row)}
              onKeyDown={() => {}}
              className={cx(
                'mx-1 cursor-pointer rounded-md px-3 py-2',
                i === activeIndex && 'bg-slate-100 dark:bg-slate-800',
              )}
            >
              <div className="flex items-baseline gap-2">
                <span className="min-w-0 flex-1 truncate text-sm font-medium">
                  {row.source === 'device' ? <Highlighted segments={row.r.title} /> : row.r.title}
                </span>
                <span className="shrink-0 text-xs text-slate-500">
                  {row.source === 'device' ? row.r.projectName : row.r.projectName}
                  {row.source === 'server' && (
                    <span className="ml-1 rounded bg-sky-100 px-1 text-sky-800 dark:bg-sky-900 dark:text-sky-200">
                      server
                    </span>
                  )}
                </span>
              </div>
              {row.source === 'device' && row.r.snippet && (
                <div className="truncate text-xs text-slate-500">
                  <Highlighted segments={row.r.snippet.segments} />
                </div>
              )}
              {row.source === 'server' && (
                <div className="truncate text-xs text-slate-500">
                  <Highlighted segments={splitSnippet(row.r.snippet)} />
                </div>
              )}
            </div>
          </div>
        ))}
      </div>
      {query.trim() !== '' && rows.length === 0 && device.ready && server.kind !== 'loading' && (
        <p className="px-4 py-6 text-center text-sm text-slate-500">No tasks match.</p>
      )}
    </>
  )
}

/**
 * Keeps the device index running for the signed-in account: the boards stored on this
 * device are indexed in the worker once the page is idle; stopped on sign-out.
 */
export function DeviceSearchIndexer({ userId }: { userId: string }) {
  const { projects } = useProjects()
  const names = projects?.map((p) => ({ id: p.id, name: p.name })) ?? null
  const key = names ? JSON.stringify(names) : null
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `names`
  useEffect(() => {
    if (!names) return
    const start = () => openDeviceSearch(userId, names)
    if ('requestIdleCallback' in window) {
      const id = requestIdleCallback(start, { timeout: 2_000 })
      return () => cancelIdleCallback(id)
    }
    const t = setTimeout(start, 200)
    return () => clearTimeout(t)
  }, [userId, key])
  useEffect(() => () => closeDeviceSearch(), [])
  return null
}
