import { describe, expect, it } from 'vitest'
import { type AwayEntry, summarizeAway, summarizeLatest } from './away-summary.js'

let at = Date.UTC(2026, 11, 1)
const e = (
  task: string,
  kind: string,
  user: string | null,
  data: Record<string, unknown> = {},
  subject = '',
): AwayEntry => {
  at += 1000
  return { task_id: task, kind, subject, user_id: user, last_at: at, data }
}
const moved = (task: string, user: string, from: string, to: string) =>
  e(task, 'task_moved', user, {
    taskTitle: 'Write copy',
    fromColumnId: from,
    fromColumnName: from.toUpperCase(),
    toColumnId: to,
    toColumnName: to.toUpperCase(),
  })
const field = (task: string, user: string, data: Record<string, unknown>) =>
  e(task, 'field_changed', user, { taskTitle: 'Write copy', ...data }, String(data.field))

describe('summarizeAway', () => {
  it('folds each part of a task into one net change with everyone who made it', () => {
    const out = summarizeAway([
      moved('t1', 'ada', 'todo', 'doing'),
      moved('t1', 'bob', 'doing', 'review'),
      field('t1', 'bob', { field: 'title', from: 'Copy', to: 'Write copy', taskTitle: 'x' }),
      field('t1', 'bob', { field: 'title', from: 'Write copy', to: 'Write the copy' }),
      e('t1', 'comment_added', 'ada', { taskTitle: 'Write the copy', commentId: 'c1' }, 'c1'),
      e('t1', 'comment_added', 'bob', { taskTitle: 'Write the copy', commentId: 'c2' }, 'c2'),
      e('t1', 'comment_added', 'ada', { taskTitle: 'Write the copy', commentId: 'c3' }, 'c3'),
    ])
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ taskId: 't1', title: 'Write the copy', userIds: ['ada', 'bob'] })
    expect(out[0]!.changes).toEqual([
      expect.objectContaining({
        kind: 'moved',
        userIds: ['ada', 'bob'],
        fromColumnId: 'todo',
        fromColumnName: 'TODO',
        toColumnId: 'review',
        toColumnName: 'REVIEW',
      }),
      expect.objectContaining({
        kind: 'field',
        field: 'title',
        userIds: ['bob'],
        from: 'Copy',
        to: 'Write the copy',
      }),
      expect.objectContaining({ kind: 'comments', count: 3, userIds: ['ada', 'bob'] }),
    ])
  })

  it('leaves out changes undone within the window, and tasks left with none', () => {
    const out = summarizeAway([
      moved('t1', 'ada', 'todo', 'doing'),
      moved('t1', 'ada', 'doing', 'todo'),
      field('t1', 'bob', { field: 'priority', from: 'none', to: 'high' }),
      field('t1', 'bob', { field: 'priority', from: 'high', to: 'none' }),
      field('t1', 'bob', { field: 'labels', added: ['l1'], removed: [], names: { l1: 'Bug' } }),
      field('t1', 'bob', { field: 'labels', added: [], removed: ['l1'], names: { l1: 'Bug' } }),
      e('t1', 'checklist_item_done', 'ada', { itemId: 'i1' }, 'i1'),
      e('t1', 'checklist_item_undone', 'bob', { itemId: 'i1' }, 'i1'),
      e('t1', 'task_deleted', 'bob'),
      e('t1', 'task_restored', 'ada'),
      // A replaced move (B10) changed nothing; the move that stands has its own entry.
      e('t2', 'move_replaced', 'bob', { moveId: 'm' }, 'm'),
    ])
    expect(out).toEqual([])
  })

  it('nets set fields, counts checklist items by their final state, and tells trash state', () => {
    const out = summarizeAway([
      field('t1', 'ada', { field: 'assignees', added: ['u1', 'u2'], removed: ['u3'] }),
      field('t1', 'bob', { field: 'assignees', added: [], removed: ['u2'] }),
      field('t1', 'bob', {
        field: 'labels',
        added: ['l1', 'l2'],
        removed: [],
        names: { l1: 'Bug', l2: 'UI' },
      }),
      field('t1', 'bob', { field: 'labels', added: [], removed: ['l2'], names: { l2: 'UI' } }),
      e('t1', 'checklist_item_done', 'ada', { itemId: 'i1' }, 'i1'),
      e('t1', 'checklist_item_done', 'ada', { itemId: 'i2' }, 'i2'),
      e('t1', 'checklist_item_undone', 'ada', { itemId: 'i3' }, 'i3'),
      e('t2', 'task_deleted', 'bob', { taskTitle: 'Old' }),
      e('t3', 'task_created', null, { taskTitle: 'By nobody known' }),
    ])
    const t1 = out.find((t) => t.taskId === 't1')!
    expect(t1.changes).toEqual([
      expect.objectContaining({ field: 'assignees', added: ['u1'], removed: ['u3'] }),
      expect.objectContaining({
        field: 'labels',
        added: ['l1'],
        removed: [],
        names: { l1: 'Bug' },
      }),
      expect.objectContaining({ kind: 'checklist', count: 2, uncheckedCount: 1 }),
    ])
    expect(out.find((t) => t.taskId === 't2')!.changes).toEqual([
      expect.objectContaining({ kind: 'deleted', userIds: ['bob'] }),
    ])
    // An entry without a known author still counts; it names nobody.
    expect(out.find((t) => t.taskId === 't3')).toMatchObject({
      userIds: [],
      changes: [{ kind: 'created', userIds: [] }],
    })
  })

  it('lists the most recently changed task first', () => {
    const out = summarizeAway([
      field('a', 'ada', { field: 'title', from: 'A', to: 'A1' }),
      field('b', 'ada', { field: 'title', from: 'B', to: 'B1' }),
      field('a', 'bob', { field: 'estimate', from: null, to: 3 }),
    ])
    expect(out.map((t) => t.taskId)).toEqual(['a', 'b'])
    expect(out[0]!.lastAt).toBe(new Date(at).toISOString())
  })
})

