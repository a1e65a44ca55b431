import { createTask, getBoardView } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import {
  connectProvider,
  sameState,
  startSyncServer,
  storedDoc,
  waitFor,
  waitSynced,
} from '../sync/sync-test-utils.js'
import { json, registerVerified } from '../test/collab.js'

/**
 * REST + sync end to end against a real server on port 0 with the default (real)
 * authorize: sessions and project membership decide who reads and writes.
 */
type Server = Awaited<ReturnType<typeof startSyncServer>>

function register(server: Server, email: string) {
  return registerVerified(server, {
    email,
    password: 'long enough password',
    name: email.split('@')[0]!,
  })
}

async function setup() {
  const server = await startSyncServer({ env: { TASKFLOW_INSECURE_OPEN: '0' } })
  const ann = await register(server, 'ann@example.org')
  const project = await json(server, 'POST', '/projects', ann.token, { name: 'Launch' })
  expect(project.status).toBe(201)
  return { server, ann, projectId: project.body.id as string }
}

async function addMember(
  s: Awaited<ReturnType<typeof setup>>,
  email: string,
  role: 'viewer' | 'member' | 'admin',
) {
  const user = await register(s.server, email)
  const res = await json(s.server, 'POST', `/projects/${s.projectId}/members`, s.ann.token, {
    email,
    role,
  })
  expect(res.status).toBe(201)
  return user
}

/** A raw socket that records every byte it receives, and how it closed. */
function recordingSocket(server: Server, docName: string, token?: string) {
  const url = `${server.syncUrl}/${docName}${token ? `?token=${token}` : ''}`
  const ws = new WebSocket(url)
  let bytes = 0
  ws.on('message', (data: Buffer) => {
    bytes += data.length
  })
  const closed = new Promise<{ code: number; bytes: number }>((resolve) => {
    ws.on('close', (code) => resolve({ code, bytes }))
    ws.on('error', () => {})
  })
  return { ws, closed }
}

function closeCodes(provider: WebsocketProvider): number[] {
  const codes: number[] = []
  provider.on('connection-close', (event) => {
    if (event) codes.push(event.code)
  })
  return codes
}

const firstColumn = (doc: Y.Doc) => getBoardView(doc).columns[0]!.id
const titles = (doc: Y.Doc) =>
  getBoardView(doc)
    .columns.flatMap((c) => c.tasks.map((t) => t.title))
    .sort()

