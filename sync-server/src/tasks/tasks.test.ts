import { getBoardView, getTask, getTaskBody } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { storedAuthors } from '../sync/sync-test-utils.js'
import { client, collabWorld, json, startCollabServer } from '../test/collab.js'

/** Resolves once `cond` holds for `doc`, checked on every update it receives. */
function whenDoc(doc: Y.Doc, cond: () => boolean, label: string, timeoutMs = 15_000) {
  return new Promise<void>((resolve, reject) => {
    if (cond()) return resolve()
    const onUpdate = () => {
      if (!cond()) return
      clearTimeout(timer)
      doc.off('update', onUpdate)
      resolve()
    }
    const timer = setTimeout(() => {
      doc.off('update', onUpdate)
      reject(new Error(`timed out waiting for: ${label}`))
    }, timeoutMs)
    doc.on('update', onUpdate)
  })
}

/** The Yjs client ID that created a task in `doc` (its map's item). */
function creatorClient(doc: Y.Doc, taskId: string): number {
  const item = (doc.getMap('tasks').get(taskId) as Y.Map<unknown>)._item!
  return item.id.client
}

const tasksOf = (projectId: string) => `/projects/${projectId}/tasks`

describe('task API on the live board', () => {
  it('a task created through the API reaches an open board at once, written by the caller, and survives a restart', async () => {
    const w = await collabWorld()
    const { server, projectId, ann, bob } = w
    const b = await client(server, projectId, bob)
    const doing = getBoardView(b.doc).columns[1]!.id

    const created = await json(server, 'POST', tasksOf(projectId), ann.token, {
      title: 'Ship the API',
      columnId: doing,
      description: '# Plan\n- write it\n- test it',
      assigneeIds: [bob.id],
      priority: 'high',
      dueDate: '2026-11-20',
      estimate: 3,
    })
    expect(created.status).toBe(201)
    const id: string = created.body.id
    expect(created.body).toMatchObject({
      title: 'Ship the API',
      columnId: doing,
      // Markdown comes back as Markdown, normalized (a blank line between blocks).
      description: '# Plan\n\n- write it\n- test it',
      assigneeIds: [bob.id],
      priority: 'high',
      dueDate: '2026-11-20',
      estimate: 3,
      createdBy: ann.id,
      createdAt: new Date(w.clock.now()).toISOString(),
      deletedAt: null,
    })

    // Bob's open board shows it, in the column asked for.
    await whenDoc(b.doc, () => getTask(b.doc, id) !== undefined, 'task relayed')
    expect(getTask(b.doc, id)).toMatchObject({ title: 'Ship the API', columnId: doing })
    // The Markdown arrives as rich text: a heading and a list of two items, as the editor shows.
    const blocks = getTaskBody(b.doc, id)!.toArray() as Y.XmlElement[]
    // (Y.XmlElement#toString lowercases node names.)
    expect(blocks.map((n) => n.nodeName)).toEqual(['heading', 'bulletList'])
    expect(blocks[0]!.getAttribute('level')).toBe(1)
    expect(blocks[1]!.toArray().map((li) => (li as Y.XmlElement).toString())).toEqual([
      '<listitem><paragraph>write it</paragraph></listitem>',
      '<listitem><paragraph>test it</paragraph></listitem>',
    ])

    // Stored as Ann's update, its structs under a client ID bound to Ann (SPEC 7)...
    expect(storedAuthors(server.dbFile, projectId)).toEqual([ann.id])
    const authors = await json(server, 'GET', `/projects/${projectId}/authors`, bob.token)
    const clientId = creatorClient(b.doc, id)
    expect(authors.body.authors).toContainEqual(
      expect.objectContaining({ clientId, userId: ann.id }),
    )
    // ...so activity names Ann and Bob hears he was assigned.
    await server.idle()
    const activity = await json(server, 'GET', `/projects/${projectId}/activity`, bob.token)
    expect(activity.body.entries).toContainEqual(
      expect.objectContaining({ kind: 'task_created', taskId: id, userId: ann.id }),
    )
    const inbox = await json(server, 'GET', '/notifications', bob.token)
    expect(inbox.body.notifications).toContainEqual(
      expect.objectContaining({ kind: 'assigned', taskId: id }),
    )

    // A second write by Ann reuses her API client ID (the state vector does not grow).
    const second = await json(server, 'POST', tasksOf(projectId), ann.token, { title: 'Two' })
    await whenDoc(b.doc, () => getTask(b.doc, second.body.id) !== undefined, 'second relayed')
    expect(creatorClient(b.doc, second.body.id)).toBe(clientId)

    b.destroy()
    await server.close()
    const again = await startCollabServer(w.clock, { dir: server.dir })
    const read = await json(again, 'GET', `${tasksOf(projectId)}/${id}`, bob.token)
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ title: 'Ship the API', columnId: doing })
  })

  it('opens the board when nobody has it open, and unloads it again', async () => {
    const w = await collabWorld({ env: { TASKFLOW_ROOM_GRACE_MS: '0' } })
    const { server, projectId, ann, bob } = w
    expect(server.sync.roomCount).toBe(0)
    const created = await json(server, 'POST', tasksOf(projectId), ann.token, { title: 'Solo' })
    expect(created.status).toBe(201)
    await new Promise<void>((resolve, reject) => {
      const deadline = performance.now() + 15_000
      const check = () => {
        if (server.sync.roomCount === 0) return resolve()
        if (performance.now() > deadline) return reject(new Error('room never unloaded'))
        setImmediate(check)
      }
      check()
    })
    const b = await client(server, projectId, bob)
    expect(getTask(b.doc, created.body.id)?.title).toBe('Solo')
  })

  it('edits, moves, trashes and comments through the API, each seen live', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const b = await client(server, projectId, bob)
    const [todo, doing] = getBoardView(b.doc).columns.map((c) => c.id) as [string, string]
    const make = async (title: string) =>
      (await json(server, 'POST', tasksOf(projectId), ann.token, { title })).body.id as string
    const one = await make('One')
    const two = await make('Two')
    const three = await make('Three')

    const patched = await json(server, 'PATCH', `${tasksOf(projectId)}/${two}`, ann.token, {
      title: 'Two!',
      description: 'Changed',
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ title: 'Two!', description: 'Changed' })
    await whenDoc(b.doc, () => getTask(b.doc, two)?.title === 'Two!', 'title relayed')

    const order = () => getBoardView(b.doc).columns[0]!.tasks.map((t) => t.title)
    const moved = await json(server, 'POST', `${tasksOf(projectId)}/${three}/move`, ann.token, {
      columnId: todo,
      beforeTaskId: one,
    })
    expect(moved.status).toBe(200)
    await whenDoc(b.doc, () => order()[0] === 'Three', 'reorder relayed')
    expect(order()).toEqual(['Three', 'One', 'Two!'])
    await json(server, 'POST', `${tasksOf(projectId)}/${one}/move`, ann.token, {
      columnId: todo,
      afterTaskId: two,
    })
    await whenDoc(b.doc, () => order().at(-1) === 'One', 'move after relayed')
    const across = await json(server, 'POST', `${tasksOf(projectId)}/${one}/move`, ann.token, {
      columnId: doing,
    })
    expect(across.body.columnId).toBe(doing)

    const comment = await json(server, 'POST', `${tasksOf(projectId)}/${two}/comments`, ann.token, {
      body: 'Looks good',
    })
    expect(comment.status).toBe(201)
    expect(comment.body).toMatchObject({ body: 'Looks good', authorId: ann.id, taskId: two })
    const thread = await json(server, 'GET', `${tasksOf(projectId)}/${two}/comments`, bob.token)
    expect(thread.body.comments).toEqual([comment.body])
    await whenDoc(b.doc, () => getTask(b.doc, two)?.commentCount === 1, 'comment relayed')

    const del = await json(server, 'DELETE', `${tasksOf(projectId)}/${two}`, ann.token)
    expect(del.status).toBe(204)
    await whenDoc(b.doc, () => getTask(b.doc, two)?.deletedAt !== null, 'trash relayed')
    expect((await json(server, 'DELETE', `${tasksOf(projectId)}/${two}`, ann.token)).status).toBe(
      204,
    )
    const trashed = await json(server, 'GET', `${tasksOf(projectId)}?trashed=true`, bob.token)
    expect(trashed.body.tasks.map((t: any) => t.id)).toEqual([two])
  })

  it('refuses what the board refuses with 4xx and changes nothing', async () => {
    const { server, projectId, ann, eve } = await collabWorld()
    const b = await client(server, projectId, ann)
    const post = (path: string, body: unknown) =>
      json(server, 'POST', `${tasksOf(projectId)}${path}`, ann.token, body)
    const id = (await post('', { title: 'Keep' })).body.id as string
    await whenDoc(b.doc, () => getTask(b.doc, id) !== undefined, 'created')
    const before = Y.encodeStateVector(b.doc)
    const cases: [string, string, string, unknown, number][] = [
      ['POST', '', 'unknown column', { title: 'x', columnId: 'nope' }, 400],
      ['POST', '', 'unknown label', { title: 'x', labelIds: ['nope'] }, 400],
      ['POST', '', 'assignee not a member', { title: 'x', assigneeIds: [eve.id] }, 400],
      ['POST', '', 'blank title', { title: '   ' }, 400],
      ['POST', '', 'title with a control character', { title: 'a\u0007b' }, 400],
      [
        'POST',
        '',
        'start after due',
        { title: 'x', startDate: '2026-02-02', dueDate: '2026-01-01' },
        400,
      ],
      ['POST', '', 'bad date', { title: 'x', dueDate: '2026-13-45' }, 400],
      ['POST', '', 'unknown field', { title: 'x', colour: 'red' }, 400],
      ['PATCH', `/${id}`, 'empty patch', {}, 400],
      ['PATCH', '/missing', 'unknown task', { title: 'x' }, 404],
      ['POST', `/${id}/move`, 'unknown column', { columnId: 'nope' }, 400],
      [
        'POST',
        `/${id}/move`,
        'before and after',
        { columnId: 'x', beforeTaskId: 'a', afterTaskId: 'b' },
        400,
      ],
      ['POST', '/missing/move', 'unknown task', { columnId: 'x' }, 404],
      ['POST', `/${id}/comments`, 'blank comment', { body: '  ' }, 400],
      ['POST', '/missing/comments', 'unknown task', { body: 'hi' }, 404],
      ['GET', '?limit=201', 'limit over 200', undefined, 400],
      ['GET', '?cursor=garbage', 'forged cursor', undefined, 400],
      ['GET', '?colour=red', 'unknown filter', undefined, 400],
      ['GET', '/missing', 'unknown task', undefined, 404],
      ['DELETE', '/missing', 'unknown task', undefined, 404],
    ]
    for (const [method, path, what, body, status] of cases) {
      const r = await json(server, method, `${tasksOf(projectId)}${path}`, ann.token, body)
      expect([what, r.status], JSON.stringify(r.body)).toEqual([what, status])
      expect(r.body.error.code).toEqual(expect.any(String))
    }
    // A trashed task cannot be moved (the board's rule): 409.
    const columnId = getBoardView(b.doc).columns[0]!.id
    await json(server, 'DELETE', `${tasksOf(projectId)}/${id}`, ann.token)
    const moveTrashed = await post(`/${id}/move`, { columnId })
    expect(moveTrashed.status).toBe(409)
    expect(moveTrashed.body.error.code).toBe('conflict')
    // Nothing but the delete was written.
    await server.idle()
    const after = Y.decodeStateVector(Y.encodeStateVector(b.doc))
    const clocks = [...after.values()].reduce((n, c) => n + c, 0)
    const beforeClocks = [...Y.decodeStateVector(before).values()].reduce((n, c) => n + c, 0)
    // The delete writes deletedAt, updatedAt and updatedBy (B19).
    expect(clocks - beforeClocks).toBeLessThanOrEqual(3)
  })

  it('lists tasks with filters and stable cursor pages', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const post = (body: unknown) => json(server, 'POST', tasksOf(projectId), ann.token, body)
    const ids: string[] = []
    for (let i = 0; i < 7; i++) {
      const r = await post({
        title: `T${i}`,
        priority: i % 2 ? 'high' : 'low',
        dueDate: `2026-12-0${i + 1}`,
        assigneeIds: i < 3 ? [bob.id] : [],
      })
      ids.push(r.body.id)
    }
    const list = (q: string) => json(server, 'GET', `${tasksOf(projectId)}?${q}`, bob.token)
    const titles = (r: any) => r.body.tasks.map((t: any) => t.title)

    expect(titles(await list('priority=high'))).toEqual(['T1', 'T3', 'T5'])
    expect(titles(await list(`assignee=${bob.id}`))).toEqual(['T0', 'T1', 'T2'])
    expect(titles(await list('dueFrom=2026-12-03&dueTo=2026-12-04'))).toEqual(['T2', 'T3'])
    expect(titles(await list('parentId=nothing-has-this-parent'))).toEqual([])

    const first = await list('limit=3')
    expect(titles(first)).toEqual(['T0', 'T1', 'T2'])
    // A task added before the cursor while paging does not shift the next page.
    await json(server, 'POST', `${tasksOf(projectId)}/${ids[6]}/move`, ann.token, {
      columnId: first.body.tasks[0].columnId,
      beforeTaskId: ids[0],
    })
    const secondPage = await list(`limit=3&cursor=${first.body.nextCursor}`)
    expect(titles(secondPage)).toEqual(['T3', 'T4', 'T5'])
    // T6 moved to the front, behind the cursor: this was the last page.
    expect(secondPage.body.nextCursor).toBeNull()
    const since = await list(`updatedSince=${encodeURIComponent(new Date(0).toISOString())}`)
    expect(titles(since)).toHaveLength(7)
    const future = await list(`updatedSince=${encodeURIComponent('2099-01-01T00:00:00Z')}`)
    expect(titles(future)).toEqual([])

    const board = await json(server, 'GET', `/projects/${projectId}/board`, bob.token)
    expect(board.body.tasks.map((t: any) => t.title)).toEqual([
      'T6',
      'T0',
      'T1',
      'T2',
      'T3',
      'T4',
      'T5',
    ])
    expect(board.body.members.map((m: any) => m.name).sort()).toEqual(['ann', 'bob', 'cat'])
    expect(board.body.columns.map((c: any) => c.name)).toEqual(['To do', 'In progress', 'Done'])
  })
})

