import {
  createTask,
  deleteTask,
  getBoardView,
  moveTask,
  restoreTask,
  updateColumn,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { connectProvider, startSyncServer, waitFor, waitSynced } from '../sync/sync-test-utils.js'
// T0 (Monday 2 November 2026, 10:00 UTC) is day 0 of the simulated fortnight.
import { json, signUp, storedUntil, T0 } from '../test/collab.js'
import { queryStored } from '../test/stored.js'

const DAY = 86_400_000

/** A server with an injected clock, two members and a project; one editing client. */
async function setup() {
  let now = T0
  const server = await startSyncServer({
    env: { TASKFLOW_INSECURE_OPEN: '0', TASKFLOW_PROJECTION_DEBOUNCE_MS: '20' },
    deps: { now: () => now },
  })
  const ann = await signUp(server, 'ann')
  const bob = await signUp(server, 'bob')
  const outsider = await signUp(server, 'eve')
  // docs/api.md: `POST /projects` answers `201 Project`; adding an existing account answers
  // `201 { status: "added", member }`.
  const created = await json(server, 'POST', '/projects', ann.token, { name: 'Launch' })
  expect(created.status).toBe(201)
  expect(created.body).toMatchObject({ name: 'Launch', role: 'owner', archivedAt: null })
  const projectId: string = created.body.id
  const invited = await json(server, 'POST', `/projects/${projectId}/members`, ann.token, {
    email: 'bob@example.com',
    role: 'member',
  })
  expect(invited.status).toBe(201)
  expect(invited.body).toMatchObject({
    status: 'added',
    member: { userId: bob.id, email: 'bob@example.com', role: 'member' },
  })
  const annClient = connectProvider(server, projectId, { token: ann.token })
  const bobClient = connectProvider(server, projectId, { token: bob.token })
  await Promise.all([waitSynced(annClient), waitSynced(bobClient)])
  const doc = annClient.doc
  const peer = bobClient.doc
  const cols = () => getBoardView(doc).columns.map((c) => c.id)
  await waitFor(() => cols().length === 3, 'default columns')
  return {
    server,
    projectId,
    ann,
    bob,
    outsider,
    doc,
    peer,
    cols,
    clock: {
      now: () => now,
      set: (t: number) => {
        now = t
      },
    },
  }
}

/** Waits until the other client holds what `doc` holds: the server committed it by then. */
async function relayed(doc: Y.Doc, peer: Y.Doc) {
  const view = (d: Y.Doc) => JSON.stringify(getBoardView(d))
  await waitFor(() => view(peer) === view(doc), 'update relayed')
}

function ok<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** A report that must answer 200: its body. */
async function report(server: { url: string }, path: string, token: string): Promise<any> {
  const r = await json(server, 'GET', path, token)
  expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200)
  return r.body
}

async function poll(
  server: { url: string; idle?: () => Promise<void> },
  path: string,
  token: string,
  until: (body: any) => boolean,
): Promise<any> {
  let last: any
  const deadline = performance.now() + 10_000
  while (performance.now() < deadline) {
    // Everything committed so far is derived first: the answer is as fresh as it gets.
    await server.idle?.()
    const r = await json(server, 'GET', path, token)
    last = r.body
    if (r.status === 200 && until(r.body)) return r.body
    await new Promise((res) => setTimeout(res, 20))
  }
  throw new Error(`report ${path} never matched; last: ${JSON.stringify(last)}`)
}

