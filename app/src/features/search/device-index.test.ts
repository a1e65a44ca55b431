import {
  addComment,
  createLabel,
  createTask,
  deleteTask,
  getBoardView,
  initBoard,
  restoreTask,
  updateLabel,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DeviceIndex, excerpt, highlight } from './device-index'
import { MAX_INLINE_TASKS, type SearchSink, trackSearchChanges } from './doc-changes'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** A board whose edits flow into a device index as they do in the app. */
function setup() {
  const doc = new Y.Doc()
  must(initBoard(doc, { name: 'Launch' }))
  const index = new DeviceIndex()
  index.setProjectName('p1', 'Launch')
  const sent: { rows: number; missing: number }[] = []
  let reindexed = 0
  const sink: SearchSink = {
    update: (projectId, rows, missing) => {
      sent.push({ rows: rows.length, missing: missing.length })
      index.update(projectId, rows, missing)
    },
    reindex: () => {
      reindexed++
    },
  }
  const detach = trackSearchChanges('p1', doc, sink)
  const col = getBoardView(doc).columns[0]!.id
  return { doc, index, sent, col, detach, reindexed: () => reindexed }
}
const titles = (index: DeviceIndex, q: string) =>
  index.search(q, 20).map((r) => r.title.map((s) => s.text).join(''))

describe('device search index', () => {
  it('finds a task by a prefix with a typo, and marks the matched words', () => {
    const s = setup()
    must(createTask(s.doc, { columnId: s.col, title: 'Quarterly invoice export' }))
    must(createTask(s.doc, { columnId: s.col, title: 'Plan the offsite' }))
    expect(titles(s.index, 'quartely inv')).toEqual(['Quarterly invoice export'])
    expect(titles(s.index, 'invoce')).toEqual(['Quarterly invoice export'])
    const [hit] = s.index.search('quartely inv', 5)
    expect(hit!.projectName).toBe('Launch')
    expect(hit!.title).toEqual([
      { text: 'Quarterly', match: true },
      { text: ' ', match: false },
      { text: 'invoice', match: true },
      { text: ' export', match: false },
    ])
  })

  it('follows edits, comments, label renames, trash and restore, reading only the touched task', () => {
    const s = setup()
    const label = must(createLabel(s.doc, { name: 'urgent', color: '#ef4444' }))
    const id = must(
      createTask(s.doc, { columnId: s.col, title: 'Fix login', labelIds: [label.id] }),
    ).id
    must(createTask(s.doc, { columnId: s.col, title: 'Unrelated' }))
    expect(titles(s.index, 'login')).toEqual(['Fix login'])

    s.sent.length = 0
    must(updateTask(s.doc, id, { title: 'Fix signup' }))
    expect(s.sent).toEqual([{ rows: 1, missing: 0 }])
    expect(titles(s.index, 'login')).toEqual([])
    expect(titles(s.index, 'signup')).toEqual(['Fix signup'])

    must(addComment(s.doc, id, { body: 'Reproduced on Safari' }, { userId: 'ann' }))
    const [hit] = s.index.search('safari', 5)
    expect(hit!.snippet).toEqual({
      field: 'comments',
      segments: [
        { text: 'Reproduced on ', match: false },
        { text: 'Safari', match: true },
      ],
    })

    must(updateLabel(s.doc, label.id, { name: 'blocker' }))
    expect(titles(s.index, 'urgent')).toEqual([])
    expect(titles(s.index, 'blocker')).toEqual(['Fix signup'])

    must(deleteTask(s.doc, id))
    expect(titles(s.index, 'signup')).toEqual([])
    must(restoreTask(s.doc, id))
    expect(titles(s.index, 'signup')).toEqual(['Fix signup'])
  })

  it('answers a query typed again from its last answer, until the index changes', () => {
    const s = setup()
    must(createTask(s.doc, { columnId: s.col, title: 'Plan launch' }))
    const first = s.index.search('pl', 20)
    expect(s.index.search('pl', 20)).toBe(first)
    expect(s.index.search('pl', 5)).not.toBe(first)
    must(createTask(s.doc, { columnId: s.col, title: 'Plot budget' }))
    expect(titles(s.index, 'pl').sort()).toEqual(['Plan launch', 'Plot budget'])
    s.index.setProjectName('p1', 'Renamed')
    expect(s.index.search('pl', 20).map((r) => r.projectName)).toEqual(['Renamed', 'Renamed'])
    s.index.removeProject('p1')
    expect(s.index.search('pl', 20)).toEqual([])
  })

  it('hands a change of many tasks at once to the worker to re-read instead', () => {
    const s = setup()
    s.doc.transact(() => {
      for (let i = 0; i <= MAX_INLINE_TASKS; i++)
        createTask(s.doc, { columnId: s.col, title: `T${i}` })
    })
    expect(s.reindexed()).toBe(1)
    expect(s.sent).toEqual([])
  })

  it('treats query syntax as text and never throws', () => {
    const s = setup()
    must(createTask(s.doc, { columnId: s.col, title: 'NEAR miss (draft) "quoted" <b>bold</b>' }))
    for (const q of [
      '"',
      '*',
      'NEAR(',
      '(draft',
      'draft)',
      'a OR',
      '-x',
      '^',
      'title:draft',
      '\\',
      '[',
      '.*',
      '',
    ]) {
      expect(() => s.index.search(q, 5), q).not.toThrow()
    }
    expect(titles(s.index, '"draft*')).toEqual(['NEAR miss (draft) "quoted" <b>bold</b>'])
    expect(titles(s.index, 'near(miss')).toHaveLength(1)
    // Markup in a title is text, highlighted like any other.
    expect(s.index.search('bold', 1)[0]!.title).toEqual([
      { text: 'NEAR miss (draft) "quoted" <b>', match: false },
      { text: 'bold', match: true },
      { text: '</b>', match: false },
    ])
  })

  it('highlights whole words only and cuts a one-line excerpt around the first match', () => {
    expect(highlight('cat concat cat', ['cat'])).toEqual([
      { text: 'cat', match: true },
      { text: ' concat ', match: false },
      { text: 'cat', match: true },
    ])
    expect(excerpt('first line\nsecond has the word here\nthird', ['word'])).toEqual([
      { text: 'second has the ', match: false },
      { text: 'word', match: true },
      { text: ' here', match: false },
    ])
    expect(excerpt('nothing', ['word'])).toBeNull()
  })
})