describe('subtasks through the task API (issue 14)', () => {
  it('creates, lists, re-parents and trashes subtasks; refuses cycles and trashed parents, changing nothing', async () => {
    const { server, projectId, ann } = await collabWorld()
    const b = await client(server, projectId, ann)
    const url = tasksOf(projectId)
    const post = (body: unknown) => json(server, 'POST', url, ann.token, body)
    const patch = (id: string, body: unknown) =>
      json(server, 'PATCH', `${url}/${id}`, ann.token, body)
    const get = async (id: string) => (await json(server, 'GET', `${url}/${id}`, ann.token)).body
    const [todo, , done] = getBoardView(b.doc).columns.map((c) => c.id)

    const parent = (await post({ title: 'Parent', columnId: done })).body.id as string
    const s1 = await post({ title: 'S1', parentId: parent, estimate: 2 })
    expect(s1.status).toBe(201)
    // A subtask without a column starts in the first todo column, not its parent's.
    expect(s1.body).toMatchObject({ parentId: parent, columnId: todo, subtaskProgress: null })
    const s2 = (await post({ title: 'S2', parentId: parent, columnId: done, estimate: 3 })).body
    const g = (await post({ title: 'G', parentId: s2.id })).body.id as string
    expect((await get(parent)).subtaskProgress).toEqual({
      done: 1,
      total: 2,
      points: 5,
      donePoints: 3,
    })
    const list = async (q: string) =>
      (await json(server, 'GET', `${url}?${q}`, ann.token)).body.tasks.map((t: any) => t.title)
    expect(await list(`parentId=${parent}`)).toEqual(['S1', 'S2'])
    expect(await list(`parentId=${s2.id}`)).toEqual(['G'])
    // The app's board shows the same tree.
    await whenDoc(b.doc, () => getTask(b.doc, g)?.depth === 2, 'tree relayed')

    // A cycle, an unknown parent, a trashed parent: refused, and the other fields with them.
    const before = Y.encodeStateVector(b.doc)
    const cycle = await patch(parent, { parentId: g, title: 'renamed' })
    expect([cycle.status, cycle.body.error.code]).toEqual([400, 'validation_failed'])
    expect((await patch(s1.body.id, { parentId: 'nope', title: 'x' })).status).toBe(400)
    const bad = await patch(s1.body.id, { parentId: s2.id, title: '   ' })
    expect(bad.status).toBe(400)
    await server.idle()
    expect(Y.encodeStateVector(b.doc)).toEqual(before)
    expect((await get(s1.body.id)).parentId).toBe(parent)

    // Re-parent with another field at once; then back to top level.
    const moved = await patch(s1.body.id, { parentId: s2.id, priority: 'high' })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ parentId: s2.id, priority: 'high' })
    // Listed in subtask order (S1 went last among S2's subtasks), not board order (where S1,
    // created first in the same column, comes before G); pages keep that order.
    expect(getBoardView(b.doc).columns[0]!.tasks.map((t) => t.title)).toEqual(['S1', 'G'])
    expect(await list(`parentId=${s2.id}`)).toEqual(['G', 'S1'])
    const page1 = (await json(server, 'GET', `${url}?parentId=${s2.id}&limit=1`, ann.token)).body
    expect(page1.tasks.map((t: any) => t.title)).toEqual(['G'])
    const rest = `${url}?parentId=${s2.id}&limit=1&cursor=${page1.nextCursor}`
    const page2 = (await json(server, 'GET', rest, ann.token)).body
    expect([page2.tasks.map((t: any) => t.title), page2.nextCursor]).toEqual([['S1'], null])
    expect((await patch(g, { parentId: null })).body.parentId).toBeNull()
    await whenDoc(b.doc, () => getTask(b.doc, g)?.parentId === null, 're-parent relayed')

    // Trashing a parent trashes its subtree; a trashed task takes no subtasks (409).
    expect((await json(server, 'DELETE', `${url}/${parent}`, ann.token)).status).toBe(204)
    expect((await get(s1.body.id)).deletedAt).not.toBeNull()
    expect((await get(g)).deletedAt).toBeNull()
    const intoTrash = await patch(g, { parentId: parent })
    expect([intoTrash.status, intoTrash.body.error.code]).toEqual([409, 'conflict'])
    expect((await post({ title: 'late', parentId: parent })).status).toBe(409)
  })
})