describe('summarizeLatest', () => {
  const row = (id: number, task: string, lastAt: number, data: Record<string, unknown>) => ({
    id,
    task_id: task,
    kind: 'field_changed',
    subject: String(data.field),
    user_id: 'bob',
    last_at: lastAt,
    data: JSON.stringify({ taskTitle: task.toUpperCase(), ...data }),
  })

  it('summarises the most recently changed tasks up to the limit, in id order within a task, and counts the rest', async () => {
    const rows = [
      // Given out of order: a task's rows fold by id.
      row(4, 'a', 400, { field: 'title', from: 'A1', to: 'A2' }),
      row(1, 'a', 100, { field: 'title', from: 'A0', to: 'A1' }),
      // Newest, but nets to nothing: skipped without using up the limit.
      row(6, 'b', 600, { field: 'priority', from: 'none', to: 'high' }),
      row(7, 'b', 700, { field: 'priority', from: 'high', to: 'none' }),
      row(5, 'c', 500, { field: 'estimate', from: null, to: 2 }),
      row(2, 'd', 200, { field: 'estimate', from: null, to: 1 }),
      row(3, 'e', 300, { field: 'estimate', from: null, to: 1 }),
    ]
    // Most recent first, as othersTasks answers.
    const order = ['b', 'c', 'a', 'e', 'd'].map((id) => ({
      task_id: id,
      last_at: Math.max(...rows.filter((r) => r.task_id === id).map((r) => r.last_at)),
    }))
    const asked: string[][] = []
    const out = await summarizeLatest(order, 2, async (ids) => {
      asked.push(ids)
      return rows.filter((r) => ids.includes(r.task_id))
    })
    expect(out.tasks.map((t) => [t.taskId, t.changes[0]!.from, t.changes[0]!.to])).toEqual([
      ['c', null, 2],
      ['a', 'A0', 'A2'],
    ])
    // e and d were not looked at, nor read: one batch of as many as wanted, then one more for
    // the task that came to nothing.
    expect(out.more).toBe(2)
    expect(asked).toEqual([['b', 'c'], ['a']])
  })
})
