import {
  createTask,
  getBoardView,
  getTaskBody,
  initBoard,
  mentionToken,
  moveTask,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardEvent } from './board-events.js'
import { EventTracker } from './event-tracker.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** A client document and the server's copy with its tracker, updates relayed as the room does. */
function world() {
  const client = new Y.Doc()
  initBoard(client, { name: 'B' })
  const server = new Y.Doc()
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
  const tracker = new EventTracker(server)
  let seq = 0
  /** Runs `edit` on the client and applies the resulting update on the server, as ann. */
  const relay = (edit: () => void): BoardEvent[] => {
    const before = Y.encodeStateVector(server)
    edit()
    const update = Y.encodeStateAsUpdate(client, before)
    seq++
    Y.applyUpdate(server, update, { seq, userId: 'ann', at: 1000 + seq })
    return tracker.take(seq)
  }
  return { client, relay, todo: getBoardView(client).columns[0]!.id }
}

const descriptionEvents = (events: BoardEvent[]) =>
  events.filter((e) => e.kind === 'field_changed' && e.subject === 'description')

// Inline content of a body's first paragraph, edited as TipTap's editor edits it.
const firstParagraph = (doc: Y.Doc, id: string) => getTaskBody(doc, id)!.get(0) as Y.XmlElement

describe('board events from rich-text task bodies', () => {
  it('sees typing inside a body as a description change of that task', () => {
    const { client, relay, todo } = world()
    let id = ''
    relay(() => {
      id = must(createTask(client, { columnId: todo, title: 'T', description: 'hello' })).id
    })
    const events = relay(() => (firstParagraph(client, id).get(0) as Y.XmlText).insert(5, ' you'))
    expect(descriptionEvents(events)).toEqual([
      expect.objectContaining({
        taskId: id,
        userId: 'ann',
        data: { field: 'description', mentionsAdded: [] },
      }),
    ])
  })

  it('finds a mention node and a typed mention token in a body as new mentions', () => {
    const { client, relay, todo } = world()
    let id = ''
    relay(() => {
      id = must(createTask(client, { columnId: todo, title: 'T', description: 'ask ' })).id
    })
    const node = relay(() => {
      const mention = new Y.XmlElement('mention')
      mention.setAttribute('id', 'u-bob')
      mention.setAttribute('label', 'Bob')
      firstParagraph(client, id).insert(1, [mention])
    })
    expect(descriptionEvents(node).map((e) => e.data)).toEqual([
      { field: 'description', mentionsAdded: ['u-bob'] },
    ])
    const typed = relay(() => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(`and ${mentionToken('u-cat')}`)])
      getTaskBody(client, id)!.insert(1, [p])
    })
    expect(descriptionEvents(typed).map((e) => e.data)).toEqual([
      { field: 'description', mentionsAdded: ['u-cat'] },
    ])
  })

  it('reports mentions in the description a task is created with, and whole-value writes', () => {
    const { client, relay, todo } = world()
    let id = ''
    const created = relay(() => {
      id = must(
        createTask(client, {
          columnId: todo,
          title: 'T',
          description: `for ${mentionToken('u-bob')}`,
        }),
      ).id
    })
    expect(descriptionEvents(created).map((e) => e.data)).toEqual([
      { field: 'description', mentionsAdded: ['u-bob'], initial: true },
    ])
    const written = relay(() =>
      must(updateTask(client, id, { description: `for ${mentionToken('u-bob')}\nand <@u-dan>` })),
    )
    expect(descriptionEvents(written).map((e) => e.data)).toEqual([
      { field: 'description', mentionsAdded: ['u-dan'] },
    ])
  })
})