describe('reports over projected board edits', () => {
  it('computes every report from tasks moved through columns over simulated days', async () => {
    const s = await setup()
    const { doc, peer, clock, server, projectId, ann, bob } = s
    const [todo, doing, done] = s.cols() as [string, string, string]
    const at = (day: number) => T0 + day * DAY
    const edit = async (day: number, fn: (ctx: { now: number; userId: string }) => void) => {
      clock.set(at(day))
      fn({ now: at(day), userId: ann.id })
      await relayed(doc, peer)
    }

    let a = ''
    let b = ''
    let c = ''
    let d = ''
    await edit(0, (ctx) => {
      a = ok(
        createTask(doc, { columnId: todo, title: 'A', estimate: 1, assigneeIds: [ann.id] }, ctx),
      ).id
      b = ok(createTask(doc, { columnId: todo, title: 'B', estimate: 2 }, ctx)).id
      c = ok(
        createTask(
          doc,
          { columnId: todo, title: 'C', estimate: 3, dueDate: '2026-11-05', assigneeIds: [bob.id] },
          ctx,
        ),
      ).id
      d = ok(createTask(doc, { columnId: todo, title: 'D', estimate: 5 }, ctx)).id
    })
    await edit(1, (ctx) => {
      ok(moveTask(doc, a, { columnId: doing }, ctx))
      ok(moveTask(doc, b, { columnId: doing }, ctx))
    })
    await edit(2, (ctx) => ok(moveTask(doc, a, { columnId: done }, ctx)))
    await edit(3, (ctx) => {
      ok(moveTask(doc, b, { columnId: done }, ctx))
      ok(moveTask(doc, c, { columnId: doing }, ctx))
    })
    await edit(4, (ctx) => ok(deleteTask(doc, d, ctx)))
    clock.set(at(5) + 2 * 3_600_000) // Saturday 7 November, 12:00 UTC

    const range = 'from=2026-11-02&to=2026-11-06'

    const cfd = await poll(
      server,
      `/projects/${projectId}/reports/cumulative-flow?${range}`,
      ann.token,
      // The projection is written shortly after the last edit: wait until it shows it.
      (r) => r.days?.[4]?.todo === 0 && r.days?.[4]?.done === 2,
    )
    // Range answers carry the resolved range and the zone (docs/api.md, "Reports").
    const echo = { from: '2026-11-02', to: '2026-11-06', timeZone: 'UTC' }
    expect(cfd).toEqual({
      ...echo,
      days: [
        { date: '2026-11-02', todo: 4, in_progress: 0, done: 0 },
        { date: '2026-11-03', todo: 2, in_progress: 2, done: 0 },
        { date: '2026-11-04', todo: 2, in_progress: 1, done: 1 },
        { date: '2026-11-05', todo: 1, in_progress: 1, done: 2 },
        { date: '2026-11-06', todo: 0, in_progress: 1, done: 2 },
      ],
    })

    const burnup = await report(server, `/projects/${projectId}/reports/burnup?${range}`, bob.token)
    expect(burnup).toEqual({
      ...echo,
      days: [
        [4, 11, 0, 0],
        [4, 11, 0, 0],
        [4, 11, 1, 1],
        [4, 11, 2, 3],
        [3, 6, 2, 3],
      ].map(([scopeCount, scopePoints, completedCount, completedPoints], i) => ({
        date: `2026-11-0${i + 2}`,
        scopeCount,
        scopePoints,
        completedCount,
        completedPoints,
      })),
    })

    const tp = await report(server, `/projects/${projectId}/reports/throughput?${range}`, ann.token)
    expect(tp).toEqual({
      ...echo,
      interval: 'day',
      buckets: [
        { start: '2026-11-02', end: '2026-11-02', completed: 0 },
        { start: '2026-11-03', end: '2026-11-03', completed: 0 },
        { start: '2026-11-04', end: '2026-11-04', completed: 1 },
        { start: '2026-11-05', end: '2026-11-05', completed: 1 },
        { start: '2026-11-06', end: '2026-11-06', completed: 0 },
      ],
    })
    const weekly = await report(
      server,
      `/projects/${projectId}/reports/throughput?interval=week&${range}`,
      ann.token,
    )
    expect(weekly).toEqual({
      ...echo,
      interval: 'week',
      buckets: [{ start: '2026-11-02', end: '2026-11-06', completed: 2 }],
    })
    // A range starting mid-week: the first bucket is clipped to the range and says so.
    const clipped = await report(
      server,
      `/projects/${projectId}/reports/throughput?interval=week&from=2026-10-28&to=2026-11-06`,
      ann.token,
    )
    expect(clipped.buckets).toEqual([
      { start: '2026-10-28', end: '2026-11-01', completed: 0 },
      { start: '2026-11-02', end: '2026-11-06', completed: 2 },
    ])

    const cycle = await report(
      server,
      `/projects/${projectId}/reports/cycle-time?${range}`,
      ann.token,
    )
    const iso = (day: number) => new Date(at(day)).toISOString()
    expect(cycle).toEqual({
      ...echo,
      count: 2,
      medianMs: DAY,
      p85Ms: 2 * DAY,
      medianDays: 1,
      p85Days: 2,
      tasks: [
        { taskId: a, title: 'A', startedAt: iso(1), completedAt: iso(2), cycleTimeMs: DAY },
        { taskId: b, title: 'B', startedAt: iso(1), completedAt: iso(3), cycleTimeMs: 2 * DAY },
      ],
    })

    const summary = await report(server, `/projects/${projectId}/reports/summary`, ann.token)
    expect(summary).toEqual({
      generatedAt: new Date(clock.now()).toISOString(),
      timeZone: 'UTC',
      byColumn: [
        ['To do', todo, 'todo', 0],
        ['In progress', doing, 'in_progress', 1],
        ['Done', done, 'done', 2],
      ].map(([name, columnId, category, count]) => ({
        columnId,
        name,
        category,
        wipLimit: null,
        count,
      })),
      byCategory: { todo: 0, in_progress: 1, done: 2 },
      open: 1,
      overdue: 1,
      dueNext7Days: 0,
      completedLast7Days: 2,
      completedLast30Days: 2,
      unassignedOpen: 0,
    })

    const workload = await report(server, `/projects/${projectId}/reports/workload`, ann.token)
    expect(workload).toEqual({
      timeZone: 'UTC',
      assignees: [{ userId: bob.id, name: 'bob', openTasks: 1, openEstimate: 3, overdue: 1 }],
    })

    const mine = await report(server, '/reports/me', bob.token)
    expect(mine).toEqual({
      timeZone: 'UTC',
      tasks: [
        {
          projectId,
          projectName: 'Launch',
          taskId: c,
          parentId: null,
          title: 'C',
          columnName: 'In progress',
          category: 'in_progress',
          priority: 'none',
          dueDate: '2026-11-05',
          estimate: 3,
          overdue: true,
        },
      ],
    })

    // Restoring D puts it back in scope.
    await edit(5, (ctx) => ok(restoreTask(doc, d, ctx)))
    await poll(
      server,
      `/projects/${projectId}/reports/summary`,
      ann.token,
      (r) => r.byCategory.todo === 1,
    )

    // The projection rebuilt from the stored document and log is the same, row for row.
    const before = projectionRows(s.server.dbFile, projectId)
    await s.server.rebuildProjection(projectId)
    expect(projectionRows(s.server.dbFile, projectId)).toEqual(before)
    expect(before.changes.length).toBeGreaterThanOrEqual(9)
  })

  it('attributes each status change to the user whose update made it, with concurrent edits', async () => {
    const s = await setup()
    const { doc, peer, server, projectId, ann, bob } = s
    const [todo, doing, done] = s.cols() as [string, string, string]
    const t1 = ok(createTask(doc, { columnId: todo, title: 'one' })).id
    const t2 = ok(createTask(doc, { columnId: todo, title: 'two' })).id
    await relayed(doc, peer)
    // Both move different tasks at once; one task is moved by both to different columns.
    ok(moveTask(doc, t1, { columnId: doing }))
    ok(moveTask(peer, t2, { columnId: done }))
    ok(updateTask(peer, t1, { priority: 'high' }))
    await relayed(doc, peer)
    const moved = () =>
      projectionTable(server.dbFile, projectId, 'changes').filter(
        (c: any) => c.from_category !== null,
      )
    await storedUntil(server, () => moved().length >= 2, 'both moves projected')
    const rows = projectionRows(server.dbFile, projectId)
    const moves = rows.changes.filter((c: any) => c.from_category !== null)
    expect(moves.map((c: any) => [c.task_id, c.to_category, c.user_id]).sort()).toEqual(
      [
        [t1, 'in_progress', ann.id],
        [t2, 'done', bob.id],
      ].sort(),
    )
    // One consistent projection: each task once, in the column both clients show.
    const view = getBoardView(doc)
    for (const t of rows.tasks as any[]) {
      const col = view.columns.find((c) => c.tasks.some((x) => x.id === t.task_id))!
      expect(t.column_id).toBe(col.id)
    }
  })

  it('follows column renames into task rows and category changes into status changes', async () => {
    const s = await setup()
    const { doc, peer, server, projectId, bob } = s
    const [, doing] = s.cols() as [string, string, string]
    const t = ok(createTask(doc, { columnId: doing, title: 'one' })).id
    await relayed(doc, peer)
    const row = (): any =>
      projectionTable(server.dbFile, projectId, 'tasks').find((r: any) => r.task_id === t)
    await storedUntil(server, () => row()?.column_name === 'In progress', 'task projected')
    // Bob renames the column, then makes it a done column.
    ok(updateColumn(peer, doing, { name: 'Doing' }, { userId: bob.id }))
    await relayed(peer, doc)
    await storedUntil(server, () => row()?.column_name === 'Doing', 'rename projected')
    ok(updateColumn(peer, doing, { category: 'done' }, { userId: bob.id }))
    await relayed(peer, doc)
    await storedUntil(server, () => row()?.category === 'done', 'category projected')
    const last = projectionTable(server.dbFile, projectId, 'changes')
      .filter((c: any) => c.task_id === t)
      .at(-1)
    expect(last).toMatchObject({
      from_category: 'in_progress',
      to_category: 'done',
      user_id: bob.id,
    })
  })

  it('projects subtasks as tasks with their parent, following a parent trashed and restored on another client (H5)', async () => {
    const s = await setup()
    const { doc, peer, server, projectId, ann, bob } = s
    const [todo] = s.cols() as [string, string, string]
    const parent = ok(createTask(doc, { columnId: todo, title: 'parent' }, { userId: ann.id })).id
    const sub = ok(
      createTask(
        doc,
        { title: 'sub', parentId: parent, assigneeIds: [bob.id] },
        { userId: ann.id },
      ),
    ).id
    const deep = ok(createTask(doc, { title: 'deep', parentId: sub }, { userId: ann.id })).id
    await relayed(doc, peer)
    const rowOf = (id: string): any =>
      projectionTable(server.dbFile, projectId, 'tasks').find((r: any) => r.task_id === id)
    await storedUntil(server, () => rowOf(deep)?.parent_id === sub, 'subtasks projected')
    expect(rowOf(sub).parent_id).toBe(parent)
    expect(rowOf(parent).parent_id).toBeNull()
    // "My tasks" lists a subtask like any task.
    const mine = await report(server, '/reports/me', bob.token)
    expect(mine.tasks.map((t: any) => [t.title, t.parentId])).toEqual([['sub', parent]])
    // Ann trashes the parent while Bob adds a subtask under it: both edits are made before
    // either reaches the other (concurrent).
    {
      const late = ok(createTask(peer, { columnId: todo, title: 'late', parentId: parent })).id
      ok(deleteTask(doc, parent, { userId: ann.id }))
      await relayed(doc, peer)
      // The late subtask is live and at top level (its parent is in the trash); only this
      // task's edit touched the parent, yet the projection follows.
      await storedUntil(server, () => rowOf(parent)?.deleted_at !== null, 'trash projected')
      await storedUntil(
        server,
        () => rowOf(late)?.deleted_at === null && rowOf(late)?.parent_id === null,
        'late at top level',
      )
      expect(rowOf(sub).deleted_at).not.toBeNull()
      ok(restoreTask(peer, parent, { userId: bob.id }))
      await relayed(peer, doc)
      await storedUntil(
        server,
        () => rowOf(late)?.parent_id === parent,
        'late under its parent again',
      )
      expect(rowOf(sub)).toMatchObject({ parent_id: parent, deleted_at: null })
    }
  })

  it('answers 403 to non-members and 400 to bad parameters on every report endpoint', async () => {
    const s = await setup()
    const { server, projectId, outsider, ann } = s
    const paths = [
      'summary',
      'throughput',
      'cumulative-flow',
      'burnup',
      'cycle-time',
      'workload',
    ].map((p) => `/projects/${projectId}/reports/${p}`)
    const answer = async (path: string, token?: string) => {
      const r = await json(server, 'GET', path, token)
      expect(typeof r.body?.error?.message, path).toBe('string')
      return [r.status, r.body.error.code]
    }
    for (const p of paths) {
      expect(await answer(p, outsider.token), p).toEqual([403, 'forbidden'])
      expect(await answer(p), p).toEqual([401, 'unauthenticated'])
      expect(await answer(`${p}?tz=Mars/Olympus`, ann.token), p).toEqual([400, 'validation_failed'])
      expect(await answer(`${p}?bogus=1`, ann.token), p).toEqual([400, 'validation_failed'])
    }
    for (const p of paths.slice(1, 5)) {
      for (const q of [
        'from=2026-11-10&to=2026-11-01',
        'from=2026-13-01',
        'from=2024-01-01&to=2026-01-01',
      ]) {
        expect(await answer(`${p}?${q}`, ann.token), `${p}?${q}`).toEqual([
          400,
          'validation_failed',
        ])
      }
    }
    expect(await answer('/reports/me?tz=nowhere', ann.token)).toEqual([400, 'validation_failed'])
  })
})

