import { readFileSync } from 'node:fs'
import { CsvPreviewSchema, ImportResultSchema } from '@taskflow/api'
import {
  type BoardView,
  createTask,
  getBoardView,
  getTask,
  getTaskBody,
  listComments,
  listLabels,
} from '@taskflow/board'
import { getTaskMarkdown } from '@taskflow/board/markdown'
import { describe, expect, it } from 'vitest'
import { loadStoredDocument } from '../projects/board-document.js'
import { insertMember } from '../projects/members.repository.js'
import { connectProvider, startSyncServer, waitFor, waitSynced } from '../sync/sync-test-utils.js'
import { json, signUp } from '../test/collab.js'
import { createTestApi, type TestApi } from '../test/test-api.js'
import { addSignedInUser } from '../test/world.js'
import { NOT_MATCHED } from './import-plan.js'

/*
 * The Trello fixture (src/test/fixtures/trello-board.json) is written by hand from
 * Trello's documented board export (the REST API's board object with its nested lists,
 * cards, labels, checklists, members and actions), not produced by this app.
 */
const TRELLO = JSON.parse(
  readFileSync(new URL('../test/fixtures/trello-board.json', import.meta.url), 'utf8'),
)

const addUser = (api: TestApi, email: string, name: string) => addSignedInUser(api, { email, name })

