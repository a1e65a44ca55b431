import { describe, expect, it } from 'vitest'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { json, signUp } from '../test/collab.js'
import { queryStored } from '../test/stored.js'
import { encodeAwareness, encodeUpdate } from './protocol.js'
import {
  connectProvider,
  sameState,
  startSyncServer,
  storedAuthors,
  storedDoc,
  waitFor,
  waitSynced,
} from './sync-test-utils.js'

/**
 * SPEC 7 (unforgeable authorship) end to end: a real server on port 0 with the real
 * authorize (sessions + membership), y-websocket's own provider as the client.
 */

/** Ann owns a project; Bob is a member; Vic a viewer. */
async function setup(dir?: string) {
  const server = await startSyncServer({ env: { TASKFLOW_INSECURE_OPEN: '0' }, dir })
  const ann = await signUp(server, 'ann')
  const bob = await signUp(server, 'bob')
  const vic = await signUp(server, 'vic')
  const project = await json(server, 'POST', '/projects', ann.token, { name: 'Launch' })
  expect(project.status).toBe(201)
  const projectId = project.body.id as string
  for (const [email, role] of [
    ['bob@example.com', 'member'],
    ['vic@example.com', 'viewer'],
  ]) {
    const res = await json(server, 'POST', `/projects/${projectId}/members`, ann.token, {
      email,
      role,
    })
    expect(res.status).toBe(201)
  }
  return { server, ann, bob, vic, projectId }
}

function closeCodes(provider: WebsocketProvider): { code: number; reason: string }[] {
  const codes: { code: number; reason: string }[] = []
  provider.on('connection-close', (event) => {
    if (event) codes.push({ code: event.code, reason: event.reason })
  })
  return codes
}

const notes = (doc: Y.Doc) => doc.getText('notes').toString()

/**
 * Makes one local edit under `clientId`, as a forging client would. The provider sends it
 * synchronously; the ID is then restored, or destroying the provider's awareness throws.
 */
function editAs(provider: WebsocketProvider, clientId: number, edit: (doc: Y.Doc) => void): void {
  provider.doc.clientID = clientId
  try {
    edit(provider.doc)
  } finally {
    provider.doc.clientID = provider.awareness.clientID
  }
}