const PROJECTION_QUERIES = {
  tasks: 'SELECT * FROM report_tasks WHERE project_id = ? ORDER BY task_id',
  assignees: 'SELECT * FROM report_task_assignees WHERE project_id = ? ORDER BY task_id, user_id',
  columns: 'SELECT * FROM report_columns WHERE project_id = ? ORDER BY position',
  changes:
    'SELECT task_id, from_column_id, from_category, to_column_id, to_category, at, user_id, seq FROM report_status_changes WHERE project_id = ? ORDER BY seq, task_id',
}

/**
 * One projection table's rows of a project. Polls (storedUntil) read one table: on Postgres each
 * read is a child process.
 */
function projectionTable(
  dbFile: string,
  projectId: string,
  table: keyof typeof PROJECTION_QUERIES,
) {
  return queryStored<any>(dbFile, PROJECTION_QUERIES[table], [projectId])
}

/** Every projection table's rows of a project, read now. */
function projectionRows(dbFile: string, projectId: string) {
  return {
    tasks: projectionTable(dbFile, projectId, 'tasks'),
    assignees: projectionTable(dbFile, projectId, 'assignees'),
    columns: projectionTable(dbFile, projectId, 'columns'),
    changes: projectionTable(dbFile, projectId, 'changes'),
  }
}
