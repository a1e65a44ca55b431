import {
  addComment,
  createTask,
  getBoardView,
  mentionToken,
  moveTask,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../sync/sync-test-utils.js'
import {
  client,
  collabWorld,
  json,
  NO_COMPACTION,
  ok,
  type Person,
  relayed,
  signUp,
  startCollabServer,
  storedUntil,
} from '../test/collab.js'
import { queryStored, writeStored } from '../test/stored.js'

const DAY = 86_400_000

/** A member's notifications, newest first, without the "added" one of joining the world. */
const inbox = async (server: { url: string }, who: Person, all = false) =>
  (
    (await json(server, 'GET', '/notifications?limit=100', who.token)).body.notifications as any[]
  ).filter((x) => all || x.kind !== 'added')

/**
 * Waits until `who` has `n` notifications, then checks that no more arrive. Each look first
 * awaits the server's drain hook (commit, derive now, write, publish), the explicit signal
 * that everything derived from what the server received is written: a polling budget also
 * had to cover the debounce and the first fold's worker-thread start-up, which at load 20+
 * outran it in whichever test ran first. Looking again only waits for an update still on
 * its way to the server (a test that does not relay it through a second client).
 */
async function expectInbox(
  server: { url: string; idle(): Promise<void> },
  who: Person,
  n: number,
): Promise<any[]> {
  await pollDrained(
    server,
    '/notifications?limit=100',
    who.token,
    (b) => b.notifications.filter((x: any) => x.kind !== 'added').length >= n,
  )
  await server.idle()
  const list = await inbox(server, who)
  expect(list.map((x) => [x.kind, x.data.taskTitle ?? null])).toHaveLength(n)
  return list
}

/**
 * GETs `path` until `until(body)` holds, each look after the server's drain hook (see
 * expectInbox); looking again only waits for an update still on its way to the server.
 */
async function pollDrained(
  server: { url: string; idle(): Promise<void> },
  path: string,
  token: string,
  until: (body: any) => boolean,
): Promise<any> {
  let last: any
  for (let look = 0; look < 500; look++) {
    if (look > 0) await new Promise((res) => setTimeout(res, 20))
    await server.idle()
    const r = await json(server, 'GET', path, token)
    last = r.body
    if (r.status === 200 && until(r.body)) return r.body
  }
  throw new Error(`${path} never matched; last: ${JSON.stringify(last)}`)
}

/** Mail to `to`, without the sign-up link and the one about joining the world's project. */
function mails(
  dbFile: string,
  to: string,
): { subject: string; text: string; html: string | null; headers: string | null }[] {
  return queryStored<any>(
    dbFile,
    'SELECT subject, text, html, headers FROM mail_outbox WHERE to_address = ? ORDER BY id',
    [to],
  ).filter((m) => !m.subject.includes('added you to the project') && !isSignUpMail(m))
}

const isSignUpMail = (m: { text: string }) => m.text.includes('/verify-email/')

async function waitForMail(server: { dbFile: string; idle(): Promise<void> }, to: string) {
  const { dbFile } = server
  const all = () => {
    return queryStored<any>(dbFile, 'SELECT subject, text FROM mail_outbox WHERE to_address = ?', [
      to,
    ]).filter((m) => !isSignUpMail(m))
  }
  await storedUntil(server, () => all().length > 0, `mail to ${to}`)
  return all()[0] as { subject: string; text: string }
}

describe('notifications from board updates', () => {
  it('notifies assignment, mentions, comments and done to the right members, never the actor', async () => {
    const { server, projectId, ann, bob, cat, eve } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    await json(server, 'POST', '/notifications/read-all', bob.token)
    const [todo, , done] = getBoardView(a.doc).columns.map((c) => c.id) as [string, string, string]

    // Ann creates a task for Bob, Eve (not a member) and herself: only Bob hears of it.
    const id = ok(
      createTask(
        a.doc,
        { columnId: todo, title: 'Spec', assigneeIds: [ann.id, bob.id, eve.id] },
        { userId: ann.id },
      ),
    ).id
    await relayed(a.doc, b.doc)
    const [assigned] = await expectInbox(server, bob, 1)
    expect(assigned).toMatchObject({
      kind: 'assigned',
      projectId,
      taskId: id,
      actorId: ann.id,
      readAt: null,
      link: `/projects/${projectId}/tasks/${id}`,
      data: { projectName: 'Launch', taskTitle: 'Spec', actorName: 'ann' },
    })

    // Bob assigns Cat and mentions her in the description.
    ok(updateTask(b.doc, id, { assigneeIds: [ann.id, bob.id, cat.id] }))
    ok(updateTask(b.doc, id, { description: `Please review ${mentionToken(cat.id)}` }))
    await relayed(a.doc, b.doc)
    const catList = await expectInbox(server, cat, 2)
    expect(catList.map((x) => [x.kind, x.actorId]).sort()).toEqual([
      ['assigned', bob.id],
      ['mentioned', bob.id],
    ])

    // Ann comments mentioning Bob and Eve: Bob gets one mention (not also "comment"),
    // Cat (assignee, watching) a comment, Ann (creator, the actor) nothing, Eve nothing.
    ok(
      addComment(
        a.doc,
        id,
        { body: `Done? ${mentionToken(bob.id)} ${mentionToken(eve.id)}` },
        { userId: ann.id },
      ),
    )
    await relayed(a.doc, b.doc)
    const bobList = await expectInbox(server, bob, 2)
    expect(bobList[0]).toMatchObject({
      kind: 'mentioned',
      data: { excerpt: expect.stringContaining('Done?') },
    })
    const catAfter = await expectInbox(server, cat, 3)
    expect(catAfter[0]).toMatchObject({ kind: 'comment', actorId: ann.id })
    expect(await inbox(server, ann)).toEqual([])
    expect(await inbox(server, eve)).toEqual([])

    // Cat unwatches; Bob moves the task to Done: Ann (creator) hears, Cat does not.
    expect(
      (await json(server, 'DELETE', `/projects/${projectId}/tasks/${id}/watch`, cat.token)).body,
    ).toEqual({ watching: false })
    ok(moveTask(b.doc, id, { columnId: done }))
    await relayed(a.doc, b.doc)
    const annList = await expectInbox(server, ann, 1)
    expect(annList[0]).toMatchObject({
      kind: 'done',
      actorId: bob.id,
      data: { columnName: 'Done' },
    })
    await expectInbox(server, cat, 3)
    await expectInbox(server, bob, 2)

    // Read state: one, then all.
    expect((await json(server, 'GET', '/notifications/unread-count', bob.token)).body).toEqual({
      count: 2,
    })
    expect(
      (await json(server, 'POST', `/notifications/${bobList[0].id}/read`, bob.token)).status,
    ).toBe(204)
    expect(
      (await json(server, 'POST', `/notifications/${bobList[0].id}/read`, cat.token)).status,
    ).toBe(404)
    const unread = await json(server, 'GET', '/notifications?unread=true', bob.token)
    expect(unread.body.notifications.map((x: any) => x.id)).toEqual([bobList[1].id])
    expect(unread.body.unreadCount).toBe(1)
    expect((await json(server, 'POST', '/notifications/read-all', bob.token)).status).toBe(204)
    expect((await json(server, 'GET', '/notifications/unread-count', bob.token)).body).toEqual({
      count: 0,
    })
  })

  it('treats a subtask as a task: assigning one, and moving one to done, notify like any task (issue 14)', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    await json(server, 'POST', '/notifications/read-all', bob.token)
    const [todo, , done] = getBoardView(a.doc).columns.map((c) => c.id) as [string, string, string]
    const parent = ok(createTask(a.doc, { columnId: todo, title: 'Epic' }, { userId: ann.id })).id
    const sub = ok(
      createTask(
        a.doc,
        { columnId: todo, title: 'Part', parentId: parent, assigneeIds: [bob.id] },
        { userId: ann.id },
      ),
    ).id
    await relayed(a.doc, b.doc)
    const [assigned] = await expectInbox(server, bob, 1)
    expect(assigned).toMatchObject({
      kind: 'assigned',
      taskId: sub,
      link: `/projects/${projectId}/tasks/${sub}`,
      data: { taskTitle: 'Part' },
    })
    ok(moveTask(b.doc, sub, { columnId: done }))
    await relayed(a.doc, b.doc)
    const [finished] = await expectInbox(server, ann, 1)
    expect(finished).toMatchObject({ kind: 'done', taskId: sub, actorId: bob.id })
  })

  it('creates no duplicates when clients resend after a reconnect or a server restart', async () => {
    const { server, projectId, ann, bob, clock } = await collabWorld({ deps: NO_COMPACTION })
    const a = await client(server, projectId, ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(
      createTask(
        a.doc,
        { columnId: todo, title: 'Once', assigneeIds: [bob.id] },
        { userId: ann.id },
      ),
    ).id
    ok(addComment(a.doc, id, { body: `hey ${mentionToken(bob.id)}` }, { userId: ann.id }))
    await expectInbox(server, bob, 2)

    // Reconnect: the provider sends its whole state again.
    a.disconnect()
    a.connect()
    await waitFor(() => a.synced, 'resynced')
    await expectInbox(server, bob, 2)

    // Restart, with the derived position lost as in a crash: the log is replayed.
    const doc = a.doc
    a.destroy()
    await server.close()
    writeStored(
      server.dbFile,
      "UPDATE derivation_cursors SET seq = 0 WHERE consumer IN ('activity', 'notifications', 'webhooks')",
    )
    const again = await startCollabServer(clock, { dir: server.dir, deps: NO_COMPACTION })
    const a2 = await client(again, projectId, ann, doc)
    const b2 = await client(again, projectId, bob)
    await relayed(a2.doc, b2.doc)
    await pollDrained(
      again,
      `/projects/${projectId}/activity`,
      ann.token,
      (r) => r.entries.length >= 2,
    )
    await again.idle()
    expect(await inbox(again, bob)).toHaveLength(2)
    expect(mails(again.dbFile, bob.email)).toHaveLength(2)
  })

  it('notifies a mention written offline once its update reaches the server', async () => {
    const { server, projectId, ann, bob, cat } = await collabWorld()
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(createTask(a.doc, { columnId: todo, title: 'Offline' }, { userId: ann.id })).id
    await relayed(a.doc, b.doc)

    b.disconnect()
    ok(
      addComment(
        b.doc,
        id,
        { body: `written on a train ${mentionToken(cat.id)}` },
        { userId: bob.id },
      ),
    )
    await server.idle()
    expect(await inbox(server, cat)).toEqual([])
    b.connect()
    await relayed(a.doc, b.doc)
    const [n] = await expectInbox(server, cat, 1)
    expect(n).toMatchObject({ kind: 'mentioned', actorId: bob.id, data: { actorName: 'bob' } })
  })

  it('notifies a mention in the description of a new task, which is one activity entry', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const a = await client(server, projectId, ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(
      createTask(
        a.doc,
        { columnId: todo, title: 'Ask', description: `for ${mentionToken(bob.id)}` },
        { userId: ann.id },
      ),
    ).id
    const [n] = await expectInbox(server, bob, 1)
    expect(n).toMatchObject({ kind: 'mentioned', taskId: id, data: { in: 'description' } })
    const log = await json(server, 'GET', `/projects/${projectId}/activity`, bob.token)
    expect(log.body.entries.map((e: any) => e.kind)).toEqual(['task_created'])
  })

  it('respects preferences: in-app off, e-mail immediate or in a daily digest, one-click unsubscribe', async () => {
    const { server, projectId, ann, bob, cat, clock } = await collabWorld()
    // Cat: no in-app comment notifications, e-mail in the digest.
    const prefs = await json(server, 'PUT', '/notifications/preferences', cat.token, {
      emailMode: 'digest',
      triggers: { comment: { inApp: false } },
    })
    expect(prefs.status).toBe(200)
    expect(prefs.body.emailMode).toBe('digest')
    expect(prefs.body.triggers.comment).toEqual({ inApp: false, email: true })
    expect(prefs.body.triggers.assigned).toEqual({ inApp: true, email: true })

    const a = await client(server, projectId, ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(
      createTask(
        a.doc,
        { columnId: todo, title: 'Prefs', assigneeIds: [bob.id, cat.id] },
        { userId: ann.id },
      ),
    ).id
    ok(addComment(a.doc, id, { body: 'news' }, { userId: ann.id }))
    // Bob (defaults) gets two immediate mails; Cat sees only the assignment in-app, no mail yet.
    await expectInbox(server, bob, 2)
    await storedUntil(server, () => mails(server.dbFile, bob.email).length === 2, 'bob mails')
    const mail = mails(server.dbFile, bob.email).find((m) => m.subject.includes('assigned'))!
    expect(mail.subject).toBe('[TaskFlow] ann assigned you to "Prefs" in Launch')
    expect(mail.text).toContain(`/projects/${projectId}/tasks/${id}`)
    expect(mail.html).toContain('ann assigned you to &#34;Prefs&#34; in Launch')
    const catList = await expectInbox(server, cat, 1)
    expect(catList[0].kind).toBe('assigned')
    await server.runNotificationTick()
    expect(mails(server.dbFile, cat.email)).toEqual([])

    // Next day, after the digest hour (08:00 UTC): one digest with both, and unsubscribe links.
    clock.set(Date.UTC(2026, 10, 3, 8, 5))
    await server.runNotificationTick()
    await server.runNotificationTick()
    const digest = mails(server.dbFile, cat.email)
    expect(digest).toHaveLength(1)
    expect(digest[0]!.subject).toBe('[TaskFlow] Daily digest (2)')
    expect(digest[0]!.text).toContain('ann assigned you to "Prefs" in Launch')
    expect(digest[0]!.text).toContain('ann commented on "Prefs" in Launch')
    const linkOf = (label: string) => new RegExp(`${label}: (\\S+)`).exec(digest[0]!.text)![1]!
    const pathOf = (label: string) => {
      const url = new URL(linkOf(label))
      return url.pathname + url.search
    }
    const commentLink = pathOf('Stop e-mails about comment')
    const assignedLink = pathOf('Stop e-mails about assigned')
    // The mail client's unsubscribe button stops all notification e-mail (RFC 8058).
    expect(JSON.parse(digest[0]!.headers!)).toEqual({
      'List-Unsubscribe': `<${linkOf('Stop all notification e-mail')}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
    const oneClick = { method: 'POST', body: 'List-Unsubscribe=One-Click' }
    const cats = async () =>
      (await json(server, 'GET', '/notifications/preferences', cat.token)).body.triggers

    // Following the link only asks; the form's POST unsubscribes.
    const asked = await fetch(`${server.url}${commentLink}`)
    expect(asked.status).toBe(200)
    expect(await asked.text()).toContain('<form method="post"')
    expect((await cats()).comment).toEqual({ inApp: false, email: true })
    const res = await fetch(`${server.url}${commentLink}`, oneClick)
    expect(res.status).toBe(200)
    expect((await cats()).comment).toEqual({ inApp: false, email: false })
    // That unsubscribe retired the digest's other links: they change nothing now.
    const stale = await fetch(`${server.url}${assignedLink}`, oneClick)
    expect(stale.status).toBe(410)
    expect((await cats()).assigned).toEqual({ inApp: true, email: true })
    const tampered = await fetch(
      `${server.url}${commentLink.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`,
      oneClick,
    )
    expect(tampered.status).toBe(400)

    // Unsubscribed from comment e-mail and in-app off: a new comment reaches Cat nowhere.
    ok(addComment(a.doc, id, { body: 'more news' }, { userId: ann.id }))
    await expectInbox(server, bob, 3)
    clock.set(Date.UTC(2026, 10, 4, 9))
    await server.runNotificationTick()
    expect(mails(server.dbFile, cat.email)).toHaveLength(1)
  })

  it('tells assignees once per task and due date when a task is due within 24 h or overdue', async () => {
    const { server, projectId, ann, bob, cat, clock } = await collabWorld()
    const a = await client(server, projectId, ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    // Now: Mon 2 Nov 10:00 UTC. Due Tue 3 Nov (within 24 h), due Sat 7 Nov (not yet).
    const soon = ok(
      createTask(
        a.doc,
        { columnId: todo, title: 'Soon', dueDate: '2026-11-03', assigneeIds: [bob.id, ann.id] },
        { userId: ann.id },
      ),
    ).id
    const later = ok(
      createTask(
        a.doc,
        { columnId: todo, title: 'Later', dueDate: '2026-11-07', assigneeIds: [cat.id] },
        { userId: ann.id },
      ),
    ).id
    // The scheduler reads the reporting projection: wait for it.
    await pollDrained(
      server,
      `/projects/${projectId}/reports/workload`,
      ann.token,
      (r) => r.assignees?.length === 3,
    )
    await expectInbox(server, bob, 1) // the assignment
    await server.runNotificationTick()
    await server.runNotificationTick()
    const bobs = await expectInbox(server, bob, 2)
    expect(bobs[0]).toMatchObject({
      kind: 'due_soon',
      taskId: soon,
      actorId: null,
      data: { dueDate: '2026-11-03' },
    })
    // Ann is an assignee too: the scheduler is nobody's own action.
    expect((await inbox(server, ann)).map((x) => x.kind)).toEqual(['due_soon'])
    expect((await inbox(server, cat)).map((x) => x.kind)).toEqual(['assigned'])

    // A week later Later is overdue: one notification for Cat; Soon stays notified once.
    clock.advance(7 * DAY)
    await server.runNotificationTick()
    await server.runNotificationTick()
    const cats = await expectInbox(server, cat, 2)
    expect(cats[0]).toMatchObject({ kind: 'overdue', taskId: later })
    await expectInbox(server, bob, 2)
    // A new due date is a new event.
    ok(updateTask(a.doc, soon, { dueDate: '2026-11-10' }))
    await pollDrained(
      server,
      `/projects/${projectId}/reports/summary`,
      ann.token,
      (r) => r.dueNext7Days === 1,
    )
    await server.runNotificationTick()
    await expectInbox(server, bob, 3)
  })

  it('notifies someone added to a project by someone else, and streams live updates', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const dan = await signUp(server, 'dan')
    const controller = new AbortController()
    const res = await fetch(`${server.url}/api/v1/notifications/stream`, {
      headers: { authorization: `Bearer ${dan.token}` },
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events: { event: string; data: any }[] = []
    void (async () => {
      const reader = res.body!.getReader()
      const decoder = new TextDecoder()
      let buf = ''
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return
          buf += decoder.decode(value, { stream: true })
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const block = buf.slice(0, i)
            buf = buf.slice(i + 2)
            const event = /^event: (.*)$/m.exec(block)?.[1]
            const data = /^data: (.*)$/m.exec(block)?.[1]
            if (event && data) events.push({ event, data: JSON.parse(data) })
          }
        }
      } catch {
        // aborted
      }
    })()
    await waitFor(() => events.length >= 1, 'initial unread event')
    expect(events[0]).toEqual({ event: 'unread', data: { count: 0 } })

    const added = await json(server, 'POST', `/projects/${projectId}/members`, ann.token, {
      email: dan.email,
      role: 'member',
    })
    expect(added.status).toBe(201)
    await waitFor(
      () => events.some((e) => e.event === 'unread' && e.data.count === 1),
      'live count',
    )
    const live = events.find((e) => e.event === 'notification')!
    expect(live.data).toMatchObject({
      kind: 'added',
      projectId,
      actorId: ann.id,
      link: `/projects/${projectId}`,
    })
    const list = await inbox(server, dan, true)
    expect(list.map((x) => x.id)).toEqual([live.data.id])

    // A mention pushes too.
    const a = await client(server, projectId, ann)
    const todo = getBoardView(a.doc).columns[0]!.id
    const id = ok(createTask(a.doc, { columnId: todo, title: 'Live' }, { userId: ann.id })).id
    ok(addComment(a.doc, id, { body: `${mentionToken(dan.id)} look` }, { userId: ann.id }))
    await waitFor(
      () => events.some((e) => e.event === 'unread' && e.data.count === 2),
      'live mention',
    )
    expect(events.filter((e) => e.event === 'notification').map((e) => e.data.kind)).toEqual([
      'added',
      'mentioned',
    ])
    controller.abort()

    // Bob was added when the world was built: by Ann, so he has one "added" too.
    expect((await inbox(server, bob, true)).map((x) => x.kind)).toEqual(['added'])
    const danMail = await waitForMail(server, dan.email)
    expect(danMail.subject).toBe('[TaskFlow] ann added you to the project Launch')
    expect(danMail.text).toMatch(/Stop e-mails like this \(added\): http/)
    // Nobody is told about their own action.
    expect(await inbox(server, ann)).toEqual([])
  })

  it('ends open notification streams when the server shuts down', async () => {
    const { server, bob } = await collabWorld()
    const res = await fetch(`${server.url}/api/v1/notifications/stream`, {
      headers: { authorization: `Bearer ${bob.token}` },
    })
    const reader = res.body!.getReader()
    await reader.read() // the first unread event
    const t0 = performance.now()
    const closed = server.close()
    let done = false
    while (!done) done = (await reader.read()).done
    await closed
    // Waiting for the stream's keep-alive connection to time out takes at least Node's
    // keepAliveTimeout (5 s) however fast the machine is; closing it takes far less.
    expect(performance.now() - t0).toBeLessThan(5000)
  })
})
