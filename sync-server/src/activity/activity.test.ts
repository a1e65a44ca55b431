import {
  addChecklistItem,
  addComment,
  createColumn,
  createLabel,
  createTask,
  deleteTask,
  editTaskText,
  getBoardView,
  getReplacedMoves,
  getTask,
  moveTask,
  restoreTask,
  updateChecklistItem,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  client,
  collabWorld,
  json,
  NO_COMPACTION,
  ok,
  poll,
  relayed,
  startCollabServer,
  T0,
} from '../test/collab.js'
import { writeStored } from '../test/stored.js'

const activityOf = (projectId: string, query = '') => `/projects/${projectId}/activity${query}`

/** [kind, subject, userName, data-ish] of each entry, oldest first. */
const summary = (body: any) =>
  [...body.entries].reverse().map((e: any) => [e.kind, e.subject, e.userName])

describe('activity log derived from persisted updates', () => {
  it('records every kind of change with the user who made it and the server time', async () => {
    const w = await collabWorld()
    const { server, projectId, ann, bob, clock } = w
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const [todo, doing] = getBoardView(a.doc).columns.map((c) => c.id) as [string, string]
    const step = async (fn: () => void) => {
      clock.advance(120_000) // two minutes apart: nothing groups
      fn()
      await relayed(a.doc, b.doc)
    }

    let id = ''
    let label = ''
    let item = ''
    await step(() => {
      label = ok(createLabel(a.doc, { name: 'bug', color: '#ff0000' })).id
      id = ok(createTask(a.doc, { columnId: todo, title: 'Write spec' }, { userId: ann.id })).id
    })
    const createdAt = clock.now()
    await step(() => ok(moveTask(b.doc, id, { columnId: doing })))
    await step(() => ok(updateTask(a.doc, id, { title: 'Write the spec' })))
    await step(() => ok(updateTask(a.doc, id, { description: 'All of it' })))
    await step(() => ok(updateTask(b.doc, id, { assigneeIds: [bob.id] })))
    await step(() => ok(updateTask(a.doc, id, { labelIds: [label] })))
    await step(() => ok(updateTask(a.doc, id, { priority: 'high' })))
    await step(() => ok(updateTask(a.doc, id, { startDate: '2026-11-03', dueDate: '2026-11-09' })))
    await step(() => ok(updateTask(b.doc, id, { estimate: 3 })))
    await step(() => {
      item = ok(addChecklistItem(b.doc, id, { text: 'outline' })).id
    })
    await step(() => ok(updateChecklistItem(b.doc, id, item, { done: true })))
    await step(() => ok(updateChecklistItem(a.doc, id, item, { done: false })))
    await step(() => ok(addComment(b.doc, id, { body: 'On it' }, { userId: bob.id })))
    await step(() => ok(deleteTask(a.doc, id)))
    await step(() => ok(restoreTask(b.doc, id)))

    const body = await poll(server, activityOf(projectId), bob.token, (r) => r.entries.length >= 15)
    expect(summary(body)).toEqual([
      ['task_created', null, 'ann'],
      ['task_moved', null, 'bob'],
      ['field_changed', 'title', 'ann'],
      ['field_changed', 'description', 'ann'],
      ['field_changed', 'assignees', 'bob'],
      ['field_changed', 'labels', 'ann'],
      ['field_changed', 'priority', 'ann'],
      ['field_changed', 'startDate', 'ann'],
      ['field_changed', 'dueDate', 'ann'],
      ['field_changed', 'estimate', 'bob'],
      ['checklist_item_done', item, 'bob'],
      ['checklist_item_undone', item, 'ann'],
      ['comment_added', expect.any(String), 'bob'],
      ['task_deleted', null, 'ann'],
      ['task_restored', null, 'bob'],
    ])
    const byKind = (k: string, s: string | null = null) =>
      body.entries.find((e: any) => e.kind === k && e.subject === s)
    expect(byKind('task_created')).toMatchObject({
      taskId: id,
      userId: ann.id,
      at: new Date(createdAt).toISOString(),
      data: { taskTitle: 'Write spec', columnName: 'To do' },
    })
    expect(byKind('task_moved').data).toMatchObject({
      fromColumnId: todo,
      fromColumnName: 'To do',
      toColumnId: doing,
      toColumnName: 'In progress',
    })
    expect(byKind('field_changed', 'title').data).toMatchObject({
      from: 'Write spec',
      to: 'Write the spec',
    })
    expect(byKind('field_changed', 'assignees').data).toMatchObject({
      added: [bob.id],
      removed: [],
    })
    // The label's name is in the entry, so it reads "added label bug" whatever happens to it.
    expect(byKind('field_changed', 'labels').data).toMatchObject({
      added: [label],
      names: { [label]: 'bug' },
    })
    expect(byKind('field_changed', 'priority').data).toMatchObject({ from: 'none', to: 'high' })
    expect(byKind('field_changed', 'dueDate').data).toMatchObject({ from: null, to: '2026-11-09' })
    expect(byKind('field_changed', 'estimate').data).toMatchObject({ from: null, to: 3 })
    expect(byKind('checklist_item_done', item).data).toMatchObject({ text: 'outline' })
    expect(
      byKind('comment_added', body.entries.find((e: any) => e.kind === 'comment_added').subject)
        .data,
    ).toMatchObject({ excerpt: 'On it' })

    // Filters and cursor pagination.
    const bobs = await json(server, 'GET', activityOf(projectId, `?userId=${bob.id}`), ann.token)
    expect(bobs.body.entries.every((e: any) => e.userId === bob.id)).toBe(true)
    expect(bobs.body.entries).toHaveLength(6)
    const other = ok(createTask(a.doc, { columnId: todo, title: 'Other' }, { userId: ann.id })).id
    await relayed(a.doc, b.doc)
    await poll(
      server,
      activityOf(projectId, `?taskId=${other}`),
      ann.token,
      (r) => r.entries.length === 1,
    )
    const onlyFirst = await json(server, 'GET', activityOf(projectId, `?taskId=${id}`), ann.token)
    expect(onlyFirst.body.entries).toHaveLength(15)
    const pages: any[] = []
    let before = ''
    for (;;) {
      const r = await json(server, 'GET', activityOf(projectId, `?limit=4${before}`), bob.token)
      expect(r.status).toBe(200)
      pages.push(...r.body.entries)
      if (!r.body.nextBefore) break
      before = `&before=${r.body.nextBefore}`
    }
    expect(pages.map((e) => e.id)).toEqual(
      [...new Set(pages.map((e) => e.id))].sort((x, y) => y - x),
    )
    expect(pages).toHaveLength(16)
  })

  it('an older offline move loses to a later online one on reconnect (B10), and the activity says whose move was replaced and what each mover saw', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const a = await client(server, projectId, ann)
    // Bob's Yjs client id above Ann's: Yjs alone would let his concurrent write win.
    const bobDoc = new Y.Doc()
    bobDoc.clientID = a.doc.clientID + 1
    const b = await client(server, projectId, bob, bobDoc)
    const review = ok(createColumn(a.doc, { name: 'Review', category: 'in_progress' })).id
    const [todo, , done] = getBoardView(a.doc).columns.map((c) => c.id) as [string, string, string]
    const id = ok(
      createTask(a.doc, { columnId: todo, title: 'Spec' }, { userId: ann.id, now: T0 }),
    ).id
    await relayed(a.doc, b.doc)

    b.disconnect()
    ok(moveTask(b.doc, id, { columnId: review }, { userId: bob.id, now: T0 + 60_000 }))
    ok(moveTask(a.doc, id, { columnId: done }, { userId: ann.id, now: T0 + 120_000 }))
    await poll(server, activityOf(projectId), ann.token, (r) =>
      r.entries.some((e: any) => e.kind === 'task_moved'),
    )
    b.connect()
    await relayed(a.doc, b.doc)
    expect(getTask(a.doc, id)!.columnId).toBe(done)
    expect(getTask(b.doc, id)!.columnId).toBe(done)
    expect(getReplacedMoves(b.doc, id).map((r) => [r.move.by, r.replacedBy.by])).toEqual([
      [bob.id, ann.id],
    ])

    const body = await poll(server, activityOf(projectId), ann.token, (r) =>
      r.entries.some((e: any) => e.kind === 'move_replaced'),
    )
    expect(summary(body).slice(-2)).toEqual([
      ['task_moved', null, 'ann'],
      ['move_replaced', expect.any(String), 'bob'],
    ])
    const [replaced, moved] = body.entries
    expect(moved.data).toMatchObject({ fromColumnName: 'To do', toColumnName: 'Done' })
    expect(replaced.data).toMatchObject({
      taskTitle: 'Spec',
      moverId: bob.id,
      fromColumnName: 'To do',
      toColumnName: 'Review',
      replacedById: ann.id,
      replacedByColumnName: 'Done',
    })
  })

  it('groups rapid edits of one field by one user into one entry', async () => {
    const { server, projectId, ann, bob, clock } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(createTask(a.doc, { columnId: todo, title: 'Draft' }, { userId: ann.id })).id
    await relayed(a.doc, b.doc)
    // Typing " plan" one key at a time, 5 s apart: one entry.
    for (const ch of ' plan') {
      clock.advance(5_000)
      ok(
        editTaskText(a.doc, id, 'title', {
          index: getBoardView(a.doc).columns[0]!.tasks[0]!.title.length,
          insert: ch,
        }),
      )
      await relayed(a.doc, b.doc)
    }
    // Another user's edit is its own entry; then Ann again, within the window, is new too
    // (not consecutive); then Ann after a pause of more than 60 s, also new.
    clock.advance(1_000)
    ok(updateTask(b.doc, id, { title: 'Draft plan!' }))
    await relayed(a.doc, b.doc)
    clock.advance(1_000)
    ok(updateTask(a.doc, id, { title: 'Draft plan!!' }))
    await relayed(a.doc, b.doc)
    clock.advance(61_000)
    ok(updateTask(a.doc, id, { title: 'Final plan' }))
    await relayed(a.doc, b.doc)
    const body = await poll(
      server,
      activityOf(projectId, `?taskId=${id}`),
      ann.token,
      (r) => r.entries.length >= 5 && r.entries[0].data.to === 'Final plan',
    )
    const titles = [...body.entries]
      .reverse()
      .filter((e: any) => e.kind === 'field_changed')
      .map((e: any) => [e.userName, e.data.from, e.data.to])
    expect(titles).toEqual([
      ['ann', 'Draft', 'Draft plan'],
      ['bob', 'Draft plan', 'Draft plan!'],
      ['ann', 'Draft plan!', 'Draft plan!!'],
      ['ann', 'Draft plan!!', 'Final plan'],
    ])
    const grouped = body.entries.at(-2)
    expect(Date.parse(grouped.lastAt) - Date.parse(grouped.at)).toBe(20_000)
  })

  it('names every label of a grouped entry, as it was called when it was added', async () => {
    const { server, projectId, ann, bob, clock } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(createTask(a.doc, { columnId: todo, title: 'Fix' }, { userId: ann.id })).id
    const bug = ok(createLabel(a.doc, { name: 'Bug', color: '#ff0000' })).id
    const ui = ok(createLabel(a.doc, { name: 'UI', color: '#00ff00' })).id
    await relayed(a.doc, b.doc)
    clock.advance(5_000)
    ok(updateTask(a.doc, id, { labelIds: [bug] }))
    await relayed(a.doc, b.doc)
    clock.advance(5_000)
    ok(updateTask(a.doc, id, { labelIds: [bug, ui] }))
    await relayed(a.doc, b.doc)
    const body = await poll(
      server,
      activityOf(projectId, `?taskId=${id}`),
      ann.token,
      (r) => r.entries[0]?.subject === 'labels' && r.entries[0].data.added.length === 2,
    )
    expect(body.entries[0].data).toMatchObject({
      added: [bug, ui].sort(),
      removed: [],
      names: { [bug]: 'Bug', [ui]: 'UI' },
    })
  })

  it('never duplicates entries when clients resend after a restart, and replays what a crash lost', async () => {
    // Compaction fails: the whole log survives the restart, as after a kill -9.
    const { server, projectId, ann, bob, clock } = await collabWorld({ deps: NO_COMPACTION })
    let a = await client(server, projectId, ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(createTask(a.doc, { columnId: todo, title: 'Keep' }, { userId: ann.id })).id
    ok(updateTask(a.doc, id, { priority: 'low' }))
    await poll(server, activityOf(projectId), ann.token, (r) => r.entries.length === 2)
    const before = (await json(server, 'GET', activityOf(projectId), ann.token)).body.entries

    // Restart on the same data; the old client doc reconnects and resends everything it has.
    const doc = a.doc
    a.destroy()
    await server.close()
    // Simulate a crash before the debounced write: derived position and entries lost.
    writeStored(server.dbFile, 'DELETE FROM activity WHERE project_id = ?', [projectId])
    writeStored(
      server.dbFile,
      "UPDATE derivation_cursors SET seq = 0 WHERE consumer = 'activity' AND doc_name = ?",
      [projectId],
    )
    const again = await startCollabServer(clock, { dir: server.dir, deps: NO_COMPACTION })
    a = await client(again, projectId, ann, doc)
    const b = await client(again, projectId, bob)
    await relayed(a.doc, b.doc)
    const after = await poll(again, activityOf(projectId), ann.token, (r) => r.entries.length >= 2)
    await again.idle()
    const final = (await json(again, 'GET', activityOf(projectId), ann.token)).body.entries
    expect(final.map((e: any) => [e.kind, e.subject, e.userId, e.at, e.data])).toEqual(
      before.map((e: any) => [e.kind, e.subject, e.userId, e.at, e.data]),
    )
    expect(after.entries).toHaveLength(2)
  })

  it('answers 403 to non-members, 401 without a session and 400 to bad queries', async () => {
    const { server, projectId, ann, eve } = await collabWorld()
    expect((await json(server, 'GET', activityOf(projectId), eve.token)).status).toBe(403)
    expect((await json(server, 'GET', activityOf(projectId))).status).toBe(401)
    for (const q of ['?limit=0', '?limit=101', '?before=abc', '?userId=nope', '?bogus=1']) {
      const r = await json(server, 'GET', activityOf(projectId, q), ann.token)
      expect(r.status, q).toBe(400)
      expect(r.body.error.code).toBe('validation_failed')
    }
  })
})
