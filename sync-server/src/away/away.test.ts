import { addComment, createTask, getBoardView, moveTask, updateTask } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { client, collabWorld, json, ok, poll, relayed, T0 } from '../test/collab.js'

const visit = (projectId: string) => `/projects/${projectId}/visit`
const away = (projectId: string, q = '') => `/projects/${projectId}/away${q}`
const iso = (ms: number) => new Date(ms).toISOString()

/** [task title, change kind(+field), names of who] of a summary, for comparison. */
const lines = (body: any) => {
  const name = new Map(body.users.map((u: any) => [u.id, u.name]))
  return body.tasks.flatMap((t: any) =>
    t.changes.map((c: any) => [
      t.title,
      c.field ? `${c.kind}:${c.field}` : c.kind,
      c.userIds.map((id: string) => name.get(id)),
    ]),
  )
}

describe('last visit and "while you were away"', () => {
  it('stores the server time of a visit, never moving it back, and lists nothing before a first visit', async () => {
    const { server, projectId, ann, bob, clock } = await collabWorld()
    const first = await json(server, 'GET', away(projectId), ann.token)
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      since: null,
      until: iso(clock.now()),
      lastVisitAt: null,
      tasks: [],
      moreTasks: 0,
      users: [],
    })
    clock.advance(60_000)
    const v = await json(server, 'PUT', visit(projectId), ann.token)
    expect(v).toEqual({ status: 200, body: { visitedAt: iso(T0 + 60_000) } })
    // The server's clock stepped back (NTP): the stored visit stays.
    clock.set(T0 + 30_000)
    expect((await json(server, 'PUT', visit(projectId), ann.token)).body.visitedAt).toBe(
      iso(T0 + 60_000),
    )
    clock.set(T0 + 120_000)
    const later = await json(server, 'GET', away(projectId), ann.token)
    expect(later.body).toMatchObject({ since: iso(T0 + 60_000), lastVisitAt: iso(T0 + 60_000) })
    // Visits are per user: Bob has none.
    expect((await json(server, 'GET', away(projectId), bob.token)).body.lastVisitAt).toBeNull()
  })

  it("summarises per task and field only others' changes since my last visit, with who made them", async () => {
    const { server, projectId, ann, bob, cat, clock } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const c = await client(server, projectId, cat)
    const [todo, doing] = getBoardView(a.doc).columns.map((col) => col.id) as [string, string]
    const copy = ok(createTask(a.doc, { columnId: todo, title: 'Copy' }, { userId: ann.id })).id
    const other = ok(createTask(a.doc, { columnId: todo, title: 'Other' }, { userId: ann.id })).id
    await relayed(a.doc, b.doc, c.doc)
    // Changes before the visit are not news.
    clock.advance(120_000)
    ok(updateTask(b.doc, other, { priority: 'high' }))
    await relayed(a.doc, b.doc, c.doc)
    clock.advance(120_000)
    await json(server, 'PUT', visit(projectId), ann.token)
    const visitedAt = clock.now()

    clock.advance(120_000)
    ok(moveTask(b.doc, copy, { columnId: doing }))
    await relayed(a.doc, b.doc, c.doc)
    clock.advance(120_000)
    ok(updateTask(b.doc, copy, { title: 'Write copy' }))
    await relayed(a.doc, b.doc, c.doc)
    clock.advance(120_000)
    for (const text of ['One', 'Two', 'Three']) {
      ok(addComment(c.doc, copy, { body: text }, { userId: cat.id }))
    }
    await relayed(a.doc, b.doc, c.doc)
    // Ann's own edits are not news to her.
    clock.advance(120_000)
    ok(updateTask(a.doc, other, { title: 'Mine' }))
    ok(updateTask(a.doc, copy, { estimate: 5 }))
    await relayed(a.doc, b.doc, c.doc)

    const body = await poll(server, away(projectId), ann.token, (r) =>
      r.tasks.some((t: any) =>
        t.changes.some((ch: any) => ch.kind === 'comments' && ch.count === 3),
      ),
    )
    // Ann's last edits are derived too before the answer is compared.
    await poll(server, `/projects/${projectId}/activity?userId=${ann.id}`, ann.token, (r) =>
      r.entries.some((e: any) => e.subject === 'estimate'),
    )
    const again = (await json(server, 'GET', away(projectId), ann.token)).body
    expect(again).toEqual(body)
    expect(body.since).toBe(iso(visitedAt))
    expect(lines(body)).toEqual([
      ['Write copy', 'moved', ['bob']],
      ['Write copy', 'field:title', ['bob']],
      ['Write copy', 'comments', ['cat']],
    ])
    expect(body.tasks[0]).toMatchObject({ taskId: copy, userIds: [bob.id, cat.id] })
    expect(body.tasks[0].changes[0]).toMatchObject({
      fromColumnName: 'To do',
      toColumnName: 'In progress',
    })
    expect(body.tasks[0].changes[1]).toMatchObject({ from: 'Copy', to: 'Write copy' })
    expect(body.users).toEqual([
      { id: bob.id, name: 'bob' },
      { id: cat.id, name: 'cat' },
    ])
    // Bob never visited; from an explicit time he sees Ann's and Cat's changes, not his own.
    const bobs = await json(server, 'GET', away(projectId, `?since=${iso(visitedAt)}`), bob.token)
    // Both tasks last changed at one instant: their order is the task ids'.
    expect(lines(bobs.body).sort()).toEqual([
      ['Mine', 'field:title', ['ann']],
      ['Write copy', 'comments', ['cat']],
      ['Write copy', 'field:estimate', ['ann']],
    ])
    // A window that ends before the comments leaves them out.
    const early = await json(
      server,
      'GET',
      away(projectId, `?since=${iso(visitedAt)}&until=${iso(visitedAt + 300_000)}`),
      ann.token,
    )
    expect(lines(early.body)).toEqual([
      ['Write copy', 'moved', ['bob']],
      ['Write copy', 'field:title', ['bob']],
    ])
    // Dismissing marks the board visited now: nothing is news any more.
    clock.advance(1_000)
    await json(server, 'PUT', visit(projectId), ann.token)
    expect((await json(server, 'GET', away(projectId), ann.token)).body.tasks).toEqual([])
  })

  it('includes offline edits merged after my visit, attributed to their authors', async () => {
    const { server, projectId, ann, bob, clock } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const [todo, , done] = getBoardView(a.doc).columns.map((col) => col.id) as [
      string,
      string,
      string,
    ]
    const id = ok(createTask(a.doc, { columnId: todo, title: 'Spec' }, { userId: ann.id })).id
    await relayed(a.doc, b.doc)

    // Bob edits offline before Ann's visit; his edits reach the server after it.
    b.disconnect()
    clock.advance(60_000)
    ok(moveTask(b.doc, id, { columnId: done }, { userId: bob.id, now: clock.now() }))
    ok(updateTask(b.doc, id, { title: 'Spec v2' }))
    clock.advance(60_000)
    await json(server, 'PUT', visit(projectId), ann.token)
    clock.advance(60_000)
    b.connect()
    await relayed(a.doc, b.doc)
    expect(getBoardView(a.doc).columns[2]!.tasks.map((t) => t.title)).toEqual(['Spec v2'])

    const body = await poll(server, away(projectId), ann.token, (r) => r.tasks.length > 0)
    expect(lines(body)).toEqual([
      ['Spec v2', 'moved', ['bob']],
      ['Spec v2', 'field:title', ['bob']],
    ])
    expect(body.tasks[0].changes[0].at).toBe(iso(clock.now()))
  })

  it('answers 401 without a session, 403 to non-members, 404 for unknown projects and 400 to bad windows', async () => {
    const { server, projectId, ann, eve, clock } = await collabWorld()
    for (const [method, path] of [
      ['PUT', visit(projectId)],
      ['GET', away(projectId)],
    ] as const) {
      expect((await json(server, method, path)).status).toBe(401)
      const forbidden = await json(server, method, path, eve.token)
      expect(forbidden.status).toBe(403)
      expect(forbidden.body.error.code).toBe('forbidden')
      const unknown = path.replace(projectId, '00000000-0000-4000-8000-000000000000')
      expect((await json(server, method, unknown, ann.token)).status).toBe(404)
    }
    for (const q of [
      '?since=yesterday',
      '?bogus=1',
      `?since=${iso(clock.now())}&until=${iso(clock.now() - 1)}`,
    ]) {
      const r = await json(server, 'GET', away(projectId, q), ann.token)
      expect(r.status, q).toBe(400)
      expect(r.body.error.code).toBe('validation_failed')
    }
    // A refused call stored no visit.
    expect((await json(server, 'GET', away(projectId), ann.token)).body.lastVisitAt).toBeNull()
  })
})
