import { type TaskflowExport, TaskflowExportSchema } from '@taskflow/api'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { insertMember } from '../projects/members.repository.js'
import { createTestApi, type TestApi } from '../test/test-api.js'
import { addSignedInUser } from '../test/world.js'
import { CSV_EXPORT_COLUMNS, exportToCsv } from './export.service.js'

const addUser = (api: TestApi, email: string, name: string) => addSignedInUser(api, { email, name })

const at = (d: string) => new Date(Date.parse(d)).toISOString()

/** A board with every kind of content the document model holds. */
function seed(): TaskflowExport {
  const comment = (
    body: string,
    extra: Partial<TaskflowExport['board']['tasks'][0]['comments'][0]> = {},
  ) => ({
    author: 'alice@example.org',
    authorName: 'Alice',
    body,
    createdAt: at('2026-01-02T10:00:00Z'),
    editedAt: null,
    deletedAt: null,
    reactions: {},
    ...extra,
  })
  const task = (
    id: string,
    columnId: string,
    position: number | null,
    extra: Partial<TaskflowExport['board']['tasks'][0]> = {},
  ): TaskflowExport['board']['tasks'][0] => ({
    id,
    columnId,
    position,
    title: `Task ${id}`,
    description: '',
    body: [{ type: 'paragraph', content: [{ text: '' }] }],
    priority: 'none',
    startDate: null,
    dueDate: null,
    estimate: null,
    assignees: [],
    labelIds: [],
    checklist: [],
    comments: [],
    createdAt: at('2026-01-01T09:00:00Z'),
    createdBy: 'alice@example.org',
    updatedAt: at('2026-01-03T09:00:00Z'),
    completedAt: null,
    deletedAt: null,
    replacedMoves: [],
    parentId: null,
    subtaskPosition: null,
    ...extra,
  })
  return {
    format: 'taskflow-export',
    version: 1,
    exportedAt: at('2026-02-01T00:00:00Z'),
    project: { name: 'Round trip', description: 'Every kind of content' },
    board: {
      name: 'Round trip board',
      description: 'Board description',
      schemaVersion: 3,
      columns: [
        { id: 'c1', name: 'Ideas', category: 'todo', wipLimit: null },
        { id: 'c2', name: 'Doing', category: 'in_progress', wipLimit: 3 },
        { id: 'c3', name: 'Shipped', category: 'done', wipLimit: null },
      ],
      labels: [
        { id: 'l1', name: 'bug', color: '#ef4444' },
        { id: 'l2', name: 'design', color: '#3b82f6' },
      ],
      tasks: [
        task('t1', 'c1', 0, {
          title: 'Rich task',
          description: 'Heading\nbold and link\none\ntwo',
          body: [
            { type: 'heading', attrs: { level: 2 }, content: [{ text: 'Heading' }] },
            {
              type: 'paragraph',
              content: [
                { text: 'bold', marks: { bold: {} } },
                { text: ' and ' },
                { text: 'link', marks: { link: { href: 'https://example.org' } } },
              ],
            },
            {
              type: 'bulletList',
              content: [
                { type: 'listItem', content: [{ type: 'paragraph', content: [{ text: 'one' }] }] },
                { type: 'listItem', content: [{ type: 'paragraph', content: [{ text: 'two' }] }] },
              ],
            },
          ],
          priority: 'high',
          startDate: '2026-01-05',
          dueDate: '2026-01-10',
          estimate: 5,
          assignees: ['alice@example.org', 'bob@example.org'],
          labelIds: ['l1', 'l2'],
          checklist: [
            { text: 'first', done: true },
            { text: 'second', done: false },
          ],
          comments: [
            comment('Looks good', {
              reactions: { '👍': ['alice@example.org', 'bob@example.org'] },
            }),
            comment('Edited later', {
              createdAt: at('2026-01-02T11:00:00Z'),
              editedAt: at('2026-01-02T12:00:00Z'),
            }),
            comment('Removed', {
              createdAt: at('2026-01-02T13:00:00Z'),
              deletedAt: at('2026-01-02T14:00:00Z'),
            }),
          ],
        }),
        // A hierarchy (issue 14): t4 then t2 under t1 (subtask order is not board order), t6
        // under t2 (depth 2), the trashed t3 under t4.
        task('t2', 'c1', 1, {
          parentId: 't1',
          subtaskPosition: 1,
          description: 'plain',
          body: [{ type: 'paragraph', content: [{ text: 'plain' }] }],
        }),
        task('t3', 'c1', null, {
          title: 'In the trash',
          deletedAt: at('2026-01-04T09:00:00Z'),
          parentId: 't4',
          subtaskPosition: 0,
        }),
        task('t4', 'c2', 0, { priority: 'urgent', parentId: 't1', subtaskPosition: 0 }),
        task('t5', 'c3', 0, { completedAt: at('2026-01-06T09:00:00Z') }),
        task('t6', 'c3', 1, {
          completedAt: at('2026-01-07T09:00:00Z'),
          createdBy: null,
          parentId: 't2',
          subtaskPosition: 0,
        }),
      ],
    },
    members: [
      { email: 'alice@example.org', name: 'Alice', role: 'owner' },
      { email: 'bob@example.org', name: 'Bob', role: 'member' },
    ],
    activity: [],
    attachments: [],
  }
}