describe('sync access through accounts', () => {
  it('two members edit the board they were invited to and converge; each update names its author', async () => {
    const s = await setup()
    const bob = await addMember(s, 'bob@example.org', 'member')
    const login = await json(s.server, 'POST', '/auth/login', undefined, {
      email: 'ann@example.org',
      password: 'long enough password',
    })
    expect(login.status).toBe(200)

    const a = connectProvider(s.server, s.projectId, { token: login.body.token })
    const b = connectProvider(s.server, s.projectId, { token: bob.token })
    await Promise.all([waitSynced(a), waitSynced(b)])
    expect(getBoardView(b.doc).columns.map((c) => c.name)).toEqual(['To do', 'In progress', 'Done'])

    createTask(a.doc, { columnId: firstColumn(a.doc), title: 'from Ann' })
    createTask(b.doc, { columnId: firstColumn(b.doc), title: 'from Bob' })
    await waitFor(() => sameState(a.doc, b.doc) && titles(a.doc).length === 2, 'convergence')
    expect(titles(b.doc)).toEqual(['from Ann', 'from Bob'])

    await waitFor(
      () => titles(storedDoc(s.server.dbFile, s.projectId).doc).length === 2,
      'both edits stored',
    )
    const authors = await import('better-sqlite3').then(({ default: SQLite }) => {
      const db = new SQLite(s.server.dbFile, { readonly: true })
      try {
        return db
          .prepare('SELECT DISTINCT user_id FROM doc_updates WHERE doc_name = ?')
          .all(s.projectId)
          .map((r) => (r as { user_id: string }).user_id)
          .sort()
      } finally {
        db.close()
      }
    })
    expect(authors).toEqual([s.ann.id, bob.id].sort())
  })

  it('sends not a single byte of the document to a non-member or an anonymous socket', async () => {
    const s = await setup()
    const eve = await register(s.server, 'eve@example.org')
    const stranger = recordingSocket(s.server, s.projectId, eve.token)
    const anonymous = recordingSocket(s.server, s.projectId)
    const forged = recordingSocket(s.server, s.projectId, 'A'.repeat(43))
    expect(await stranger.closed).toEqual({ code: 4403, bytes: 0 })
    expect(await anonymous.closed).toEqual({ code: 4401, bytes: 0 })
    expect(await forged.closed).toEqual({ code: 4401, bytes: 0 })
  })

  it("ignores a viewer's edits: nothing changes on the server or for others", async () => {
    const s = await setup()
    const vic = await addMember(s, 'vic@example.org', 'viewer')
    const owner = connectProvider(s.server, s.projectId, { token: s.ann.token })
    const viewer = connectProvider(s.server, s.projectId, { token: vic.token })
    await Promise.all([waitSynced(owner), waitSynced(viewer)])

    createTask(viewer.doc, { columnId: firstColumn(viewer.doc), title: 'sneaky' })
    // Awareness travels the same socket after the edit: once the owner sees it, the server
    // has processed (and dropped) the edit.
    viewer.awareness.setLocalStateField('user', { name: 'vic' })
    await waitFor(
      () => [...owner.awareness.getStates().values()].some((st) => st.user?.name === 'vic'),
      "viewer's awareness reached the owner",
    )
    createTask(owner.doc, { columnId: firstColumn(owner.doc), title: 'real' })
    await waitFor(() => titles(viewer.doc).includes('real'), 'owner edit reaches viewer')

    expect(titles(owner.doc)).toEqual(['real'])
    await waitFor(
      () => titles(storedDoc(s.server.dbFile, s.projectId).doc).includes('real'),
      'owner edit stored',
    )
    expect(titles(storedDoc(s.server.dbFile, s.projectId).doc)).toEqual(['real'])
  })

  it('removing a member closes their socket at once, with 4403', async () => {
    const s = await setup()
    const bob = await addMember(s, 'bob@example.org', 'member')
    const b = connectProvider(s.server, s.projectId, { token: bob.token })
    await waitSynced(b)
    const codes = closeCodes(b)
    const res = await json(
      s.server,
      'DELETE',
      `/projects/${s.projectId}/members/${bob.id}`,
      s.ann.token,
    )
    expect(res.status).toBe(204)
    // The removal closes the socket itself: no reconnect or periodic check is involved,
    // so the close arrives while the provider has made no further attempt.
    await waitFor(() => codes.length > 0, 'socket closed')
    expect(codes[0]).toBe(4403)
  })

  it('demoting to viewer makes the live connection read-only at once', async () => {
    const s = await setup()
    const bob = await addMember(s, 'bob@example.org', 'member')
    const a = connectProvider(s.server, s.projectId, { token: s.ann.token })
    const b = connectProvider(s.server, s.projectId, { token: bob.token })
    await Promise.all([waitSynced(a), waitSynced(b)])
    const codes = closeCodes(b)
    const res = await json(
      s.server,
      'PATCH',
      `/projects/${s.projectId}/members/${bob.id}`,
      s.ann.token,
      {
        role: 'viewer',
      },
    )
    expect(res.status).toBe(200)
    createTask(b.doc, { columnId: firstColumn(b.doc), title: 'after demotion' })
    b.awareness.setLocalStateField('user', { name: 'bob' })
    await waitFor(
      () => [...a.awareness.getStates().values()].some((st) => st.user?.name === 'bob'),
      "bob's awareness reached ann",
    )
    createTask(a.doc, { columnId: firstColumn(a.doc), title: 'fence' })
    await waitFor(() => titles(b.doc).includes('fence'), 'fence reaches bob')
    expect(titles(a.doc)).toEqual(['fence'])
    expect(codes).toEqual([])
  })

  it('logging out, archiving and deleting close the affected sockets', async () => {
    const s = await setup()
    const bob = await addMember(s, 'bob@example.org', 'member')
    const cy = await addMember(s, 'cy@example.org', 'member')

    const b = connectProvider(s.server, s.projectId, { token: bob.token })
    const c = connectProvider(s.server, s.projectId, { token: cy.token })
    await Promise.all([waitSynced(b), waitSynced(c)])
    const bCodes = closeCodes(b)
    const cCodes = closeCodes(c)

    expect((await json(s.server, 'POST', '/auth/logout', bob.token)).status).toBe(204)
    await waitFor(() => bCodes.length > 0, 'logged-out socket closed', 1000)
    expect(bCodes[0]).toBe(4401)
    b.disconnect()

    expect(
      (await json(s.server, 'POST', `/projects/${s.projectId}/archive`, s.ann.token)).status,
    ).toBe(200)
    await waitFor(() => cCodes.length > 0, 'archived project socket closed', 1000)
    expect(cCodes[0]).toBe(4403)

    expect(
      (await json(s.server, 'POST', `/projects/${s.projectId}/restore`, s.ann.token)).status,
    ).toBe(200)
    // 44xx closes are final for y-websocket; the app reconnects deliberately after a restore.
    c.connect()
    await waitFor(() => c.wsconnected && c.synced, 'reconnected after restore')
    const after = cCodes.length
    expect((await json(s.server, 'DELETE', `/projects/${s.projectId}`, s.ann.token)).status).toBe(
      204,
    )
    await waitFor(() => cCodes.length > after, 'deleted project socket closed', 1000)
    expect(storedDoc(s.server.dbFile, s.projectId).logRows).toBe(0)
  })

  it('changing the password closes the sockets of other sessions only', async () => {
    const s = await setup()
    const other = await json(s.server, 'POST', '/auth/login', undefined, {
      email: 'ann@example.org',
      password: 'long enough password',
    })
    const here = connectProvider(s.server, s.projectId, { token: s.ann.token })
    const there = connectProvider(s.server, s.projectId, { token: other.body.token })
    await Promise.all([waitSynced(here), waitSynced(there)])
    const hereCodes = closeCodes(here)
    const thereCodes = closeCodes(there)
    const res = await json(s.server, 'POST', '/me/password', s.ann.token, {
      currentPassword: 'long enough password',
      newPassword: 'another long password',
    })
    expect(res.status).toBe(204)
    await waitFor(() => thereCodes.length > 0, 'other session closed', 1000)
    expect(thereCodes[0]).toBe(4401)
    expect(hereCodes).toEqual([])
  })
})
