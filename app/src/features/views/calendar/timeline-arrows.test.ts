// @vitest-environment jsdom
// TimelineView pulls in the app config (via the away store), which reads `location`.
import {
  addRelation,
  createTask,
  getBoardView,
  initBoard,
  listRelations,
  type TaskSummary,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { timelineArrows } from './TimelineView'

describe('timeline arrows of blocks relations', () => {
  it('go from the end of the blocker’s bar to the start of the blocked one, red when it starts too early', () => {
    const doc = new Y.Doc()
    initBoard(doc, { name: 'B' })
    const todo = getBoardView(doc).columns[0]!.id
    const make = (title: string, startDate: string, dueDate: string) => {
      const r = createTask(doc, { columnId: todo, title, startDate, dueDate })
      if (!r.ok) throw new Error(r.error.message)
      return r.value.id
    }
    const design = make('Design', '2026-03-02', '2026-03-04')
    const build = make('Build', '2026-03-05', '2026-03-09')
    const test = make('Test', '2026-03-03', '2026-03-06')
    const hidden = make('Hidden', '2026-03-01', '2026-03-01')
    addRelation(doc, build, 'blocked_by', design)
    addRelation(doc, test, 'blocked_by', design)
    addRelation(doc, hidden, 'blocks', build)
    addRelation(doc, design, 'relates_to', build)
    const byId = new Map(
      getBoardView(doc).columns.flatMap((c) => c.tasks.map((t) => [t.id, t] as const)),
    )
    const row = (id: string) => ({ kind: 'task' as const, task: byId.get(id) as TaskSummary })
    // "Hidden" is filtered out of the timeline: its arrow is not drawn.
    const rows = [
      row(design),
      { kind: 'group' as const, key: 'g', label: 'G', count: 2 },
      row(build),
      row(test),
    ]
    const arrows = timelineArrows(listRelations(doc), rows, '2026-03-01', 10)
    const byTo = new Map(arrows.map((a) => [a.to, a]))
    expect(arrows).toHaveLength(2)
    // Labels are 240 px wide; design ends on day 3 (0-based) so its bar ends at 4 days.
    expect(byTo.get(build)).toMatchObject({
      from: design,
      x1: 280,
      y1: 16,
      x2: 280,
      y2: 80,
      late: false,
    })
    expect(byTo.get(test)).toMatchObject({ x1: 280, x2: 260, y2: 112, late: true })
  })
})
