import { allTaskSearchTexts, type TaskSearchText } from '@taskflow/board'
import * as Y from 'yjs'
import { runRowsOp } from '../../sync/update-rows'
import {
  DeviceIndex,
  type DeviceResult,
  type IndexSnapshot,
  type SnapshotPart,
} from './device-index'

/** Messages from search-client.ts. */
export type SearchRequest =
  | { type: 'open'; dbPrefix: string; projects: { id: string; name: string }[] }
  | { type: 'names'; projects: { id: string; name: string }[] }
  /** `seq`: the page's count of updates, so it can replay the ones a snapshot misses. */
  | { type: 'update'; seq: number; projectId: string; rows: TaskSearchText[]; missing: string[] }
  | { type: 'reindex'; projectId: string }
  | { type: 'query'; id: number; q: string; limit: number }

export type SearchResponse =
  | { type: 'ready'; projects: string[]; tasks: number; buildMs: number }
  /**
   * The whole index for the page, part by part (each message small, so receiving one is a
   * short task), then `snapshot-end` with the last update it includes.
   */
  | { type: 'snapshot-part'; part: SnapshotPart }
  | { type: 'snapshot-end'; seq: number; rest: Omit<IndexSnapshot, 'parts'> }
  /** `ms`: time the index took to apply the change (the stored board's re-read included). */
  /** `seq`: the last page update applied (the page forgets older ones). */
  | { type: 'indexed'; projects: string[]; ms: number; seq: number }
  | { type: 'results'; id: number; results: DeviceResult[]; ms: number }

const index = new DeviceIndex()
let dbPrefix = ''
let lastSeq = 0

/** Reads a project's stored board (the app's IndexedDB copy) into the index; false when absent. */
async function indexStored(projectId: string): Promise<boolean> {
  const loaded = (await runRowsOp('load', `${dbPrefix}${projectId}`)) as {
    update: Uint8Array | null
  }
  if (!loaded.update) return false
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, loaded.update)
    index.setProject(projectId, allTaskSearchTexts(doc))
    return true
  } finally {
    doc.destroy()
  }
}

const post = (msg: SearchResponse) => self.postMessage(msg)

/** Hands the index to the page, which then answers keystrokes itself (search-client.ts). */
function postSnapshot() {
  const { parts, ...rest } = index.snapshot()
  for (const part of parts) post({ type: 'snapshot-part', part })
  post({ type: 'snapshot-end', seq: lastSeq, rest })
}

async function handle(msg: SearchRequest): Promise<void> {
  switch (msg.type) {
    case 'open': {
      const t0 = performance.now()
      dbPrefix = msg.dbPrefix
      for (const id of index.projects()) index.removeProject(id)
      for (const p of msg.projects) {
        index.setProjectName(p.id, p.name)
        try {
          await indexStored(p.id)
        } catch {
          // An unreadable copy is left out; the server's search still covers it.
        }
      }
      postSnapshot()
      post({
        type: 'ready',
        projects: index.projects(),
        tasks: index.size,
        buildMs: performance.now() - t0,
      })
      return
    }
    case 'names':
      for (const p of msg.projects) index.setProjectName(p.id, p.name)
      return
    case 'update': {
      const t0 = performance.now()
      index.update(msg.projectId, msg.rows, msg.missing)
      lastSeq = msg.seq
      post({
        type: 'indexed',
        projects: index.projects(),
        ms: performance.now() - t0,
        seq: lastSeq,
      })
      return
    }
    case 'reindex': {
      const t0 = performance.now()
      await indexStored(msg.projectId).catch(() => false)
      post({
        type: 'indexed',
        projects: index.projects(),
        ms: performance.now() - t0,
        seq: lastSeq,
      })
      postSnapshot()
      return
    }
    case 'query': {
      const t0 = performance.now()
      const results = index.search(msg.q, msg.limit)
      post({ type: 'results', id: msg.id, results, ms: performance.now() - t0 })
      return
    }
  }
}

// In order: an update sent while the stored boards load applies after them, not under them.
// Queries skip the queue so typing is answered while a big board re-reads.
let queue: Promise<void> = Promise.resolve()
self.onmessage = (e: MessageEvent<SearchRequest>) => {
  const msg = e.data
  if (msg.type === 'query') {
    void handle(msg)
    return
  }
  queue = queue.then(() => handle(msg)).catch(() => {})
}