describe('unforgeable authorship (SPEC 7)', () => {
  it("refuses a client that writes under another user's client ID with 4403; nothing it sent is stored or relayed", async () => {
    const s = await setup()
    const ann = connectProvider(s.server, s.projectId, { token: s.ann.token })
    await waitSynced(ann)
    ann.doc.getText('notes').insert(0, 'ann wrote this. ')
    await waitFor(() => notes(storedDoc(s.server.dbFile, s.projectId).doc) !== '', 'ann stored')

    const forger = connectProvider(s.server, s.projectId, { token: s.bob.token })
    const codes = closeCodes(forger)
    await waitSynced(forger)
    await waitFor(() => notes(forger.doc) === 'ann wrote this. ', 'forger holds ann text')
    // After syncing: Yjs would pick a new ID if a remote update arrived under its own.
    editAs(forger, ann.doc.clientID, (doc) => doc.getText('notes').insert(0, 'FORGED '))

    await waitFor(() => codes.length > 0, 'forger closed')
    expect(codes[0]!.code).toBe(4403)
    expect(codes[0]!.reason).toMatch(/another user/)

    // Ann keeps editing under her ID: the server still accepts her and relays nothing forged.
    ann.doc.getText('notes').insert(ann.doc.getText('notes').length, 'and this.')
    const stored = () => notes(storedDoc(s.server.dbFile, s.projectId).doc)
    await waitFor(() => stored().endsWith('and this.'), 'ann second edit stored')
    expect(stored()).toBe('ann wrote this. and this.')
    expect(notes(ann.doc)).toBe('ann wrote this. and this.')
    expect(storedAuthors(s.server.dbFile, s.projectId)).toEqual([s.ann.id])

    // A watcher that joins now receives exactly what is stored.
    const late = connectProvider(s.server, s.projectId, { token: s.vic.token })
    await waitSynced(late)
    expect(notes(late.doc)).toBe('ann wrote this. and this.')
  })

  it('refuses writing under the client ID of the board the server created for the owner', async () => {
    const s = await setup()
    const initial = storedDoc(s.server.dbFile, s.projectId).doc
    const [creatorClient] = [...Y.decodeStateVector(Y.encodeStateVector(initial)).keys()]
    expect(creatorClient).toBeDefined()

    const forger = connectProvider(s.server, s.projectId, { token: s.bob.token })
    const codes = closeCodes(forger)
    await waitSynced(forger)
    editAs(forger, creatorClient!, (doc) => doc.getText('notes').insert(0, 'FORGED'))
    await waitFor(() => codes.length > 0, 'forger closed')
    expect(codes[0]!.code).toBe(4403)
    expect(notes(storedDoc(s.server.dbFile, s.projectId).doc)).toBe('')
  })

  it("accepts a reconnecting client that resends others' known structs along with its own", async () => {
    const s = await setup()
    const ann = connectProvider(s.server, s.projectId, { token: s.ann.token })
    const bob1 = connectProvider(s.server, s.projectId, { token: s.bob.token })
    await Promise.all([waitSynced(ann), waitSynced(bob1)])
    ann.doc.getText('notes').insert(0, 'from ann. ')
    await waitFor(() => notes(bob1.doc) === 'from ann. ', 'bob received ann edit')

    // Bob goes offline, edits, and comes back with a fresh provider on a doc that holds
    // Ann's structs and his own new ones (as y-indexeddb would restore it).
    bob1.destroy()
    const offline = new Y.Doc()
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(bob1.doc))
    offline.getText('notes').insert(offline.getText('notes').length, 'from bob offline.')
    const bob2 = connectProvider(s.server, s.projectId, { token: s.bob.token, doc: offline })
    const codes = closeCodes(bob2)
    await waitSynced(bob2)
    await waitFor(() => notes(ann.doc).endsWith('from bob offline.'), 'bob offline edit relayed')

    // Then it resends everything it holds, Ann's structs included, in one update.
    offline.getText('notes').insert(offline.getText('notes').length, ' more.')
    bob2.ws!.send(encodeUpdate(Y.encodeStateAsUpdate(offline)))
    await waitFor(() => notes(ann.doc).endsWith(' more.'), 'resend accepted and relayed')
    await waitFor(() => sameState(ann.doc, offline), 'converged')
    expect(codes).toEqual([])
    expect(bob2.wsconnected).toBe(true)
    expect(notes(storedDoc(s.server.dbFile, s.projectId).doc)).toBe(
      'from ann. from bob offline. more.',
    )
  })

  it('lists each client ID with the user it is bound to, for every member and viewer', async () => {
    const s = await setup()
    const ann = connectProvider(s.server, s.projectId, { token: s.ann.token })
    const bob = connectProvider(s.server, s.projectId, { token: s.bob.token })
    const vic = connectProvider(s.server, s.projectId, { token: s.vic.token })
    await Promise.all([waitSynced(ann), waitSynced(bob), waitSynced(vic)])
    ann.doc.getText('notes').insert(0, 'a')
    bob.doc.getText('notes').insert(0, 'b')
    // A viewer's edits are dropped, so its client ID is never bound.
    vic.doc.getText('notes').insert(0, 'v')
    await waitFor(() => notes(storedDoc(s.server.dbFile, s.projectId).doc).length === 2, 'stored')

    const res = await json(s.server, 'GET', `/projects/${s.projectId}/authors`, s.vic.token)
    expect(res.status).toBe(200)
    const creatorClients = [
      ...Y.parseUpdateMeta(firstLogRow(s.server.dbFile, s.projectId)).to.keys(),
    ]
    const byClient = new Map(
      (res.body.authors as { clientId: number; userId: string; name: string }[]).map((a) => [
        a.clientId,
        a,
      ]),
    )
    expect(byClient.get(ann.doc.clientID)).toEqual({
      clientId: ann.doc.clientID,
      userId: s.ann.id,
      name: 'ann',
    })
    expect(byClient.get(bob.doc.clientID)).toEqual({
      clientId: bob.doc.clientID,
      userId: s.bob.id,
      name: 'bob',
    })
    for (const c of creatorClients) expect(byClient.get(c)?.userId).toBe(s.ann.id)
    expect(byClient.has(vic.doc.clientID)).toBe(false)
    expect(byClient.size).toBe(2 + creatorClients.length)

    const eve = await signUp(s.server, 'eve')
    const denied = await json(s.server, 'GET', `/projects/${s.projectId}/authors`, eve.token)
    expect(denied.status).toBe(403)
    expect(denied.body.error.code).toEqual(expect.any(String))
  })

  it('keeps bindings across a server restart, and deletes them with the project', async () => {
    const s = await setup()
    const ann = connectProvider(s.server, s.projectId, { token: s.ann.token })
    await waitSynced(ann)
    ann.doc.getText('notes').insert(0, 'before restart')
    await waitFor(() => notes(storedDoc(s.server.dbFile, s.projectId).doc) !== '', 'stored')
    const annClient = ann.doc.clientID
    ann.destroy()
    await s.server.close()

    const server = await startSyncServer({
      env: { TASKFLOW_INSECURE_OPEN: '0' },
      dir: s.server.dir,
    })
    const forger = connectProvider(server, s.projectId, { token: s.bob.token })
    const codes = closeCodes(forger)
    await waitSynced(forger)
    editAs(forger, annClient, (doc) => doc.getText('notes').insert(0, 'FORGED '))
    await waitFor(() => codes.length > 0, 'forger closed')
    expect(codes[0]!.code).toBe(4403)
    expect(notes(storedDoc(server.dbFile, s.projectId).doc)).toBe('before restart')

    const listed = await json(server, 'GET', `/projects/${s.projectId}/authors`, s.bob.token)
    expect(listed.body.authors).toContainEqual({
      clientId: annClient,
      userId: s.ann.id,
      name: 'ann',
    })

    expect((await json(server, 'DELETE', `/projects/${s.projectId}`, s.ann.token)).status).toBe(204)
    expect(bindingRows(server.dbFile, s.projectId)).toBe(0)
  })

  it("binds a newcomer's client ID when their presence arrives, so a member who saw it cannot claim it and the newcomer's offline edits under it are kept (SPEC 7.7)", async () => {
    const s = await setup()
    const mal = await signUp(s.server, 'mal')
    const added = await json(s.server, 'POST', `/projects/${s.projectId}/members`, s.ann.token, {
      email: 'mal@example.com',
      role: 'member',
    })
    expect(added.status).toBe(201)
    const attacker = connectProvider(s.server, s.projectId, { token: mal.token })
    await waitSynced(attacker)

    // Bob joins and edits nothing: only his presence tells others his client ID.
    const bobDoc = new Y.Doc()
    const bob = connectProvider(s.server, s.projectId, { token: s.bob.token, doc: bobDoc })
    bob.awareness.setLocalStateField('user', { id: s.bob.id, name: 'bob' })
    const bobClient = bobDoc.clientID
    await waitFor(() => attacker.awareness.getStates().has(bobClient), 'mal sees bob')
    const authors = await json(s.server, 'GET', `/projects/${s.projectId}/authors`, s.vic.token)
    expect(authors.body.authors).toContainEqual({
      clientId: bobClient,
      userId: s.bob.id,
      name: 'bob',
    })

    const codes = closeCodes(attacker)
    editAs(attacker, bobClient, (doc) => doc.getText('notes').insert(0, 'CLAIMED '))
    await waitFor(() => codes.length > 0, 'mal closed')
    expect(codes[0]!.code).toBe(4403)

    // Bob goes offline, writes under his ID, and reconnects: his edit is stored as his.
    bob.destroy()
    bobDoc.getText('notes').insert(0, 'bob offline')
    expect(bobDoc.clientID).toBe(bobClient)
    const back = connectProvider(s.server, s.projectId, { token: s.bob.token, doc: bobDoc })
    await waitSynced(back)
    const stored = () => notes(storedDoc(s.server.dbFile, s.projectId).doc)
    await waitFor(() => stored() === 'bob offline', 'offline edit stored')
    expect(storedAuthors(s.server.dbFile, s.projectId)).toEqual([s.ann.id, s.bob.id].sort())
  })

  it('refuses presence under a client ID bound to another user, even once its owner left (SPEC 4.6, 7.7)', async () => {
    const s = await setup()
    const ann = connectProvider(s.server, s.projectId, { token: s.ann.token })
    const vic = connectProvider(s.server, s.projectId, { token: s.vic.token })
    await Promise.all([waitSynced(ann), waitSynced(vic)])
    ann.awareness.setLocalStateField('user', { id: s.ann.id, name: 'ann' })
    const annClient = ann.awareness.clientID
    await waitFor(() => vic.awareness.getStates().has(annClient), 'vic sees ann')
    ann.destroy()
    await waitFor(() => !vic.awareness.getStates().has(annClient), 'ann gone for vic')

    const bob = connectProvider(s.server, s.projectId, { token: s.bob.token })
    await waitSynced(bob)
    // Bob's provider publishes a state for Ann's ID, then one for his own (the marker).
    bob.awareness.states.set(annClient, { user: { name: 'ann' } })
    bob.awareness.meta.set(annClient, { clock: 100, lastUpdated: 0 })
    bob.ws!.send(encodeAwareness(encodeAwarenessUpdate(bob.awareness, [annClient])))
    bob.awareness.setLocalStateField('user', { id: s.bob.id, name: 'bob' })
    await waitFor(
      () => vic.awareness.getStates().get(bob.awareness.clientID)?.user?.name === 'bob',
      'vic sees bob',
    )
    expect(vic.awareness.getStates().has(annClient)).toBe(false)
  })

  it('does not check or bind without users (TASKFLOW_INSECURE_OPEN=1)', async () => {
    const server = await startSyncServer()
    const a = connectProvider(server, 'open-doc')
    await waitSynced(a)
    a.doc.getText('notes').insert(0, 'a ')
    const b = connectProvider(server, 'open-doc')
    const watcher = connectProvider(server, 'open-doc')
    await Promise.all([waitSynced(b), waitSynced(watcher)])
    await waitFor(() => notes(b.doc) === 'a ' && notes(watcher.doc) === 'a ', 'both have a')
    // Gone first: a live victim would see its own ID arrive and pick a new one.
    a.destroy()
    editAs(b, a.doc.clientID, (doc) => doc.getText('notes').insert(2, 'b'))
    await waitFor(() => notes(watcher.doc) === 'a b', 'relayed')
    expect(bindingRows(server.dbFile, 'open-doc')).toBe(0)
  })
})

function firstLogRow(dbFile: string, docName: string): Uint8Array {
  return queryStored<{ update: Uint8Array }>(
    dbFile,
    'SELECT "update" FROM doc_updates WHERE doc_name = ? AND seq = 1',
    [docName],
  )[0]!.update
}

function bindingRows(dbFile: string, docName: string): number {
  return queryStored<{ n: number }>(
    dbFile,
    'SELECT count(*) AS n FROM client_bindings WHERE doc_name = ?',
    [docName],
  )[0]!.n
}
