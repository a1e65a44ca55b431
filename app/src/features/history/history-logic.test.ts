import type { BoardResponse } from '@taskflow/api'
import { describe, expect, it } from 'vitest'
import type { TaskVersion } from '../../api/history.api'
import { boardViewAt, goneSince } from './board-at'
import { describeStep, startStepIndex } from './step-text'
import { descriptionDiff, previousDescriptions, versionValue } from './version-text'

const task = (
  id: string,
  columnId: string,
  position: string,
  more: Partial<BoardResponse['tasks'][number]> = {},
) => ({
  id,
  title: id.toUpperCase(),
  description: '',
  columnId,
  position,
  priority: 'none' as const,
  startDate: null,
  dueDate: '2026-12-09',
  estimate: null,
  assigneeIds: [],
  labelIds: [],
  checklist: { done: 0, total: 0 },
  commentCount: 0,
  parentId: null,
  subtaskProgress: null,
  blockedBy: [],
  createdAt: '2026-12-01T10:00:00.000Z',
  createdBy: 'ada',
  updatedAt: null,
  completedAt: null,
  deletedAt: null,
  fields: {},
  ...more,
})

const board = (tasks: BoardResponse['tasks'], columns = ['todo', 'done']): BoardResponse => ({
  name: 'Launch',
  description: '',
  columns: columns.map((id, i) => ({
    id,
    name: id,
    category: 'todo',
    position: `a${i}`,
    wipLimit: id === 'todo' ? 1 : null,
  })),
  labels: [],
  members: [],
  tasks,
})

describe('history mode', () => {
  it('shows a past board’s subtasks under their parents, with progress and field values', () => {
    const progress = { done: 1, total: 1, points: 0, donePoints: 0 }
    const view = boardViewAt(
      board([
        task('p', 'todo', 'a0', { subtaskProgress: progress, fields: { stage: 'opt1' } }),
        task('s', 'todo', 'a1', { parentId: 'p', subtaskProgress: progress }),
        task('g', 'done', 'a0', { parentId: 's' }),
      ]),
    )
    const byId = new Map(view.columns.flatMap((c) => c.tasks).map((t) => [t.id, t]))
    expect(byId.get('p')).toMatchObject({
      parentId: null,
      depth: 0,
      parentTitle: null,
      subtaskProgress: progress,
      fields: { stage: 'opt1' },
      blockedBy: [],
    })
    expect(byId.get('s')).toMatchObject({ parentId: 'p', depth: 1, parentTitle: 'P' })
    expect(byId.get('g')).toMatchObject({ parentId: 's', depth: 2, parentTitle: 'S' })
  })

  it('draws a past board as the views draw a live one, in the server’s board order', () => {
    const view = boardViewAt(
      board([task('a', 'todo', 'a0'), task('b', 'todo', 'a1'), task('c', 'done', 'a0')]),
    )
    expect(view.columns.map((c) => [c.id, c.tasks.map((t) => t.id), c.overWipLimit])).toEqual([
      ['todo', ['a', 'b'], true],
      ['done', ['c'], false],
    ])
    expect(view.columns[0]!.tasks[0]).toMatchObject({
      title: 'A',
      order: 'a0',
      dueDate: '2026-12-09',
      createdAt: Date.parse('2026-12-01T10:00:00.000Z'),
    })
  })

  it('finds what existed then and is gone now: deleted columns, and tasks deleted or trashed', () => {
    const then = boardViewAt(
      board([task('a', 'todo', 'a0'), task('old', 'review', 'a0')], ['todo', 'review']),
    )
    const live = boardViewAt(board([task('a', 'todo', 'a0')], ['todo']))
    const gone = goneSince(then, live)
    expect(gone.columns.map((c) => c.id)).toEqual(['review'])
    expect(gone.tasks.map((t) => t.id)).toEqual(['old'])
  })

  it('says who made a step and what it changed', () => {
    const step = {
      fromSeq: 1,
      toSeq: 3,
      startedAt: '2026-12-01T10:00:00.000Z',
      at: '2026-12-01T10:00:30.000Z',
      userId: 'bob',
      tasks: [
        { taskId: 'a', fields: ['title' as const, 'column' as const] },
        { taskId: 'b', fields: ['column' as const] },
      ],
      columnIds: ['c1'],
      board: false,
    }
    expect(describeStep(step, () => 'Bob')).toBe('Bob changed 2 cards (title, moved) and 1 column')
  })
})

describe('task versions', () => {
  it('diffs a description word by word', () => {
    expect(descriptionDiff('Ship the copy', 'Ship the final copy today')).toEqual([
      { kind: 'same', text: 'Ship the ' },
      { kind: 'added', text: 'final ' },
      { kind: 'same', text: 'copy ' },
      { kind: 'added', text: 'today' },
    ])
  })

  it('pairs each description version with the one before it (newest first)', () => {
    const v = (seq: number, value: string): TaskVersion => ({
      field: 'description',
      seq,
      at: '2026-12-01T10:00:00.000Z',
      userId: 'ada',
      value,
    })
    const versions = [
      v(3, 'three'),
      { ...v(2, ''), field: 'title' as const, value: 'T' },
      v(1, 'one'),
    ]
    const prev = previousDescriptions(versions)
    expect(prev.get(versions[0]!)).toBe('one')
    expect(prev.get(versions[2]!)).toBe('')
    expect(prev.has(versions[1]!)).toBe(false)
  })

  it('tells each field’s value in words', () => {
    const names = { user: (id: string) => id.toUpperCase(), label: () => 'Bug' }
    const base = { seq: 1, at: '2026-12-01T10:00:00.000Z', userId: null }
    expect(versionValue({ ...base, field: 'assignees', value: ['ada', 'bob'] }, names)).toBe(
      'ADA, BOB',
    )
    expect(versionValue({ ...base, field: 'column', value: { id: 'c', name: null } }, names)).toBe(
      'a deleted column',
    )
    expect(
      versionValue(
        { ...base, field: 'checklist', value: [{ id: 'i', text: 'Draft', done: true }] },
        names,
      ),
    ).toBe('☑ Draft')
    expect(versionValue({ ...base, field: 'trashed', value: true }, names)).toBe(
      'moved to the trash',
    )
  })
})

describe('startStepIndex', () => {
  const steps = [
    { at: '2026-12-01T10:00:00.000Z', userId: 'ada' },
    { at: '2026-12-01T10:05:00.000Z', userId: 'ada' },
    { at: '2026-12-01T10:06:00.000Z', userId: 'bob' },
    { at: '2026-12-01T10:07:00.000Z', userId: 'ada' },
  ]
  it('opens on the newest step without a starting time', () => {
    expect(startStepIndex(steps, null, 'ada')).toBe(3)
    expect(startStepIndex([], null, 'ada')).toBe(0)
  })
  it('from "while you were away": the first later step by someone else, past my own edits', () => {
    // Ada's visit was recorded before her own edits at 10:05 (the leave beacon never arrived).
    expect(startStepIndex(steps, '2026-12-01T10:01:00.000Z', 'ada')).toBe(2)
  })
  it('falls back to the first later step, then to the newest', () => {
    expect(startStepIndex(steps, '2026-12-01T10:06:30.000Z', 'ada')).toBe(3)
    expect(startStepIndex(steps, '2026-12-01T11:00:00.000Z', 'ada')).toBe(3)
  })
})
