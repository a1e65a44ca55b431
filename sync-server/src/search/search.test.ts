import { SNIPPET_MARK_END as E, SNIPPET_MARK_START as S } from '@taskflow/api'
import {
  addChecklistItem,
  addComment,
  createLabel,
  createTask,
  deleteTask,
  getBoardView,
  restoreTask,
  updateLabel,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { waitFor } from '../sync/sync-test-utils.js'
import { client, collabWorld, json, ok, signUp, startCollabServer } from '../test/collab.js'
import { queryStored, writeStored } from '../test/stored.js'

/** Waits until `peer` holds all of `doc` (the server committed it), then for derivations. */
async function settled(server: { idle(): Promise<void> }, doc: Y.Doc, peer: Y.Doc) {
  const sv = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('base64')
  await waitFor(() => sv(doc) === sv(peer), 'update relayed')
  await server.idle()
}

async function search(server: { url: string }, token: string, query: string) {
  const r = await json(server, 'GET', `/search?${query}`, token)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body.results as Array<{
    projectId: string
    projectName: string
    taskId: string
    title: string
    snippet: string
    score: number
  }>
}
const titles = (rs: Array<{ title: string }>) => rs.map((r) => r.title).sort()

async function world() {
  const w = await collabWorld()
  const ann = await client(w.server, w.projectId, w.ann)
  const bob = await client(w.server, w.projectId, w.bob)
  const [todo] = getBoardView(ann.doc).columns.map((c) => c.id)
  return { ...w, doc: ann.doc, peer: bob.doc, todo: todo! }
}

describe('GET /search', () => {
  it('finds tasks by any word of their title, description, comments, checklist or labels, by prefix', async () => {
    const w = await world()
    const label = ok(createLabel(w.doc, { name: 'Accounting', color: '#ef4444' }))
    const invoice = ok(
      createTask(w.doc, {
        columnId: w.todo,
        title: 'Ship the invoice export',
        description: 'Customers want a quarterly spreadsheet',
        labelIds: [label.id],
      }),
    ).id
    const other = ok(createTask(w.doc, { columnId: w.todo, title: 'Plan the offsite' })).id
    ok(addComment(w.doc, other, { body: 'Book the lighthouse venue' }, { userId: w.ann.id }))
    ok(addChecklistItem(w.doc, other, { text: 'Order zucchini bread' }))
    await settled(w.server, w.doc, w.peer)

    const [hit] = await search(w.server, w.ann.token, 'q=invoice')
    expect(hit).toMatchObject({
      projectId: w.projectId,
      projectName: 'Launch',
      taskId: invoice,
      title: 'Ship the invoice export',
      snippet: `Ship the ${S}invoice${E} export`,
    })
    expect(hit!.score).toEqual(expect.any(Number))
    expect(titles(await search(w.server, w.ann.token, 'q=quarter'))).toEqual([
      'Ship the invoice export',
    ])
    expect(titles(await search(w.server, w.bob.token, 'q=LIGHTHOUSE'))).toEqual([
      'Plan the offsite',
    ])
    expect(titles(await search(w.server, w.bob.token, 'q=zucch'))).toEqual(['Plan the offsite'])
    expect(titles(await search(w.server, w.bob.token, 'q=account'))).toEqual([
      'Ship the invoice export',
    ])
    // Every word must match; the title outranks the other fields.
    expect(titles(await search(w.server, w.bob.token, 'q=ship%20offsite'))).toEqual([])
    const the = await search(w.server, w.bob.token, 'q=the')
    expect(the).toHaveLength(2)
    expect(the[0]!.score).toBeGreaterThanOrEqual(the[1]!.score)
    expect(await search(w.server, w.bob.token, 'q=the&limit=1')).toHaveLength(1)
  })

  it('matches words without accents or case, split at punctuation, and shows the stored text', async () => {
    const w = await world()
    ok(createTask(w.doc, { columnId: w.todo, title: 'Café crème for bob@example.com' }))
    await settled(w.server, w.doc, w.peer)
    const [cafe] = await search(w.server, w.ann.token, 'q=cafe')
    expect(cafe!.snippet).toBe(`${S}Café${E} crème for bob@example.com`)
    const [mail] = await search(w.server, w.ann.token, 'q=exam')
    expect(mail!.snippet).toBe(`Café crème for bob@${S}example${E}.com`)
    expect(titles(await search(w.server, w.ann.token, `q=${encodeURIComponent('CRÈME')}`))).toEqual(
      ['Café crème for bob@example.com'],
    )
    expect(await search(w.server, w.ann.token, 'q=cafes')).toEqual([])
  })

  it('follows edits, renames, trash and restore', async () => {
    const w = await world()
    const label = ok(createLabel(w.doc, { name: 'urgent', color: '#ef4444' }))
    const id = ok(
      createTask(w.doc, { columnId: w.todo, title: 'Fix login', labelIds: [label.id] }),
    ).id
    await settled(w.server, w.doc, w.peer)
    expect(titles(await search(w.server, w.ann.token, 'q=login'))).toEqual(['Fix login'])

    ok(updateTask(w.doc, id, { title: 'Fix signup' }))
    await settled(w.server, w.doc, w.peer)
    expect(await search(w.server, w.ann.token, 'q=login')).toEqual([])
    expect(titles(await search(w.server, w.ann.token, 'q=signup'))).toEqual(['Fix signup'])

    ok(updateLabel(w.doc, label.id, { name: 'blocker' }))
    await settled(w.server, w.doc, w.peer)
    expect(await search(w.server, w.ann.token, 'q=urgent')).toEqual([])
    expect(titles(await search(w.server, w.ann.token, 'q=blocker'))).toEqual(['Fix signup'])

    ok(deleteTask(w.doc, id))
    await settled(w.server, w.doc, w.peer)
    expect(await search(w.server, w.ann.token, 'q=signup')).toEqual([])

    ok(restoreTask(w.doc, id))
    await settled(w.server, w.doc, w.peer)
    expect(titles(await search(w.server, w.ann.token, 'q=signup'))).toEqual(['Fix signup'])
  })

  it('searches only projects the caller can read: viewers yes, non-members never, archived only by id', async () => {
    const w = await world()
    const viewer = await signUp(w.server, 'vic')
    const added = await json(w.server, 'POST', `/projects/${w.projectId}/members`, w.ann.token, {
      email: viewer.email,
      role: 'viewer',
    })
    expect(added.status).toBe(201)
    ok(createTask(w.doc, { columnId: w.todo, title: 'Secret roadmap' }))
    // Eve's own project has a task with the same word: she sees that one only.
    const eves = await json(w.server, 'POST', '/projects', w.eve.token, { name: 'Eve' })
    const eveDoc = await client(w.server, eves.body.id, w.eve)
    const eveCol = getBoardView(eveDoc.doc).columns[0]!.id
    ok(createTask(eveDoc.doc, { columnId: eveCol, title: 'My roadmap' }))
    const eveCheck = await client(w.server, eves.body.id, w.eve)
    await settled(w.server, eveDoc.doc, eveCheck.doc)
    await settled(w.server, w.doc, w.peer)

    expect(titles(await search(w.server, viewer.token, 'q=roadmap'))).toEqual(['Secret roadmap'])
    expect(titles(await search(w.server, w.eve.token, 'q=roadmap'))).toEqual(['My roadmap'])
    expect(titles(await search(w.server, w.ann.token, 'q=roadmap'))).toEqual(['Secret roadmap'])
    const forbidden = await json(
      w.server,
      'GET',
      `/search?q=roadmap&projectId=${w.projectId}`,
      w.eve.token,
    )
    expect(forbidden.status).toBe(403)
    expect(JSON.stringify(forbidden.body)).not.toContain('Secret')
    const unknown = await json(
      w.server,
      'GET',
      '/search?q=roadmap&projectId=00000000-0000-4000-8000-000000000000',
      w.ann.token,
    )
    expect(unknown.status).toBe(404)

    const archived = await json(w.server, 'POST', `/projects/${w.projectId}/archive`, w.ann.token)
    expect(archived.status).toBe(200)
    expect(await search(w.server, viewer.token, 'q=roadmap')).toEqual([])
    expect(
      titles(await search(w.server, viewer.token, `q=roadmap&projectId=${w.projectId}`)),
    ).toEqual(['Secret roadmap'])
  })

  it('finds a task written through the task API with no board open (every writer is a client)', async () => {
    const w = await collabWorld()
    const created = await json(w.server, 'POST', `/projects/${w.projectId}/tasks`, w.ann.token, {
      title: 'Renew the TLS certificate',
      description: 'before it lapses',
    })
    expect(created.status).toBe(201)
    await w.server.idle()
    expect(titles(await search(w.server, w.bob.token, 'q=lapses'))).toEqual([
      'Renew the TLS certificate',
    ])
  })

  it('limits a project-limited API token to its projects', async () => {
    const w = await world()
    ok(createTask(w.doc, { columnId: w.todo, title: 'Launch roadmap' }))
    const other = await json(w.server, 'POST', '/projects', w.ann.token, { name: 'Other' })
    const otherDoc = await client(w.server, other.body.id, w.ann)
    const otherCol = getBoardView(otherDoc.doc).columns[0]!.id
    ok(createTask(otherDoc.doc, { columnId: otherCol, title: 'Other roadmap' }))
    const otherPeer = await client(w.server, other.body.id, w.ann)
    await settled(w.server, otherDoc.doc, otherPeer.doc)
    await settled(w.server, w.doc, w.peer)
    const created = await json(w.server, 'POST', '/me/tokens', w.ann.token, {
      name: 'CI',
      scope: 'read',
      projectIds: [w.projectId],
    })
    expect(created.status).toBe(201)
    const token: string = created.body.token
    expect(titles(await search(w.server, w.ann.token, 'q=roadmap'))).toEqual([
      'Launch roadmap',
      'Other roadmap',
    ])
    expect(titles(await search(w.server, token, 'q=roadmap'))).toEqual(['Launch roadmap'])
    const elsewhere = await json(
      w.server,
      'GET',
      `/search?q=roadmap&projectId=${other.body.id}`,
      token,
    )
    expect(elsewhere.status).toBe(404)
  })

  it('treats every character of the query as text: FTS operators neither work nor fail', async () => {
    const w = await world()
    ok(createTask(w.doc, { columnId: w.todo, title: 'NEAR miss (draft) "quoted" <b>bold</b>' }))
    ok(createTask(w.doc, { columnId: w.todo, title: 'Another draft' }))
    await settled(w.server, w.doc, w.peer)
    const hostile = [
      '"',
      '""',
      '*',
      'draft*',
      '"draft',
      'NEAR(miss draft)',
      'NEAR',
      '(',
      'draft)',
      'miss OR another',
      'draft NOT miss',
      'draft AND',
      '-draft',
      '^draft',
      'title:draft',
      'description:x',
      '{title}: draft',
      '\\',
      "'; DROP TABLE search_docs; --",
      '\u0002draft\u0003',
      'ß ǅ 🙂',
    ]
    for (const q of hostile) {
      const r = await json(w.server, 'GET', `/search?q=${encodeURIComponent(q)}`, w.ann.token)
      expect(r.status, q).toBe(200)
    }
    // Operator words are searched as words, and every word must match.
    expect(
      titles(await search(w.server, w.ann.token, `q=${encodeURIComponent('NEAR(miss')}`)),
    ).toEqual(['NEAR miss (draft) "quoted" <b>bold</b>'])
    expect(
      await search(w.server, w.ann.token, `q=${encodeURIComponent('miss OR another')}`),
    ).toEqual([])
    expect(
      titles(await search(w.server, w.ann.token, `q=${encodeURIComponent('"draft')}`)),
    ).toHaveLength(2)
    // Text comes back as text: the markers are the only thing added.
    const [hit] = await search(w.server, w.ann.token, 'q=bold')
    expect(hit!.snippet).toBe(`NEAR miss (draft) "quoted" <b>${S}bold${E}</b>`)
    // The table is still there.
    expect(await search(w.server, w.ann.token, 'q=another')).toHaveLength(1)
  })

  it('refuses an empty, blank or over-long query and bad parameters with 400, for a signed-in user only', async () => {
    const w = await collabWorld()
    for (const query of [
      '',
      'q=',
      'q=%20%20',
      `q=${'a'.repeat(201)}`,
      'q=a&limit=0',
      'q=a&limit=101',
      'q=a&limit=ten',
      'q=a&projectId=nope',
      'q=a&sort=new',
    ]) {
      const r = await json(w.server, 'GET', `/search?${query}`, w.ann.token)
      expect(r.status, query).toBe(400)
      expect(r.body.error.code).toBe('validation_failed')
    }
    expect((await json(w.server, 'GET', `/search?q=${'a'.repeat(200)}`, w.ann.token)).status).toBe(
      200,
    )
    expect((await json(w.server, 'GET', '/search?q=a')).status).toBe(401)
  })

  it('indexes projects that predate the index from their stored documents at start-up', async () => {
    const w = await world()
    ok(createTask(w.doc, { columnId: w.todo, title: 'Legacy task', description: 'old words' }))
    await settled(w.server, w.doc, w.peer)
    await w.server.close()
    // As the migration leaves an existing database: no search rows, the project listed.
    writeStored(w.server.dbFile, 'DELETE FROM search_docs')
    writeStored(w.server.dbFile, 'INSERT INTO search_backfill (project_id) VALUES (?)', [
      w.projectId,
    ])
    const again = await startCollabServer(w.clock, { dir: w.server.dir })
    expect(titles(await search(again, w.ann.token, 'q=words'))).toEqual(['Legacy task'])
    expect(
      queryStored<{ n: number }>(w.server.dbFile, 'SELECT count(*) AS n FROM search_backfill'),
    ).toEqual([{ n: 0 }])
  })
})
