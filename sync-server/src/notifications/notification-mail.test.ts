import { UNSAFE_NAME_CHARS as API_RULE } from '@taskflow/api'
import {
  UNSAFE_NAME_CHARS as BOARD_RULE,
  createTask,
  getBoardView,
  getTaskText,
  moveTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { client, collabWorld, ok, poll, storedUntil } from '../test/collab.js'
import { queryStored } from '../test/stored.js'

/** Mail to `to` in the outbox after the sign-up link, oldest first. */
function mails(dbFile: string, to: string): { subject: string; text: string; html: string }[] {
  return queryStored(
    dbFile,
    `SELECT subject, text, html FROM mail_outbox
     WHERE to_address = ? AND text NOT LIKE '%/verify-email/%' ORDER BY id`,
    [to],
  )
}

// What a client writing raw Yjs (skipping the board operations) can put into names.
const INJECTION = '\r\nBcc: evil@example.org <img src=x onerror=alert(1)>\u202Egnp.exe\u0000'

describe('names from board documents in notifications and e-mail', () => {
  it('reach subjects as one line without controls or bidi overrides, and HTML bodies escaped', async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const a = await client(server, projectId, ann)
    const [todo, , done] = getBoardView(a.doc).columns.map((c) => c.id) as [string, string, string]
    a.doc.transact(() => {
      const id = ok(
        createTask(
          a.doc,
          { columnId: todo, title: 'Spec', assigneeIds: [bob.id] },
          { userId: ann.id },
        ),
      ).id
      getTaskText(a.doc, id, 'title')!.insert(4, INJECTION)
      a.doc.getMap<Y.Map<unknown>>('columns').get(done)!.set('name', `Done${INJECTION}`)
    })
    const taskId = getBoardView(a.doc).columns[0]!.tasks[0]!.id
    ok(moveTask(a.doc, taskId, { columnId: done }, { userId: ann.id }))

    await storedUntil(
      server,
      () => mails(server.dbFile, bob.email).length >= 3,
      'assigned and done mails',
    )
    const sent = mails(server.dbFile, bob.email).filter((m) => !m.subject.includes('added you'))
    expect(sent.map((m) => m.subject)).toEqual([
      '[TaskFlow] ann assigned you to "Spec Bcc: evil@example.org <img src=x onerror=alert(1)>gnp.exe" in Launch',
      '[TaskFlow] ann moved "Spec Bcc: evil@example.org <img src=x onerror=alert(1)>gnp.exe" to Done Bcc: evil@example.org <img src=x onerror=alert(1)>gnp.exe in Launch',
    ])
    for (const m of sent) {
      expect(m.html).not.toContain('<img')
      expect(m.html).toContain('&#60;img src=x onerror=alert(1)&#62;')
      for (const c of ['\u0000', '\u202E']) expect(m.text + m.html).not.toContain(c)
    }

    // The in-app notification carries the same one-line names.
    const list = await poll(server, '/notifications?limit=10', bob.token, (b) =>
      b.notifications.some((n: any) => n.kind === 'done'),
    )
    const doneNote = list.notifications.find((n: any) => n.kind === 'done')
    expect(doneNote.data.columnName).toBe(
      'Done Bcc: evil@example.org <img src=x onerror=alert(1)>gnp.exe',
    )
    expect(BOARD_RULE.test(doneNote.data.taskTitle)).toBe(false)
  })

  it('project and user names over REST refuse exactly what board names refuse', () => {
    for (let cp = 0; cp <= 0x3000; cp++) {
      const c = String.fromCodePoint(cp)
      expect(API_RULE.test(c), `U+${cp.toString(16)}`).toBe(BOARD_RULE.test(c))
    }
  })
})
