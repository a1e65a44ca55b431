import { describe, expect, it } from 'vitest'
import { updateColumn } from './columns.js'
import { projectBoard, projectTasks } from './projection.js'
import { createTask, deleteTask, moveTask } from './tasks.js'
import { columnIds, replicas } from './test/replicas.js'

describe('projection', () => {
  it('gives each task its displayed column, category and dates as plain rows', () => {
    const [doc] = replicas(1)
    const [todo, , done] = columnIds(doc!)
    const ctx = { now: 1_000, userId: 'ann' }
    const r1 = createTask(
      doc!,
      { columnId: todo!, title: 'A', assigneeIds: ['bob'], estimate: 2 },
      ctx,
    )
    const r2 = createTask(doc!, { columnId: todo!, title: 'B', dueDate: '2026-12-01' }, ctx)
    if (!r1.ok || !r2.ok) throw new Error('setup')
    moveTask(doc!, r1.value.id, { columnId: done! }, { now: 5_000 })
    deleteTask(doc!, r2.value.id, { now: 6_000 })
    const p = projectBoard(doc!)
    expect(p.columns.map((c) => [c.name, c.category, c.position])).toEqual([
      ['To do', 'todo', 0],
      ['In progress', 'in_progress', 1],
      ['Done', 'done', 2],
    ])
    const a = p.tasks.find((t) => t.taskId === r1.value.id)!
    expect(a).toMatchObject({
      title: 'A',
      columnName: 'Done',
      category: 'done',
      assigneeIds: ['bob'],
      estimate: 2,
      createdAt: 1_000,
      createdBy: 'ann',
      completedAt: 5_000,
      deletedAt: null,
    })
    expect(p.tasks.find((t) => t.taskId === r2.value.id)).toMatchObject({
      dueDate: '2026-12-01',
      deletedAt: 6_000,
      category: 'todo',
    })
    expect(projectTasks(doc!, [r1.value.id, 'gone'])).toEqual({ rows: [a], missing: ['gone'] })
  })

  it('completes the tasks of a column that becomes a done column', () => {
    const [doc] = replicas(1)
    const [, doing] = columnIds(doc!)
    const r = createTask(doc!, { columnId: doing!, title: 'A' })
    if (!r.ok) throw new Error('setup')
    updateColumn(doc!, doing!, { category: 'done' }, { now: 7_000 })
    expect(projectBoard(doc!).tasks[0]).toMatchObject({ category: 'done', completedAt: 7_000 })
    updateColumn(doc!, doing!, { category: 'in_progress' })
    expect(projectBoard(doc!).tasks[0]).toMatchObject({ completedAt: null })
  })
})