describe('Idempotency-Key', () => {
  it('replays the first answer for a retry and creates nothing twice', async () => {
    const { server, projectId, ann, bob, clock } = await collabWorld()
    const send = (token: string, key: string, body: unknown) =>
      fetch(`${server.url}/api/v1${tasksOf(projectId)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))
    const count = async () =>
      (await json(server, 'GET', tasksOf(projectId), ann.token)).body.tasks.length

    const first = await send(ann.token, 'key-1', { title: 'Once' })
    expect(first.status).toBe(201)
    const retry = await send(ann.token, 'key-1', { title: 'Once' })
    expect(retry).toEqual(first)
    expect(await count()).toBe(1)

    // Another request under the same key is refused; another user's key is their own.
    const other = await send(ann.token, 'key-1', { title: 'Different' })
    expect(other.status).toBe(422)
    expect(other.body.error.code).toBe('idempotency_key_reused')
    expect((await send(bob.token, 'key-1', { title: 'Once' })).status).toBe(201)
    expect(await count()).toBe(2)

    // A refused request stores nothing: fixed, it may be retried with its key.
    expect((await send(ann.token, 'key-2', { title: '' })).status).toBe(400)
    expect((await send(ann.token, 'key-2', { title: 'Fixed' })).status).toBe(201)
    expect(await count()).toBe(3)

    // After 24 hours the key is forgotten.
    clock.advance(24 * 60 * 60 * 1000 + 1)
    const later = await send(ann.token, 'key-1', { title: 'Once' })
    expect(later.status).toBe(201)
    expect(later.body.id).not.toBe(first.body.id)
    expect(await count()).toBe(4)
    expect((await send(ann.token, ' bad key', { title: 'x' })).status).toBe(400)
  })
})
