// @vitest-environment jsdom
import 'fake-indexeddb/auto'
import {
  createLabel,
  createTask,
  deleteLabel,
  getBoardView,
  initBoard,
  updateTask,
} from '@taskflow/board'
import { renderHook } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { boardSnapshotWritesSettled, readBoardSnapshot, writeBoardSnapshot } from './board-snapshot'
import { accountDbPrefix, type ProjectDoc } from './project-doc'
import { useBoardSnapshotWriter } from './use-board'

// Every snapshot the writer stores goes through this spy (still stored, so it can be read back).
vi.mock('./board-snapshot', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./board-snapshot')>()
  return { ...actual, writeBoardSnapshot: vi.fn(actual.writeBoardSnapshot) }
})
const writes = vi.mocked(writeBoardSnapshot)

const USER = 'u1'
const prefix = accountDbPrefix(USER)
let n = 0
let projectId = ''

beforeEach(() => {
  projectId = `p${++n}`
  writes.mockClear()
})

/** A device's board: a few tasks, one of them labelled. */
function boardDoc() {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Snapshots' })
  const columnId = getBoardView(doc).columns[0]!.id
  const label = createLabel(doc, { name: 'bug', color: '#ef4444' })
  if (!label.ok) throw new Error(label.error.message)
  for (let i = 0; i < 3; i++) createTask(doc, { columnId, title: `task ${i}` })
  const first = getBoardView(doc).columns[0]!.tasks[0]!
  updateTask(doc, first.id, { labelIds: [label.value.id] })
  return { doc, labelId: label.value.id }
}

/** What acquireProjectDoc hands the board: the document and the stored snapshot's state. */
async function opened(doc: Y.Doc): Promise<ProjectDoc> {
  const stored = await readBoardSnapshot(prefix, projectId)
  return {
    projectId,
    doc,
    snapshotDocState: stored?.docState ?? null,
    closed: false,
  } as ProjectDoc
}

/** The board opened from its local copy, then closed (the writer flushes on close). */
async function openAndClose(projectDoc: ProjectDoc, whileOpen: () => void = () => {}) {
  const { unmount } = renderHook(() => useBoardSnapshotWriter(projectDoc, USER, true))
  whileOpen()
  unmount()
  await boardSnapshotWritesSettled()
}

/** The document as the next open loads it from IndexedDB (another Y.Doc, same content). */
function reloaded(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

async function storedView() {
  return (await readBoardSnapshot(prefix, projectId))?.view
}

describe('board snapshot writer', () => {
  it('stores the board once; opening it again unchanged stores nothing', async () => {
    const { doc } = boardDoc()
    await openAndClose(await opened(doc))
    expect(writes).toHaveBeenCalledTimes(1)
    expect(await storedView()).toEqual(getBoardView(doc))

    writes.mockClear()
    await openAndClose(await opened(reloaded(doc)))
    expect(writes).not.toHaveBeenCalled()
  })

  it('stores again when the local copy holds changes the snapshot does not', async () => {
    const { doc } = boardDoc()
    await openAndClose(await opened(doc))
    // Stored as y-indexeddb rows after the snapshot (say the tab closed before its write).
    const columnId = getBoardView(doc).columns[1]!.id
    createTask(doc, { columnId, title: 'after the snapshot' })

    writes.mockClear()
    const next = reloaded(doc)
    await openAndClose(await opened(next))
    expect(writes).toHaveBeenCalledTimes(1)
    expect(await storedView()).toEqual(getBoardView(next))
  })

  it('stores again after a change that only deletes (the state vector alone would not show it)', async () => {
    const { doc, labelId } = boardDoc()
    await openAndClose(await opened(doc))
    const before = Y.encodeStateVector(doc)
    deleteLabel(doc, labelId)
    expect(Y.encodeStateVector(doc)).toEqual(before)

    writes.mockClear()
    const next = reloaded(doc)
    await openAndClose(await opened(next))
    expect(writes).toHaveBeenCalledTimes(1)
    const stored = await storedView()
    expect(stored?.columns[0]?.tasks[0]?.labelIds).toEqual([])
    expect(stored).toEqual(getBoardView(next))
  })

  it('stores again when the server sends an update while the board is open', async () => {
    const { doc } = boardDoc()
    await openAndClose(await opened(doc))
    const teammate = reloaded(doc)
    const columnId = getBoardView(teammate).columns[0]!.id
    createTask(teammate, { columnId, title: "a teammate's task" })

    writes.mockClear()
    const next = reloaded(doc)
    await openAndClose(await opened(next), () => {
      Y.applyUpdate(next, Y.encodeStateAsUpdate(teammate, Y.encodeStateVector(next)), 'server')
    })
    expect(writes).toHaveBeenCalledTimes(1)
    expect(await storedView()).toEqual(getBoardView(teammate))
  })
})
