import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addComment,
  deleteComment,
  editComment,
  listComments,
  mentionToken,
  parseMentions,
  toggleReaction,
} from './comments.js'
import { getTask } from './subtasks.js'
import { createTask, deleteTask } from './tasks.js'
import { columnIds, replicas, syncAll } from './test/replicas.js'
import { getBoardView } from './views.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

function setup(n = 2) {
  const docs = replicas(n)
  const task = must(createTask(docs[0]!, { columnId: columnIds(docs[0]!)[0]!, title: 'T' })).id
  syncAll(docs)
  return { docs, task }
}

const ann = { userId: 'ann' }
const bob = { userId: 'bob' }

describe('comments (docs/document-schema.md C1–C5)', () => {
  it('C1: comments added concurrently all exist, ordered by creation time then id', () => {
    const { docs, task } = setup(3)
    must(addComment(docs[0]!, task, { body: 'first' }, { ...ann, now: 1 }))
    must(addComment(docs[1]!, task, { body: 'second' }, { ...bob, now: 2 }))
    must(addComment(docs[2]!, task, { body: 'third' }, { userId: 'cat', now: 3 }))
    syncAll(docs)
    for (const d of docs) {
      expect(listComments(d, task).map((c) => c.body)).toEqual(['first', 'second', 'third'])
    }
    expect(getBoardView(docs[0]!).columns[0]!.tasks[0]!.commentCount).toBe(3)
  })

  it('C2: concurrent edits of one comment merge by character', () => {
    const { docs, task } = setup()
    const id = must(addComment(docs[0]!, task, { body: 'Ship it' }, ann)).id
    syncAll(docs)
    // The same author on two devices edits the comment at once.
    must(editComment(docs[0]!, task, id, { body: 'Ship it today' }, ann))
    must(editComment(docs[1]!, task, id, { body: 'Please ship it' }, ann))
    syncAll(docs)
    expect(listComments(docs[0]!, task)[0]!.body).toBe('Please ship it today')
    expect(listComments(docs[1]!, task)).toEqual(listComments(docs[0]!, task))
  })

  it('C3: only the author edits; the author or an admin deletes; delete wins over a concurrent edit', () => {
    const { docs, task } = setup()
    const id = must(addComment(docs[0]!, task, { body: 'mine' }, ann)).id
    syncAll(docs)
    const before = Y.encodeStateAsUpdate(docs[1]!)
    expect(editComment(docs[1]!, task, id, { body: 'hijack' }, bob).ok).toBe(false)
    expect(deleteComment(docs[1]!, task, id, bob).ok).toBe(false)
    expect(Y.encodeStateAsUpdate(docs[1]!)).toEqual(before)
    must(editComment(docs[0]!, task, id, { body: 'mine, edited' }, ann))
    must(deleteComment(docs[1]!, task, id, { userId: 'bob', asAdmin: true }))
    syncAll(docs)
    const [c] = listComments(docs[0]!, task)
    expect(c!.deletedAt).not.toBeNull()
    expect(getTask(docs[0]!, task)!.commentCount).toBe(0)
    expect(editComment(docs[0]!, task, id, { body: 'again' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })
  })

  it('C4: reactions are per-user sets; first reactions with one emoji at once are both kept', () => {
    const { docs, task } = setup()
    const id = must(addComment(docs[0]!, task, { body: 'hi' }, ann)).id
    syncAll(docs)
    must(toggleReaction(docs[0]!, task, id, '👍', ann))
    must(toggleReaction(docs[1]!, task, id, '👍', bob))
    must(toggleReaction(docs[1]!, task, id, '🎉', bob))
    syncAll(docs)
    expect(listComments(docs[0]!, task)[0]!.reactions).toEqual({
      '👍': ['ann', 'bob'],
      '🎉': ['bob'],
    })
    expect(must(toggleReaction(docs[0]!, task, id, '👍', ann))).toEqual({ reacted: false })
    expect(listComments(docs[0]!, task)[0]!.reactions).toEqual({ '👍': ['bob'], '🎉': ['bob'] })
  })

  it("C4: a reaction concurrent with the comment's deletion leaves it deleted", () => {
    const { docs, task } = setup()
    const id = must(addComment(docs[0]!, task, { body: 'hi' }, ann)).id
    syncAll(docs)
    must(deleteComment(docs[0]!, task, id, ann))
    must(toggleReaction(docs[1]!, task, id, '👍', bob))
    syncAll(docs)
    const [c] = listComments(docs[1]!, task)
    expect(c!.deletedAt).not.toBeNull()
    expect(listComments(docs[0]!, task)).toEqual(listComments(docs[1]!, task))
  })

  it('C5: comments on a task deleted concurrently are kept and come back with it', () => {
    const { docs, task } = setup()
    must(deleteTask(docs[0]!, task))
    must(addComment(docs[1]!, task, { body: 'late' }, bob))
    syncAll(docs)
    expect(listComments(docs[0]!, task).map((c) => c.body)).toEqual(['late'])
  })

  it('mentions are user ids in the text, found in comments and descriptions', () => {
    const body = `Hey ${mentionToken('bob')} and ${mentionToken('cat-2')}, cc ${mentionToken('bob')}`
    expect(parseMentions(body)).toEqual(['bob', 'cat-2'])
    const { docs, task } = setup()
    must(addComment(docs[0]!, task, { body }, ann))
    expect(listComments(docs[0]!, task)[0]!.mentions).toEqual(['bob', 'cat-2'])
    expect(parseMentions('a <@> b <@x y> c')).toEqual([])
  })

  it('bad input changes nothing', () => {
    const { docs, task } = setup()
    const d = docs[0]!
    const id = must(addComment(d, task, { body: 'x' }, ann)).id
    const before = Y.encodeStateAsUpdate(d)
    for (const r of [
      addComment(d, 'nope', { body: 'x' }, ann),
      addComment(d, task, { body: '   ' }, ann),
      addComment(d, task, { body: 'x'.repeat(10_001) }, ann),
      addComment(d, task, { body: 'x' }),
      toggleReaction(d, task, id, '', ann),
      toggleReaction(d, task, id, 'a b', ann),
      toggleReaction(d, task, 'nope', '👍', ann),
    ]) {
      expect(r.ok).toBe(false)
    }
    expect(Y.encodeStateAsUpdate(d)).toEqual(before)
  })
})
