import { addRelation, createTask, getBoardView, getRelations, isBlocked } from '@taskflow/board'
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { client, collabWorld, json, ok, relayed } from '../test/collab.js'

const rel = (projectId: string, taskId: string) =>
  `/projects/${projectId}/tasks/${taskId}/relations`

/** Rows of the projected relations table, as reports would read them. */
function projected(dbFile: string, projectId: string): unknown[] {
  const db = new SQLite(dbFile, { readonly: true })
  try {
    return db
      .prepare(
        'SELECT from_task_id, type, to_task_id, created_by FROM task_relations WHERE project_id = ? ORDER BY from_task_id, type, to_task_id',
      )
      .all(projectId)
  } finally {
    db.close()
  }
}

async function until<T>(read: () => T, ok: (v: T) => boolean, label: string): Promise<T> {
  const deadline = performance.now() + 10_000
  for (;;) {
    const v = read()
    if (ok(v)) return v
    if (performance.now() > deadline) throw new Error(`timed out: ${label}: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function twoTasks(server: Parameters<typeof json>[0], projectId: string, token: string) {
  const a = await json(server, 'POST', `/projects/${projectId}/tasks`, token, { title: 'Design' })
  const b = await json(server, 'POST', `/projects/${projectId}/tasks`, token, { title: 'Build' })
  expect([a.status, b.status]).toEqual([201, 201])
  return { a: a.body.id as string, b: b.body.id as string }
}

describe('relations API on the live board', () => {
  it('a relation added through the API reaches an open board, is listed from both tasks, is projected to SQL, and its removal too', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const { a, b } = await twoTasks(server, projectId, ann.token)
    const board = await client(server, projectId, bob)

    const added = await json(server, 'POST', rel(projectId, b), ann.token, {
      kind: 'blocked_by',
      taskId: a,
    })
    expect(added.status).toBe(201)
    expect(added.body).toEqual({
      kind: 'blocked_by',
      taskId: a,
      title: 'Design',
      columnId: expect.any(String),
      status: 'todo',
      done: false,
      trashed: false,
    })
    // Bob's board (a real WebsocketProvider) sees B blocked by A.
    await until(() => isBlocked(board.doc, b), Boolean, 'B blocked on Bob’s board')
    expect(getRelations(board.doc, a).blocks.map((t) => t.taskId)).toEqual([b])

    const fromA = await json(server, 'GET', rel(projectId, a), bob.token)
    expect(fromA.body).toEqual({
      relations: [expect.objectContaining({ kind: 'blocks', taskId: b, title: 'Build' })],
      blocked: false,
    })
    const fromB = await json(server, 'GET', rel(projectId, b), bob.token)
    expect(fromB.body.blocked).toBe(true)

    // Adding it again, from either side, changes nothing.
    const again = await json(server, 'POST', rel(projectId, a), ann.token, {
      kind: 'blocks',
      taskId: b,
    })
    expect(again.status).toBe(200)

    await until(
      () => projected(server.dbFile, projectId),
      (rows) => rows.length === 1,
      'projected relation',
    )
    expect(projected(server.dbFile, projectId)).toEqual([
      { from_task_id: a, type: 'blocks', to_task_id: b, created_by: ann.id },
    ])

    // A done blocker no longer blocks.
    const done = getBoardView(board.doc).columns.at(-1)!.id
    const moved = await json(server, 'POST', `/projects/${projectId}/tasks/${a}/move`, ann.token, {
      columnId: done,
    })
    expect(moved.status).toBe(200)
    const afterDone = await json(server, 'GET', rel(projectId, b), bob.token)
    expect(afterDone.body).toMatchObject({ blocked: false, relations: [{ done: true }] })

    const removed = await json(
      server,
      'DELETE',
      `${rel(projectId, a)}?kind=blocks&taskId=${b}`,
      ann.token,
    )
    expect(removed.status).toBe(204)
    await until(
      () => getRelations(board.doc, b).blocked_by.length,
      (n) => n === 0,
      'removed',
    )
    await until(
      () => projected(server.dbFile, projectId),
      (rows) => rows.length === 0,
      'projection emptied',
    )
    board.destroy()
  })

  it('refuses a relation to itself, to an unknown or trashed task, and a cycle of blockers, changing nothing', async () => {
    const { server, projectId, ann } = await collabWorld()
    const { a, b } = await twoTasks(server, projectId, ann.token)
    const post = (taskId: string, body: unknown) =>
      json(server, 'POST', rel(projectId, taskId), ann.token, body)

    const self = await post(a, { kind: 'blocks', taskId: a })
    expect([self.status, self.body.error.code]).toEqual([400, 'validation_failed'])
    expect(self.body.error.message).toMatch(/itself/)
    const unknownOther = await post(a, { kind: 'relates_to', taskId: 'nope' })
    expect([unknownOther.status, unknownOther.body.error.code]).toEqual([400, 'validation_failed'])
    const unknownPath = await post('nope', { kind: 'relates_to', taskId: a })
    expect([unknownPath.status, unknownPath.body.error.code]).toEqual([404, 'not_found'])
    expect((await json(server, 'GET', rel(projectId, 'nope'), ann.token)).status).toBe(404)

    expect((await post(a, { kind: 'blocks', taskId: b })).status).toBe(201)
    const cycle = await post(a, { kind: 'blocked_by', taskId: b })
    expect([cycle.status, cycle.body.error.code]).toEqual([409, 'conflict'])

    const bin = await json(server, 'DELETE', `/projects/${projectId}/tasks/${b}`, ann.token)
    expect(bin.status).toBe(204)
    const trashed = await post(a, { kind: 'relates_to', taskId: b })
    expect([trashed.status, trashed.body.error.code]).toEqual([409, 'conflict'])

    // The one relation made is still the only one, and shows B in the trash.
    const list = await json(server, 'GET', rel(projectId, a), ann.token)
    expect(list.body.relations).toEqual([
      expect.objectContaining({ kind: 'blocks', taskId: b, trashed: true }),
    ])
  })

  it('a Task answer names its open blockers in blockedBy, in every read, until they are done or trashed', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const { a, b } = await twoTasks(server, projectId, ann.token)
    const c = await json(server, 'POST', `/projects/${projectId}/tasks`, ann.token, {
      title: 'Ship',
    })
    const blockers = async (taskId: string) => {
      const one = await json(server, 'GET', `/projects/${projectId}/tasks/${taskId}`, bob.token)
      const page = await json(server, 'GET', `/projects/${projectId}/tasks`, bob.token)
      const board = await json(server, 'GET', `/projects/${projectId}/board`, bob.token)
      const inList = (tasks: { id: string; blockedBy: string[] }[]) =>
        tasks.find((t) => t.id === taskId)?.blockedBy
      // The task itself, the task list and the board answer say the same.
      expect(inList(page.body.tasks)).toEqual(one.body.blockedBy)
      expect(inList(board.body.tasks)).toEqual(one.body.blockedBy)
      return one.body.blockedBy as string[]
    }
    expect(await blockers(b)).toEqual([])

    // One blocker added through the API, one on an open board (a real client).
    const added = await json(server, 'POST', rel(projectId, b), ann.token, {
      kind: 'blocked_by',
      taskId: c.body.id,
    })
    expect(added.status).toBe(201)
    const board = await client(server, projectId, bob)
    const annBoard = await client(server, projectId, ann)
    ok(addRelation(board.doc, a, 'blocks', b, { userId: bob.id }))
    // Relayed to Ann's board: the server committed it, so its reads show it.
    await relayed(board.doc, annBoard.doc)
    expect(await blockers(b)).toEqual([a, c.body.id].sort())
    // Blocking is one way: the blockers are not blocked.
    expect(await blockers(a)).toEqual([])

    // A done blocker and a trashed blocker no longer block.
    const done = getBoardView(board.doc).columns.at(-1)!.id
    const moved = await json(server, 'POST', `/projects/${projectId}/tasks/${a}/move`, ann.token, {
      columnId: done,
    })
    expect(moved.status).toBe(200)
    expect(await blockers(b)).toEqual([c.body.id])
    const bin = await json(server, 'DELETE', `/projects/${projectId}/tasks/${c.body.id}`, ann.token)
    expect(bin.status).toBe(204)
    expect(await blockers(b)).toEqual([])
    board.destroy()
    annBoard.destroy()
  })

  it('a relation made on an open board reaches the API and the projection', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const ada = await client(server, projectId, ann)
    const todo = getBoardView(ada.doc).columns[0]!.id
    const a = ok(createTask(ada.doc, { columnId: todo, title: 'A' }, { userId: ann.id })).id
    const b = ok(createTask(ada.doc, { columnId: todo, title: 'B' }, { userId: ann.id })).id
    const bobBoard = await client(server, projectId, bob)
    await relayed(ada.doc, bobBoard.doc)
    ok(addRelation(bobBoard.doc, a, 'relates_to', b, { userId: bob.id }))
    await relayed(bobBoard.doc, ada.doc)
    const list = await json(server, 'GET', rel(projectId, b), ann.token)
    expect(list.body.relations).toEqual([
      expect.objectContaining({ kind: 'relates_to', taskId: a }),
    ])
    const [lo, hi] = [a, b].sort()
    await until(
      () => projected(server.dbFile, projectId),
      (rows) => rows.length === 1,
      'projected',
    )
    expect(projected(server.dbFile, projectId)).toEqual([
      { from_task_id: lo, type: 'relates', to_task_id: hi, created_by: bob.id },
    ])
    // A rebuild from the stored document writes the same rows (here: after they were lost).
    const db = new SQLite(server.dbFile)
    db.prepare('DELETE FROM task_relations WHERE project_id = ?').run(projectId)
    db.close()
    await server.rebuildProjection(projectId)
    expect(projected(server.dbFile, projectId)).toEqual([
      { from_task_id: lo, type: 'relates', to_task_id: hi, created_by: bob.id },
    ])
    ada.destroy()
    bobBoard.destroy()
  })
})
