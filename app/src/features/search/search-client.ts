import type { TaskSearchText } from '@taskflow/board'
import { accountDbPrefix, onProjectDocOpened } from '../../sync/project-doc'
import { nextIdleSlice } from '../../ui/idle-work'
import { DeviceIndex, type DeviceResult, type SnapshotPart } from './device-index'
import { type SearchSink, trackSearchChanges } from './doc-changes'
import type { SearchRequest, SearchResponse } from './search.worker'

/**
 * The page's side of the device search: starts the search worker for the signed-in
 * account, feeds it the changes of every board opened on this page (doc-changes.ts), and
 * asks it queries. One per page; `openDeviceSearch` again after another account signs in.
 */
export interface DeviceSearchState {
  /** False until the stored boards are indexed. */
  ready: boolean
  /** Projects whose boards are on this device (indexed). */
  projects: ReadonlySet<string>
  /** Time the worker took to index the stored boards, ms. */
  buildMs: number | null
  tasks: number
}

/**
 * Timings for app/bench/search.mjs, in the benchmark build only (`--mode bench`: the product
 * build drops the call): per-edit entries would pile up otherwise.
 */
export function benchMeasure(name: string, opts: PerformanceMeasureOptions): void {
  if (import.meta.env.MODE === 'bench') performance.measure(name, opts)
}

let worker: Worker | null = null
let account: string | null = null
let state: DeviceSearchState = { ready: false, projects: new Set(), buildMs: null, tasks: 0 }
const listeners = new Set<() => void>()
let nextId = 1
const pending = new Map<number, (results: DeviceResult[]) => void>()

/*
 * The page's copy of the index. The worker builds it (no long task here) and answers queries
 * until the page holds its own copy, then hands the indexed texts over in parts, which the
 * page indexes again in idle slices once input has been quiet (ui/idle-work.ts); from then on
 * a keystroke is answered synchronously in the input handler, in the same render as the typed
 * character (a worker round trip lands after that paint). Edits go to both copies;
 * `updateLog` keeps the ones sent since the last snapshot, to replay those the snapshot does
 * not include (its `seq`).
 */
let pageIndex: DeviceIndex | null = null
let parts: SnapshotPart[] = []
let updateSeq = 0
type LoggedUpdate = { seq: number; projectId: string; rows: TaskSearchText[]; missing: string[] }
/** Updates the worker may not have applied yet (trimmed as it reports them indexed). */
let updateLog: LoggedUpdate[] = []
/** Per snapshot being installed: the updates it lacks, collected until it is installed. */
const replays = new Set<LoggedUpdate[]>()
/** Installs snapshots in order; a newer one started while one loads replaces it after. */
let installing: Promise<void> = Promise.resolve()
let snapshotCount = 0
let generation = 0

function setState(next: Partial<DeviceSearchState>): void {
  state = { ...state, ...next }
  for (const l of listeners) l()
}

function send(msg: SearchRequest): void {
  worker?.postMessage(msg)
}

function installSnapshot(msg: Extract<SearchResponse, { type: 'snapshot-end' }>) {
  const snapParts = parts
  parts = []
  const gen = generation
  const mine = ++snapshotCount
  const missed = updateLog.filter((u) => u.seq > msg.seq)
  replays.add(missed)
  installing = installing.then(async () => {
    // A newer snapshot (the worker re-read a board) replaces this one: skip to it.
    if (gen !== generation || mine !== snapshotCount) {
      replays.delete(missed)
      return
    }
    const next = await DeviceIndex.fromSnapshot({ ...msg.rest, parts: snapParts }, nextIdleSlice)
    replays.delete(missed)
    if (gen !== generation) return
    for (const u of missed) next.update(u.projectId, u.rows, u.missing)
    pageIndex = next
    // Read by app/bench/search.mjs: the page answers keystrokes itself from here on.
    if (!pageReadyMarked) {
      pageReadyMarked = true
      performance.mark('taskflow:search-ready')
    }
  })
}

let pageReadyMarked = false

/** The worker's index is built: queries are answered (by the worker until the page's copy is). */
function announceReady(msg: Extract<SearchResponse, { type: 'ready' }>) {
  setState({
    ready: true,
    projects: new Set(msg.projects),
    buildMs: msg.buildMs,
    tasks: msg.tasks,
  })
  benchMeasure('taskflow:search-build', {
    start: performance.now() - msg.buildMs,
    duration: msg.buildMs,
  })
}

