// @vitest-environment jsdom

import {
  addComment,
  createTask,
  editTaskText,
  getBoardView,
  getTaskText,
  initBoard,
  moveTask,
} from '@taskflow/board'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as syncProtocol from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { SERVER_UNREACHABLE_AFTER_MS } from './server-reach'
import { createSyncStatusStore } from './sync-status'

/**
 * A WebSocket the test plays the server of: each one the provider opens waits until the
 * test refuses it (as a stopped server does), opens it, or answers its sync step 1.
 */
class FakeSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 3
  static all: FakeSocket[] = []
  readonly OPEN = 1
  readyState = FakeSocket.CONNECTING
  binaryType = 'blob'
  sent: Uint8Array[] = []
  onopen: (() => void) | null = null
  onclose: ((e: { code: number; reason: string }) => void) | null = null
  onerror: ((e: unknown) => void) | null = null
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(data: Uint8Array): void {
    this.sent.push(data)
  }
  close(): void {
    this.readyState = FakeSocket.CLOSED
  }
  /** The connection fails, as against a stopped server: error, then close 1006. */
  refuse(): void {
    this.readyState = FakeSocket.CLOSED
    this.onerror?.(new Event('error'))
    this.onclose?.({ code: 1006, reason: '' })
  }
  open(): void {
    this.readyState = FakeSocket.OPEN
    this.onopen?.()
  }
  /** The server answers the latest sync step 1 with its step 2 (it holds what we sent). */
  answerSync(): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0) // y-websocket's sync message type
    syncProtocol.writeSyncStep2(encoder, new Y.Doc())
    const bytes = encoding.toUint8Array(encoder)
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteLength) })
  }
  static latest(): FakeSocket {
    const socket = FakeSocket.all.at(-1)
    if (!socket) throw new Error('no socket opened')
    return socket
  }
}

let doc: Y.Doc
let provider: WebsocketProvider
let store: ReturnType<typeof createSyncStatusStore>

beforeEach(() => {
  vi.useFakeTimers()
  localStorage.clear()
  FakeSocket.all = []
  doc = new Y.Doc()
  provider = new WebsocketProvider('ws://sync.test/sync', 'p1', doc, {
    connect: false,
    maxBackoffTime: 1_000,
    disableBc: true,
    WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
  })
  store = createSyncStatusStore({
    doc,
    provider,
    isLocalOrigin: () => false,
    connectPending: () => false,
    storageKey: 'unsynced.test',
  })
})

afterEach(() => {
  store.destroy()
  provider.destroy()
  vi.restoreAllMocks()
  vi.useRealTimers()
})

const phase = () => store.getSnapshot().phase

/** Refuses every connection attempt for `ms` (the provider retries with backoff). */
function refuseFor(ms: number): void {
  const step = 50
  for (let t = 0; t < ms; t += step) {
    for (const s of FakeSocket.all) if (s.readyState === FakeSocket.CONNECTING) s.refuse()
    vi.advanceTimersByTime(Math.min(step, ms - t))
  }
}

/** The next attempt succeeds and the server completes the handshake. */
function serverAnswers(): void {
  vi.advanceTimersByTime(1_000) // the pending retry opens its socket
  const socket = FakeSocket.latest()
  socket.open()
  socket.answerSync()
}

let edits = 0
/** One action of the user's (a field written): each counts as one unsynced change. */
function edit(text: string): void {
  doc.getMap('m').set(`k${edits++}`, text)
}

describe('sync status when the server cannot be reached', () => {
  it('says "Connecting…" while attempts fail, then "Can\'t reach the server" after the threshold, still counting unsynced edits', () => {
    provider.connect()
    edit('a')
    edit('b')
    refuseFor(SERVER_UNREACHABLE_AFTER_MS - 50)
    expect(store.getSnapshot()).toEqual({ phase: 'connecting', unsynced: 2 })
    refuseFor(50)
    expect(store.getSnapshot()).toEqual({ phase: 'unreachable', unsynced: 2 })
    // Retries go on behind the message.
    expect(FakeSocket.all.length).toBeGreaterThan(3)
  })

  it('recovers to saved once the server answers and confirms the edits', () => {
    provider.connect()
    edit('offline edit')
    refuseFor(SERVER_UNREACHABLE_AFTER_MS)
    expect(phase()).toBe('unreachable')

    serverAnswers()
    expect(store.getSnapshot()).toEqual({ phase: 'syncing', unsynced: 1 })
    vi.advanceTimersByTime(200) // the ack request after the handshake
    FakeSocket.latest().answerSync()
    expect(store.getSnapshot()).toEqual({ phase: 'saved', unsynced: 0 })
  })

  it('shows a dropped connection as "Connecting…" when the server is back within the threshold', () => {
    provider.connect()
    serverAnswers()
    expect(phase()).toBe('saved')

    FakeSocket.latest().onclose?.({ code: 1012, reason: 'server restart' })
    expect(phase()).toBe('connecting')
    refuseFor(SERVER_UNREACHABLE_AFTER_MS - 1_100)
    serverAnswers()
    expect(phase()).toBe('saved')
    // The outage's clock stopped with the answer: nothing flips later.
    vi.advanceTimersByTime(2 * SERVER_UNREACHABLE_AFTER_MS)
    expect(phase()).toBe('saved')
  })

  it('says "Can\'t reach the server" when a connection drops and the server stays away', () => {
    provider.connect()
    serverAnswers()
    FakeSocket.latest().onclose?.({ code: 1012, reason: 'server restart' })
    refuseFor(SERVER_UNREACHABLE_AFTER_MS)
    expect(phase()).toBe('unreachable')
  })

  it('says "Offline" when the browser reports offline, and waits a full threshold again once back', () => {
    provider.connect()
    refuseFor(SERVER_UNREACHABLE_AFTER_MS)
    expect(phase()).toBe('unreachable')

    // project-doc.ts disconnects on the browser's offline event (here between two attempts).
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    provider.disconnect()
    window.dispatchEvent(new Event('offline'))
    expect(phase()).toBe('offline')

    onLine.mockReturnValue(true)
    provider.connect()
    window.dispatchEvent(new Event('online'))
    expect(phase()).toBe('connecting')
    refuseFor(SERVER_UNREACHABLE_AFTER_MS - 50)
    expect(phase()).toBe('connecting')
  })

  it('says "Can\'t reach the server" when an open socket leaves an edit unconfirmed for the threshold, and "All changes saved" once the answer comes', () => {
    provider.connect()
    serverAnswers()
    const socket = FakeSocket.latest()
    edit('into a dead network')
    vi.advanceTimersByTime(200) // the ack request goes out
    vi.advanceTimersByTime(SERVER_UNREACHABLE_AFTER_MS - 1)
    expect(store.getSnapshot()).toEqual({ phase: 'syncing', unsynced: 1 })
    vi.advanceTimersByTime(1)
    expect(store.getSnapshot()).toEqual({ phase: 'unreachable', unsynced: 1 })

    socket.answerSync()
    expect(store.getSnapshot()).toEqual({ phase: 'saved', unsynced: 0 })
  })

  it('says "Offline" whatever the socket does while the browser reports offline', () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    provider.connect()
    refuseFor(2 * SERVER_UNREACHABLE_AFTER_MS)
    expect(phase()).toBe('offline')
  })
})