describe('board events from concurrent moves (B10)', () => {
  // The server's copy and two offline clients; Bob's move is older than Ada's.
  function race() {
    const origin = new Y.Doc()
    initBoard(origin, { name: 'B' })
    const [todo, doing, done] = getBoardView(origin).columns.map((c) => c.id) as [
      string,
      string,
      string,
    ]
    const id = must(createTask(origin, { columnId: todo, title: 'Spec' }, { now: 0 })).id
    const server = new Y.Doc()
    Y.applyUpdate(server, Y.encodeStateAsUpdate(origin))
    const tracker = new EventTracker(server)
    const ada = new Y.Doc()
    const bob = new Y.Doc()
    for (const d of [ada, bob]) Y.applyUpdate(d, Y.encodeStateAsUpdate(origin))
    must(moveTask(bob, id, { columnId: doing }, { now: 1_000, userId: 'bob' }))
    must(moveTask(ada, id, { columnId: done }, { now: 2_000, userId: 'ada' }))
    let seq = 0
    const arrive = (from: Y.Doc, userId: string) => {
      seq++
      const update = Y.encodeStateAsUpdate(from, Y.encodeStateVector(server))
      Y.applyUpdate(server, update, { seq, userId, at: seq })
      return tracker
        .take(seq)
        .filter((e) => e.kind === 'task_moved' || e.kind === 'move_replaced')
        .map((e) => [e.kind, e.userId, e.data])
    }
    return { arrive, ada, bob, todo, doing, done }
  }

  const bobReplacedByAda = (todo: string, doing: string, done: string) =>
    expect.objectContaining({
      moverId: 'bob',
      fromColumnId: todo,
      fromColumnName: 'To do',
      toColumnId: doing,
      toColumnName: 'In progress',
      replacedById: 'ada',
      replacedByColumnId: done,
      replacedByColumnName: 'Done',
    })

  it('an older move arriving after a later one is a replaced move, naming the column its mover saw', () => {
    const { arrive, ada, bob, todo, doing, done } = race()
    expect(arrive(ada, 'ada')).toEqual([
      ['task_moved', 'ada', expect.objectContaining({ fromColumnName: 'To do', toColumnId: done })],
    ])
    expect(arrive(bob, 'bob')).toEqual([
      ['move_replaced', 'bob', bobReplacedByAda(todo, doing, done)],
    ])
  })

  it('a later move arriving after an older one names the column its mover saw, not the server’s previous one', () => {
    const { arrive, ada, bob, todo, doing, done } = race()
    expect(arrive(bob, 'bob')).toEqual([
      ['task_moved', 'bob', expect.objectContaining({ fromColumnId: todo, toColumnId: doing })],
    ])
    expect(arrive(ada, 'ada')).toEqual([
      [
        'task_moved',
        'ada',
        expect.objectContaining({ fromColumnId: todo, fromColumnName: 'To do', toColumnId: done }),
      ],
      ['move_replaced', 'ada', bobReplacedByAda(todo, doing, done)],
    ])
  })
})

describe('board events from a bulk edit (issue 15)', () => {
  it('one update changing several tasks gives one event per task', () => {
    const { client, relay, todo } = world()
    const done = getBoardView(client).columns.find((c) => c.category === 'done')!.id
    const ids = ['a', 'b', 'c'].map(
      (title) => must(createTask(client, { columnId: todo, title })).id,
    )
    relay(() => undefined)
    // What the app's bulk edit does: the board's ops nested in one transaction.
    const priority = relay(() =>
      client.transact(() => {
        for (const id of ids) updateTask(client, id, { priority: 'urgent' })
      }),
    )
    expect(priority.map((e) => [e.kind, e.subject, e.taskId]).sort()).toEqual(
      ids.map((id) => ['field_changed', 'priority', id]).sort(),
    )
    expect(new Set(priority.map((e) => e.seq)).size).toBe(1)
    const moved = relay(() =>
      client.transact(() => {
        for (const id of ids.slice(0, 2)) moveTask(client, id, { columnId: done })
      }),
    )
    expect(
      moved
        .filter((e) => e.kind === 'task_moved')
        .map((e) => e.taskId)
        .sort(),
    ).toEqual(ids.slice(0, 2).sort())
  })
})