function onMessage(e: MessageEvent<SearchResponse>): void {
  const msg = e.data
  if (msg.type === 'snapshot-part') parts.push(msg.part)
  else if (msg.type === 'snapshot-end') installSnapshot(msg)
  else if (msg.type === 'ready') announceReady(msg)
  else if (msg.type === 'indexed') {
    updateLog = updateLog.filter((u) => u.seq > msg.seq)
    const same =
      msg.projects.length === state.projects.size &&
      msg.projects.every((id) => state.projects.has(id))
    if (!same) setState({ projects: new Set(msg.projects) })
    benchMeasure('taskflow:search-index-update', {
      start: performance.now() - msg.ms,
      duration: msg.ms,
    })
  } else if (msg.type === 'results') {
    benchMeasure('taskflow:search-query', { start: performance.now() - msg.ms, duration: msg.ms })
    pending.get(msg.id)?.(msg.results)
    pending.delete(msg.id)
  }
}

/**
 * Indexes the stored boards of `projects` for `userId` in the worker (again if the account
 * changed). Cheap to call on every render: it does nothing when nothing changed.
 */
export function openDeviceSearch(userId: string, projects: { id: string; name: string }[]): void {
  if (typeof Worker === 'undefined') return
  if (account === userId && worker) {
    for (const p of projects) pageIndex?.setProjectName(p.id, p.name)
    send({ type: 'names', projects })
    return
  }
  worker?.terminate()
  for (const resolve of pending.values()) resolve([])
  pending.clear()
  forgetPageIndex()
  account = userId
  worker = new Worker(new URL('./search.worker.ts', import.meta.url), {
    type: 'module',
    name: 'taskflow-search',
  })
  worker.onmessage = onMessage
  setState({ ready: false, projects: new Set(), buildMs: null, tasks: 0 })
  performance.mark('taskflow:search-open')
  send({ type: 'open', dbPrefix: accountDbPrefix(userId), projects })
}

function forgetPageIndex() {
  generation++
  pageIndex = null
  parts = []
  updateLog = []
  replays.clear()
  pageReadyMarked = false
}

/** Stops the worker and forgets the index (sign-out). */
export function closeDeviceSearch(): void {
  forgetPageIndex()
  worker?.terminate()
  worker = null
  account = null
  setState({ ready: false, projects: new Set(), buildMs: null, tasks: 0 })
}

/**
 * Best matches on this device, answered at once from the page's copy of the index; null
 * while the page has none yet (use `searchDevice`).
 */
export function searchDeviceNow(q: string, limit = 20): DeviceResult[] | null {
  if (!pageIndex) return null
  const t0 = performance.now()
  const results = pageIndex.search(q, limit)
  benchMeasure('taskflow:search-query', { start: t0, end: performance.now() })
  return results
}

/** Best matches on this device, from the worker; empty when the index is not running. */
export function searchDevice(q: string, limit = 20): Promise<DeviceResult[]> {
  if (!worker) return Promise.resolve([])
  const id = nextId++
  return new Promise((resolve) => {
    pending.set(id, resolve)
    send({ type: 'query', id, q, limit })
  })
}

export const deviceSearchStore = {
  get: () => state,
  subscribe: (listener: () => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}

const workerSink: SearchSink = {
  update: (projectId: string, rows: TaskSearchText[], missing: string[]) => {
    if (!worker) return
    const seq = ++updateSeq
    send({ type: 'update', seq, projectId, rows, missing })
    // Edits are small (a task or a few): applied here too in well under a millisecond.
    pageIndex?.update(projectId, rows, missing)
    const logged = { seq, projectId, rows, missing }
    updateLog.push(logged)
    for (const r of replays) r.push(logged)
  },
  measured: (start: number) =>
    benchMeasure('taskflow:search-extract', { start, end: performance.now() }),
  reindex: (() => {
    // The stored rows of a big change are written shortly after it: read them then.
    const timers = new Map<string, ReturnType<typeof setTimeout>>()
    return (projectId: string) => {
      clearTimeout(timers.get(projectId))
      timers.set(
        projectId,
        setTimeout(() => {
          timers.delete(projectId)
          send({ type: 'reindex', projectId })
        }, 1_000),
      )
    }
  })(),
}

// Every board opened on this page keeps the index up to date, edit by edit.
onProjectDocOpened((open) => trackSearchChanges(open.projectId, open.doc, workerSink))