describe('the unsynced count', () => {
  /** The board as the server sent it (the provider's origin: not this person's edits). */
  function receiveBoard(): void {
    const server = new Y.Doc()
    initBoard(server, { name: 'Trip' })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), provider)
  }

  /** The default columns' ids: to do, in progress, done. */
  function columns(): [{ id: string }, { id: string }, { id: string }] {
    const [todo, doing, done] = getBoardView(doc).columns
    if (!todo || !doing || !done) throw new Error('the board has no default columns')
    return [todo, doing, done]
  }

  /** Types into the task's title one keystroke at a time, as CollabTextField does. */
  function typeTitle(taskId: string, typed: string): void {
    for (const ch of typed) {
      const title = getTaskText(doc, taskId, 'title')
      editTaskText(doc, taskId, 'title', { index: title?.length ?? 0, insert: ch })
    }
  }

  it('counts four offline edits (create, rename, move, comment) as "4 unsynced", not their Yjs updates', () => {
    receiveBoard()
    expect(store.getSnapshot().unsynced).toBe(0)
    const [todo, , done] = columns()
    const created = createTask(doc, { columnId: todo.id, title: 'Book bus' })
    if (!created.ok) throw new Error(created.error.message)
    const id = created.value.id
    typeTitle(id, ' for Friday')
    moveTask(doc, id, { columnId: done.id })
    addComment(doc, id, { body: 'Booked for 30 people' }, { userId: 'u1' })
    expect(store.getSnapshot()).toEqual({ phase: 'offline', unsynced: 4 })
  })

  it("counts typing into two tasks' titles as two changes, and two moves of one task as two", () => {
    receiveBoard()
    const [todo, doing, done] = columns()
    const a = createTask(doc, { columnId: todo.id, title: 'A' })
    const b = createTask(doc, { columnId: todo.id, title: 'B' })
    if (!a.ok || !b.ok) throw new Error('tasks not created')
    const before = store.getSnapshot().unsynced
    typeTitle(a.value.id, 'bc')
    typeTitle(b.value.id, 'de')
    moveTask(doc, a.value.id, { columnId: doing.id })
    moveTask(doc, a.value.id, { columnId: done.id })
    expect(store.getSnapshot().unsynced - before).toBe(4)
  })

  it('counts typing that goes on after the server was asked to confirm as a further change', () => {
    provider.connect()
    serverAnswers()
    receiveBoard()
    const [todo] = columns()
    const created = createTask(doc, { columnId: todo.id, title: 'A' })
    if (!created.ok) throw new Error(created.error.message)
    vi.advanceTimersByTime(200) // the ack request for the task goes out
    typeTitle(created.value.id, 'b')
    FakeSocket.latest().answerSync() // confirms the task, not the keystroke sent after
    expect(store.getSnapshot().unsynced).toBe(1)
  })
})

describe('sync status when the server refuses the connection', () => {
  it('says "refused", not "Connecting…", once the server closes with 4403, and stops retrying', () => {
    provider.connect()
    serverAnswers()
    const socket = FakeSocket.latest()
    socket.readyState = FakeSocket.CLOSED
    socket.onclose?.({ code: 4403, reason: 'not a member of this project' })
    expect(phase()).toBe('refused')
    const opened = FakeSocket.all.length
    vi.advanceTimersByTime(10 * SERVER_UNREACHABLE_AFTER_MS)
    expect(phase()).toBe('refused')
    expect(FakeSocket.all.length).toBe(opened)
  })
})