/** Alice and Bob are teammates (they share a project); Carol has an account and shares none. */
async function setUp(env: Record<string, string> = {}) {
  const api = await createTestApi({ env })
  const alice = await addUser(api, 'alice@example.org', 'Alice')
  const bob = await addUser(api, 'bob@example.org', 'Bob')
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

/** The board as the app shows it, read from the stored document. */
async function boardOf(api: TestApi, projectId: string) {
  const doc = await loadStoredDocument(api.db, projectId)
  return { doc, view: getBoardView(doc) }
}

const titles = (view: BoardView, column: string) =>
  view.columns.find((c) => c.name === column)!.tasks.map((t) => t.title)

async function projectCount(api: TestApi, token: string) {
  // Less the project setUp shares with Bob.
  return (await api.call('GET', '/api/v1/projects', { token })).body.projects.length - 1
}

describe('POST /projects/import/trello', () => {
  it('creates one project with the lists, cards, labels, checklists, comments and trash of the export', async () => {
    const { api, alice, bob } = await setUp()
    const res = await api.call('POST', '/api/v1/projects/import/trello', {
      token: alice.token,
      body: TRELLO,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(ImportResultSchema.safeParse(res.body).success).toBe(true)
    expect(res.body.project).toMatchObject({ name: 'Website relaunch', role: 'owner' })
    expect(res.body.imported).toEqual({
      columns: 4,
      tasks: 10,
      labels: 5,
      checklistItems: 12,
      comments: 3,
      trashed: 2,
      members: 1,
    })
    const skipped = res.body.skipped.map((s: { item: string; reason: string }) => s.item)
    expect(skipped).toContain('list "Old ideas"')
    expect(skipped).toContain('1 comment(s) on card 6554f0e0000000005e1a0999')
    expect(skipped.some((s: string) => s.endsWith(': comment'))).toBe(true)

    const { doc, view } = await boardOf(api, res.body.project.id)
    expect(view.columns.map((c) => [c.name, c.category])).toEqual([
      ['Backlog', 'todo'],
      ['Doing', 'in_progress'],
      ['Review', 'in_progress'],
      ['Done', 'done'],
    ])
    // Trello's pos order, fractional positions included.
    expect(titles(view, 'Backlog')).toEqual([
      'Write onboarding guide',
      'Set up CI pipeline',
      'Card with a very long checklist',
    ])
    expect(titles(view, 'Done')).toEqual(['Fix typo in footer', 'Ship v1.0'])
    expect(view.trash.map((t) => t.title).sort()).toEqual([
      'Dark mode',
      'Old landing page experiment',
    ])

    const labels = listLabels(doc)
    expect(labels.map((l) => [l.name, l.color])).toEqual([
      ['Backend', '#a855f7'],
      ['Bug', '#ef4444'],
      ['Frontend', '#22c55e'],
      ['No colour', '#64748b'],
      ['Sky', '#0ea5e9'],
    ])
    const labelName = new Map(labels.map((l) => [l.id, l.name]))

    const login = view.columns[1]!.tasks.find((t) => t.title.startsWith('Login'))!
    const detail = getTask(doc, login.id)!
    expect(detail.labelIds.map((id) => labelName.get(id)).sort()).toEqual(['Bug', 'Frontend'])
    expect([...detail.assigneeIds].sort()).toEqual([alice.id, bob.id].sort())
    expect(detail.startDate).toBe('2024-01-10')
    expect(detail.dueDate).toBe('2024-01-20')
    // The card's Markdown is rich text: its numbered steps are a list.
    expect(getTaskMarkdown(doc, login.id)).toContain('Steps:\n\n1. Open Safari 17')
    expect(
      getTaskBody(doc, login.id)!
        .toArray()
        .map((n) => (n as { nodeName?: string }).nodeName),
    ).toContain('orderedList')
    expect(detail.description).toContain('Trello members: Carol Nomail (@carolnomail)')
    expect(detail.description).toContain('Bug report: https://github.com/example/app/issues/42')
    expect(detail.checklistItems.map((i) => [i.text, i.done])).toEqual([
      ['Dev: Find the handler', true],
      ['Dev: Write a fix', false],
      ['QA: Reproduce on iOS', true],
    ])
    const comments = listComments(doc, login.id)
    expect(comments.map((c) => c.body)).toEqual([
      'Originally by Bob Builder on 2024-01-11T10:15:00.000Z (Trello):\n\nI can reproduce this on Safari 17.2.',
      'Originally by Carol Nomail on 2024-01-12T08:00:00.000Z (Trello):\n\nProbably the `onClick` handler. @bobbuilder can you check?',
    ])
    expect(comments.every((c) => c.authorId === alice.id)).toBe(true)
    expect(comments[0]!.createdAt).toBe(Date.parse('2024-01-11T10:15:00.000Z'))

    const ship = view.columns[3]!.tasks.find((t) => t.title === 'Ship v1.0')!
    expect(ship.completedAt).not.toBeNull()
    const review = getTask(doc, view.columns[2]!.tasks[0]!.id)!
    expect(review.description).toContain('Trello: due date marked complete')
    const ci = getTask(doc, view.columns[0]!.tasks[1]!.id)!
    // Items in pos order, not file order.
    expect(ci.checklistItems.map((i) => i.text)).toEqual([
      'Pick a runner',
      'Run tests',
      'Cache dependencies',
    ])
    doc.destroy()

    // Bob's e-mail matched an account: he is on the project; Carol (no e-mail) is not.
    const members = await api.call('GET', `/api/v1/projects/${res.body.project.id}/members`, {
      token: bob.token,
    })
    expect(
      members.body.members.map((m: { email: string; role: string }) => [m.email, m.role]),
    ).toEqual([
      ['alice@example.org', 'owner'],
      ['bob@example.org', 'member'],
    ])
  })

  it('adds only teammates: a stranger with an account is named like an unknown e-mail, not added', async () => {
    const { api, alice } = await setUp()
    const carol = await addUser(api, 'carol@example.org', 'Carol')
    const withPeople = (emails: string[]) => ({
      ...TRELLO,
      members: emails.map((email, i) => ({
        id: `m${i}`,
        fullName: `P${i}`,
        username: `p${i}`,
        email,
      })),
      cards: [{ ...TRELLO.cards[0], idMembers: ['m0', 'm1'] }],
      actions: [],
      checklists: [],
    })
    const stranger = await api.call('POST', '/api/v1/projects/import/trello', {
      token: alice.token,
      body: withPeople([carol.email, 'bob@example.org']),
    })
    const unknown = await api.call('POST', '/api/v1/projects/import/trello', {
      token: alice.token,
      body: withPeople(['nobody-here@example.org', 'bob@example.org']),
    })
    expect(stranger.status, JSON.stringify(stranger.body)).toBe(201)
    expect(unknown.status).toBe(201)
    const members = async (id: string) =>
      (
        await api.call('GET', `/api/v1/projects/${id}/members`, { token: alice.token })
      ).body.members.map((m: { email: string }) => m.email)
    expect(await members(stranger.body.project.id)).toEqual([
      'alice@example.org',
      'bob@example.org',
    ])
    expect(await members(unknown.body.project.id)).toEqual(['alice@example.org', 'bob@example.org'])
    // Carol was not told, and the answers differ only by the e-mail named.
    expect(
      (await api.call('GET', '/api/v1/projects', { token: carol.token })).body.projects,
    ).toEqual([])
    const mask = (b: { imported: unknown; skipped: unknown }, email: string) =>
      JSON.stringify({ imported: b.imported, skipped: b.skipped }).replaceAll(email, 'E')
    expect(mask(stranger.body, carol.email)).toBe(mask(unknown.body, 'nobody-here@example.org'))
    expect(stranger.body.skipped).toContainEqual(
      expect.objectContaining({ item: expect.stringContaining(carol.email), reason: NOT_MATCHED }),
    )
  })

  it('opens in a real client as the same board, which the importer can edit at once', async () => {
    const server = await startSyncServer({ env: { TASKFLOW_INSECURE_OPEN: '0' } })
    const ada = await signUp(server, 'ada')
    const res = await json(server, 'POST', '/projects/import/trello', ada.token, TRELLO)
    expect(res.status).toBe(201)
    const provider = connectProvider(server, res.body.project.id, { token: ada.token })
    await waitSynced(provider)
    const doc = provider.doc
    const view = getBoardView(doc)
    expect(view.columns.map((c) => c.tasks.length)).toEqual([3, 2, 1, 2])
    expect(view.trash).toHaveLength(2)
    expect(listComments(doc, view.columns[1]!.tasks[0]!.id)).toHaveLength(2)
    // A second client sees an edit made on top of the imported board.
    const other = connectProvider(server, res.body.project.id, { token: ada.token })
    await waitSynced(other)
    createTask(doc, { columnId: view.columns[0]!.id, title: 'Added after the import' })
    await waitFor(
      () => getBoardView(other.doc).columns[0]!.tasks.length === 4,
      'the edit reaches the other client',
    )
    // The import's history was derived (after the answer): the export carries it.
    await server.idle()
    const exported = await json(server, 'GET', `/projects/${res.body.project.id}/export`, ada.token)
    expect(exported.body.activity.length).toBeGreaterThanOrEqual(10)
    expect(new Set(exported.body.activity.map((a: { user: string }) => a.user))).toEqual(
      new Set([ada.email]),
    )
  })

  it('refuses a file that is not a Trello export and creates nothing', async () => {
    const { api, alice } = await setUp()
    for (const body of [{ name: 'x' }, { ...TRELLO, cards: 'no' }, '{"lists": [', '[]']) {
      const res = await api.call('POST', '/api/v1/projects/import/trello', {
        token: alice.token,
        body,
      })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toMatch(/validation_failed|bad_request/)
    }
    expect(await projectCount(api, alice.token)).toBe(0)
  })

  it('takes files past the ordinary body limit, up to TASKFLOW_IMPORT_MAX_BYTES (413 beyond)', async () => {
    const small = await setUp({ TASKFLOW_MAX_BODY_BYTES: '2048' })
    const ok = await small.api.call('POST', '/api/v1/projects/import/trello', {
      token: small.alice.token,
      body: TRELLO,
    })
    expect(ok.status).toBe(201)
    // Other routes keep the ordinary limit.
    const big = await small.api.call('POST', '/api/v1/projects', {
      token: small.alice.token,
      body: { name: 'x', description: 'y'.repeat(4000) },
    })
    expect(big.status).toBe(413)

    const tight = await setUp({ TASKFLOW_IMPORT_MAX_BYTES: '4096' })
    const res = await tight.api.call('POST', '/api/v1/projects/import/trello', {
      token: tight.alice.token,
      body: TRELLO,
    })
    expect(res.status).toBe(413)
    expect(res.body.error.code).toBe('payload_too_large')
    expect(await projectCount(tight.api, tight.alice.token)).toBe(0)
  })

  it('needs a signed-in user', async () => {
    const { api } = await setUp()
    const res = await api.call('POST', '/api/v1/projects/import/trello', { body: TRELLO })
    expect(res.status).toBe(401)
  })
})

const CSV =
  '\uFEFFTitle;Status;Due;Priority;Tags;Assigned to;Notes\r\n' +
  'Write spec;Backlog;04/12/2026;High;docs, planning;bob@example.org;"Line one\r\nline; two"\r\n' +
  'Build it;In progress;31/12/2026;urgent;planning;;\r\n' +
  'Ship it;Done;not a date;;;nobody@example.org;\r\n' +
  ';Backlog;;;;;no title\r\n'

describe('POST /projects/import/csv', () => {
  it('previews the delimiter, headers, first rows and a suggested mapping without creating anything', async () => {
    const { api, alice } = await setUp()
    const res = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: { csv: CSV, preview: true },
    })
    expect(res.status).toBe(200)
    expect(CsvPreviewSchema.safeParse(res.body).success).toBe(true)
    expect(res.body.delimiter).toBe(';')
    expect(res.body.headers).toEqual([
      'Title',
      'Status',
      'Due',
      'Priority',
      'Tags',
      'Assigned to',
      'Notes',
    ])
    expect(res.body.rowCount).toBe(4)
    expect(res.body.rows[0].Notes).toBe('Line one\r\nline; two')
    expect(res.body.suggestedMapping).toEqual({
      title: 'Title',
      column: 'Status',
      dueDate: 'Due',
      priority: 'Priority',
      labels: 'Tags',
      assignees: 'Assigned to',
      description: 'Notes',
    })
    expect(await projectCount(api, alice.token)).toBe(0)
  })

  it('keeps a hierarchy from id and parent columns (our CSV export, Jira, Linear): subtasks in row order', async () => {
    const { api, alice } = await setUp()
    const csv = [
      'id,title,parent_id',
      'T1,Epic,',
      'T2,Second part,T1',
      'T3,First part,T1',
      'T4,Detail,T3',
      'T5,Orphan,T9',
    ].join('\n')
    const preview = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: { csv, preview: true },
    })
    expect(preview.body.suggestedMapping).toEqual({ title: 'title', id: 'id', parent: 'parent_id' })
    const res = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: { csv, name: 'Tree', mapping: preview.body.suggestedMapping },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.skipped).toEqual([{ item: 'row 6: parent', reason: expect.any(String) }])
    // Read back through the JSON export: parent and place among the parent's subtasks.
    const exported = await api.call('GET', `/api/v1/projects/${res.body.project.id}/export`, {
      token: alice.token,
    })
    const all = exported.body.board.tasks as any[]
    const id = (title: string) => all.find((t) => t.title === title)!.id as string
    const subtasks = (title: string) =>
      all
        .filter((t) => t.parentId === id(title))
        .sort((a, b) => a.subtaskPosition - b.subtaskPosition)
        .map((t) => t.title)
    expect(subtasks('Epic')).toEqual(['Second part', 'First part'])
    expect(subtasks('First part')).toEqual(['Detail'])
    expect(all.find((t) => t.title === 'Orphan').parentId).toBeNull()
  })

  it('imports rows with the mapping and date format, naming every cell it could not read', async () => {
    const { api, alice, bob } = await setUp()
    const preview = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: { csv: CSV, preview: true },
    })
    const res = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: {
        csv: CSV,
        name: 'From a spreadsheet',
        mapping: preview.body.suggestedMapping,
        dateFormat: 'DD/MM/YYYY',
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.imported).toMatchObject({ columns: 3, tasks: 3, labels: 2, members: 1 })
    expect(res.body.skipped).toEqual(
      expect.arrayContaining([
        { item: 'row 5', reason: 'no title' },
        { item: 'row 4: dueDate', reason: '"not a date" is not a DD/MM/YYYY date' },
        {
          item: 'row 4: assignee nobody@example.org',
          reason: NOT_MATCHED,
        },
      ]),
    )
    const { doc, view } = await boardOf(api, res.body.project.id)
    expect(view.columns.map((c) => [c.name, c.category, c.tasks.map((t) => t.title)])).toEqual([
      ['Backlog', 'todo', ['Write spec']],
      ['In progress', 'in_progress', ['Build it']],
      ['Done', 'done', ['Ship it']],
    ])
    const spec = getTask(doc, view.columns[0]!.tasks[0]!.id)!
    expect(spec).toMatchObject({ dueDate: '2026-12-04', priority: 'high', assigneeIds: [bob.id] })
    expect(spec.description).toBe('Line one\nline; two')
    expect(getTask(doc, view.columns[1]!.tasks[0]!.id)!.dueDate).toBe('2026-12-31')
    expect(getTask(doc, view.columns[2]!.tasks[0]!.id)!.description).toContain('nobody@example.org')
    doc.destroy()
  })

  it('refuses a mapping to a missing column, and more than 100,000 rows, creating nothing', async () => {
    const { api, alice } = await setUp()
    const bad = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: { csv: CSV, name: 'x', mapping: { title: 'Nope' } },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain('mapping.title')
    const statuses = `title,status\n${Array.from({ length: 201 }, (_, i) => `t,s${i}`).join('\n')}`
    const wide = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: { csv: statuses, name: 'x', mapping: { title: 'title', column: 'status' } },
    })
    expect(wide.status).toBe(400)
    expect(wide.body.error.message).toContain('at most 200 columns')
    const rows = `title\n${'t\n'.repeat(100_001)}`
    const many = await api.call('POST', '/api/v1/projects/import/csv', {
      token: alice.token,
      body: { csv: rows, name: 'x', mapping: { title: 'title' } },
    })
    expect(many.status).toBe(413)
    expect(await projectCount(api, alice.token)).toBe(0)
  })
})