describe('DeviceIndex snapshots (the worker hands its index to the page)', () => {
  it('rebuilds an index that answers as the original, in parts, and keeps taking edits', async () => {
    const index = new DeviceIndex()
    index.setProjectName('p1', 'Launch')
    const row = (taskId: string, title: string) => ({
      taskId,
      title,
      description: `notes about ${title}`,
      comments: '',
      checklist: '',
      labels: '',
      deleted: false,
    })
    const rows = Array.from({ length: 4_500 }, (_, i) => row(`t${i}`, `task ${i} invoice${i % 7}`))
    index.setProject('p1', rows)
    const snap = index.snapshot()
    // Several parts, none holding more than a few thousand entries.
    expect(snap.parts.length).toBeGreaterThan(4)
    const copy = await DeviceIndex.fromSnapshot(structuredClone(snap))
    expect(copy.size).toBe(4_500)
    // Equal scores may come in another order: compare every result, sorted.
    const all = (i: DeviceIndex, q: string) =>
      i.search(q, 10_000).sort((a, b) => a.taskId.localeCompare(b.taskId))
    for (const q of ['invoice3', 'invoce3', 'task 42', 'notes', 'nothing here']) {
      expect(all(copy, q)).toEqual(all(index, q))
    }
    expect(all(copy, 'invoice3').length).toBeGreaterThan(600)
    copy.update('p1', [row('t1', 'renamed quarterly export')], ['t2'])
    expect(copy.search('quarterly', 5).map((r) => r.taskId)).toEqual(['t1'])
    expect(copy.search('task 2', 50).some((r) => r.taskId === 't2')).toBe(false)
  })
})