// Ids are the store's own: replaced by their first-appearance index, everything else kept.
function withoutIds(e: TaskflowExport) {
  const ids = new Map<string, string>()
  const name = (id: string) => {
    if (!ids.has(id)) ids.set(id, `#${ids.size}`)
    return ids.get(id)!
  }
  const { exportedAt: _e, activity: _a, ...rest } = e
  return {
    ...rest,
    board: {
      ...rest.board,
      columns: rest.board.columns.map((c) => ({ ...c, id: name(c.id) })),
      labels: rest.board.labels.map((l) => ({ ...l, id: name(l.id) })),
      tasks: rest.board.tasks.map((t) => ({
        ...t,
        id: name(t.id),
        parentId: t.parentId ? name(t.parentId) : t.parentId,
        columnId: name(t.columnId),
        labelIds: t.labelIds.map(name),
      })),
    },
  }
}

async function setUp() {
  const api = await createTestApi()
  const alice = await addUser(api, 'alice@example.org', 'Alice')
  const bob = await addUser(api, 'bob@example.org', 'Bob')
  // Teammates (a shared project), so an import may add Bob (see imports.service findPeople).
  const shared = await api.call('POST', '/api/v1/projects', {
    token: alice.token,
    body: { name: 'Shared' },
  })
  await insertMember(api.db, {
    project_id: shared.body.project?.id ?? shared.body.id,
    user_id: bob.id,
    role: 'member',
    created_at: Date.now(),
  })
  return { api, alice, bob }
}

