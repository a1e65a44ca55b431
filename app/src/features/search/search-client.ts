import type { TaskSearchText } from '@taskflow/board'
import { accountDbPrefix, onProjectDocOpened } from '../../sync/project-doc'
import type { DeviceResult } from './device-index'
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
 * Timings for app/bench/search.mjs, recorded only when the benchmark defined
 * `window.__taskflowBench` (see bench-probe.ts): per-edit entries would pile up otherwise.
 */
export function benchMeasure(name: string, opts: PerformanceMeasureOptions): void {
  if (typeof window !== 'undefined' && window.__taskflowBench) performance.measure(name, opts)
}

let worker: Worker | null = null
let account: string | null = null
let state: DeviceSearchState = { ready: false, projects: new Set(), buildMs: null, tasks: 0 }
const listeners = new Set<() => void>()
let nextId = 1
const pending = new Map<number, (results: DeviceResult[]) => void>()

function setState(next: Partial<DeviceSearchState>): void {
  state = { ...state, ...next }
  for (const l of listeners) l()
}

function send(msg: SearchRequest): void {
  worker?.postMessage(msg)
}

function onMessage(e: MessageEvent<SearchResponse>): void {
  const msg = e.data
  if (msg.type === 'ready') {
    setState({
      ready: true,
      projects: new Set(msg.projects),
      buildMs: msg.buildMs,
      tasks: msg.tasks,
    })
    // Read by app/bench/search.mjs.
    performance.mark('taskflow:search-ready')
    benchMeasure('taskflow:search-build', {
      start: performance.now() - msg.buildMs,
      duration: msg.buildMs,
    })
  } else if (msg.type === 'indexed') {
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
    send({ type: 'names', projects })
    return
  }
  worker?.terminate()
  for (const resolve of pending.values()) resolve([])
  pending.clear()
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

/** Stops the worker and forgets the index (sign-out). */
export function closeDeviceSearch(): void {
  worker?.terminate()
  worker = null
  account = null
  setState({ ready: false, projects: new Set(), buildMs: null, tasks: 0 })
}

/** Best matches on this device; empty when the index is not running. */
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
  update: (projectId: string, rows: TaskSearchText[], missing: string[]) =>
    send({ type: 'update', projectId, rows, missing }),
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
