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
import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DeviceIndex, excerpt, highlight, INDEX_OPTIONS } from './device-index'
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

describe('DeviceIndex ranking cost (the search box answers every keystroke in the same frame)', () => {
  const row = (taskId: string, title: string) => ({
    taskId,
    title,
    description: `notes about ${taskId}`,
    comments: '',
    checklist: '',
    labels: '',
    deleted: false,
  })
  // 1,500 tasks whose words share prefixes: "in…" matches most of them, "invoice3" 43.
  const WORDS = ['invoice', 'inventory', 'intake', 'index', 'review', 'release', 'refund']
  const board = () => {
    const index = new DeviceIndex()
    index.setProjectName('p1', 'Launch')
    index.setProject(
      'p1',
      Array.from({ length: 1_500 }, (_, i) =>
        row(`t${i}`, `${WORDS[i % 7]}${i % 5} ${WORDS[Math.floor(i / 7) % 7]} task ${i}`),
      ),
    )
    return index
  }
  const rankAll = (index: DeviceIndex) => {
    const run = index.rankAhead(20)
    for (;;) {
      const step = run.next()
      if (step.done) return step.value
    }
  }
  const ids = (index: DeviceIndex, q: string, limit = 20) =>
    index.search(q, limit).map((r) => r.taskId)

  it('answers common one-word queries ranked ahead exactly as ranked live, until the index changes', () => {
    const index = board()
    const queries = ['i', 'in', 'inv', 'invo', 'invoice3', 'r', 're', 'rel', 't', 'ta', 'x', 'no']
    const live = queries.map((q) => index.search(q, 20))
    const ahead = rankAll(index)
    const asked = new Map(ahead.answers)
    // Every one- and two-letter prefix, and longer ones while they match over 500 tasks.
    expect(asked.has('i') && asked.has('in') && asked.has('no') && asked.has('inv')).toBe(true)
    expect(asked.has('invoice3')).toBe(false)
    index.takeAnswersAhead(structuredClone(ahead))
    expect(index.hasAnswersAhead).toBe(true)
    expect(queries.map((q) => index.search(q, 20))).toEqual(live)
    expect(index.search('INV', 5)).toEqual(live[2]!.slice(0, 5))

    // A change drops them: the trashed top hit is gone at once, as a live ranking has it.
    const top = ids(index, 'in')[0]!
    index.update('p1', [], [top])
    expect(index.hasAnswersAhead).toBe(false)
    expect(ids(index, 'in')).not.toContain(top)
    expect(ids(index, 'in')).toHaveLength(20)
  })

  it('narrows a query of several words by its most selective word, with the same hits and scores', () => {
    const index = board()
    const reference = new MiniSearch(INDEX_OPTIONS)
    const docs = (q: string) =>
      reference
        .search(q)
        .slice(0, 50)
        .map((h) => [h.taskId, h.score])
    reference.addAll(
      Array.from({ length: 1_500 }, (_, i) => ({
        ...row(`t${i}`, `${WORDS[i % 7]}${i % 5} ${WORDS[Math.floor(i / 7) % 7]} task ${i}`),
        id: `p1/t${i}`,
        projectId: 'p1',
      })),
    )
    for (const q of [
      'invoice3 r',
      'invoice3 re',
      'invoice3 rev',
      'inventory2 i',
      'task 1',
      'index4 refnd',
    ]) {
      const got = index.search(q, 50).map((r) => [r.taskId, r.score])
      expect(got, q).toEqual(docs(q))
      expect(got.length, q).toBeGreaterThan(0)
    }
    // The narrowing word's tasks are read again after a change: a task that now has the
    // word is found, one that lost it is not.
    const [first] = ids(index, 'invoice3 r')
    index.update('p1', [row(first!, 'renamed elsewhere'), row('t8', 'invoice3 rollout')], [])
    expect(ids(index, 'invoice3 r', 500)).not.toContain(first)
    expect(ids(index, 'invoice3 r', 500)).toContain('t8')
  })
})