describe('GET /projects/:id/export and POST /projects/import/taskflow', () => {
  it('export → import → export gives the same JSON, ids aside', async () => {
    const { api, alice } = await setUp()
    const first = await api.call('POST', '/api/v1/projects/import/taskflow', {
      token: alice.token,
      body: seed(),
    })
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    expect(first.body.skipped).toEqual([])
    const e1 = await api.call('GET', `/api/v1/projects/${first.body.project.id}/export`, {
      token: alice.token,
    })
    expect(e1.status).toBe(200)
    expect(e1.headers.get('content-disposition')).toBe(
      'attachment; filename="Round-trip.taskflow.json"',
    )
    const one = TaskflowExportSchema.parse(e1.body)
    // The first export holds what the seed put in (so the comparison below compares content).
    expect(withoutIds(one).board).toEqual(withoutIds(seed()).board)
    expect(one.members.map((m) => m.email)).toEqual(['alice@example.org', 'bob@example.org'])

    const second = await api.call('POST', '/api/v1/projects/import/taskflow', {
      token: alice.token,
      body: one,
    })
    expect(second.status).toBe(201)
    expect(second.body.imported).toEqual({
      columns: 3,
      tasks: 6,
      labels: 2,
      checklistItems: 2,
      comments: 3,
      trashed: 1,
      members: 1,
    })
    const e2 = await api.call('GET', `/api/v1/projects/${second.body.project.id}/export`, {
      token: alice.token,
    })
    const two = TaskflowExportSchema.parse(e2.body)
    expect(two.board.tasks[0]!.id).not.toBe(one.board.tasks[0]!.id)
    expect(withoutIds(two)).toEqual(withoutIds(one))
  })

  it('keeps comments by someone else as the importer’s, naming the original author', async () => {
    const { api, bob } = await setUp()
    const res = await api.call('POST', '/api/v1/projects/import/taskflow', {
      token: bob.token,
      body: seed(),
    })
    const e = await api.call('GET', `/api/v1/projects/${res.body.project.id}/export`, {
      token: bob.token,
    })
    const c = e.body.board.tasks[0].comments[0]
    expect(c.author).toBe('bob@example.org')
    expect(c.body).toBe(
      `Originally by Alice <alice@example.org> on 2026-01-02T10:00:00.000Z:\n\nLooks good`,
    )
  })

  it('exports CSV with one row per task, formulas neutralised', async () => {
    const { api, alice } = await setUp()
    const data = seed()
    data.board.tasks[1]!.title = '=HYPERLINK("http://evil")'
    const created = await api.call('POST', '/api/v1/projects/import/taskflow', {
      token: alice.token,
      body: data,
    })
    const res = await api.call(
      'GET',
      `/api/v1/projects/${created.body.project.id}/export?format=csv`,
      { token: alice.token },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const parsed = Papa.parse<string[]>((res.body as string).replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    })
    expect(parsed.data[0]).toEqual([...CSV_EXPORT_COLUMNS])
    expect(parsed.data).toHaveLength(7)
    const row = Object.fromEntries(CSV_EXPORT_COLUMNS.map((k, i) => [k, parsed.data[1]![i]]))
    expect(row).toMatchObject({
      title: 'Rich task',
      column: 'Ideas',
      status: 'todo',
      position: '0',
      priority: 'high',
      due_date: '2026-01-10',
      assignees: 'alice@example.org; bob@example.org',
      labels: 'bug; design',
      checklist_done: '1',
      checklist_total: '2',
      comments: '2',
    })
    expect(parsed.data[2]![1]).toBe(`'=HYPERLINK("http://evil")`)
  })

  it("names each subtask's parent in the last CSV column, empty at top level and in older files", () => {
    const data = seed()
    data.board.tasks[1]!.parentId = 't1'
    // t3… as in a file exported before subtasks: no parentId at all.
    for (const t of data.board.tasks.slice(2)) delete t.parentId
    const parsed = Papa.parse<string[]>(exportToCsv(data).replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    })
    expect(parsed.data[0]!.at(-1)).toBe('parent_id')
    const parentOf = Object.fromEntries(parsed.data.slice(1).map((r) => [r[0], r.at(-1)]))
    expect(parentOf).toEqual({ t1: '', t2: 't1', t3: '', t4: '', t5: '', t6: '' })
  })

  it('makes names, WIP limits and texts from a hand-edited file fit, saying what it changed, never failing', async () => {
    const { api, alice } = await setUp()
    const data = seed()
    data.project.name = 'x'.repeat(300)
    data.board.name = '\u202E\u0000'
    data.board.columns[0]!.name = 'Ideas\r\nBcc: evil'
    data.board.columns[1]!.wipLimit = 0
    data.board.labels[0]!.color = 'red'
    data.board.tasks[1]!.title = '\u0007'
    data.board.tasks[0]!.comments[0]!.author = 'someone@example.org'
    data.board.tasks[0]!.comments[0]!.body = 'y'.repeat(10_000)
    // A hierarchy that is not a tree: t5 its own parent; t6's parent t2 is not imported.
    data.board.tasks[4]!.parentId = 't5'
    const res = await api.call('POST', '/api/v1/projects/import/taskflow', {
      token: alice.token,
      body: data,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.project.name).toBe('x'.repeat(200))
    expect(res.body.imported).toMatchObject({ columns: 3, tasks: 5, labels: 1, comments: 3 })
    const items = res.body.skipped.map((s: { item: string }) => s.item)
    expect(items).toEqual(
      expect.arrayContaining([
        'project name',
        'board name',
        'column "Ideas\r\nBcc: evil"',
        'column "Doing"',
        'label "bug"',
        'task "\u0007" (t2)',
        'task "Task t5" (t5): parent',
        'task "Task t6" (t6): parent',
      ]),
    )
    const e = await api.call('GET', `/api/v1/projects/${res.body.project.id}/export`, {
      token: alice.token,
    })
    expect(e.body.board.columns[0].name).toBe('Ideas Bcc: evil')
    expect(e.body.board.columns[1].wipLimit).toBeNull()
    expect(e.body.board.tasks[0].comments[0].body).toHaveLength(10_000)
    // Both stay on the board, at top level; t1 keeps its other subtask.
    const byTitle = new Map<string, any>(e.body.board.tasks.map((t: any) => [t.title, t]))
    expect([byTitle.get('Task t5').parentId, byTitle.get('Task t6').parentId]).toEqual([null, null])
    expect(byTitle.get('Task t4').parentId).toBe(byTitle.get('Rich task').id)
  })

  it('refuses a file that is not a TaskFlow export and a bad format, creating nothing', async () => {
    const { api, alice } = await setUp()
    const res = await api.call('POST', '/api/v1/projects/import/taskflow', {
      token: alice.token,
      body: { ...seed(), version: 2 },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toContain('not a TaskFlow JSON export')
    const list = await api.call('GET', '/api/v1/projects', { token: alice.token })
    // Only the project setUp shares with Bob.
    expect(list.body.projects.map((p: { name: string }) => p.name)).toEqual(['Shared'])
  })
})
