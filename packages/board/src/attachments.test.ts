import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addAttachment,
  listAttachments,
  listBoardAttachments,
  markAttachmentStored,
  referencedAttachmentHashes,
  removeAttachment,
} from './attachments.js'
import { addComment } from './comments.js'
import { createTask, deleteTask } from './tasks.js'
import { columnIds, replicas, send, syncAll } from './test/replicas.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const SHA_A = 'a'.repeat(64)
const SHA_B = 'b'.repeat(64)
const ann = { userId: 'ann' }
const bob = { userId: 'bob' }
const file = (
  sha256: string,
  extra: Partial<{ name: string; state: 'uploading' | 'stored' }> = {},
) => ({
  sha256,
  name: 'photo.png',
  size: 1234,
  type: 'image/png',
  ...extra,
})

function setup(n = 2) {
  const docs = replicas(n)
  const task = must(createTask(docs[0]!, { columnId: columnIds(docs[0]!)[0]!, title: 'T' })).id
  const comment = must(addComment(docs[0]!, task, { body: 'see file' }, ann)).id
  syncAll(docs)
  return { docs, task, comment }
}

describe('attachments (docs/document-schema.md A1–A4)', () => {
  it('A1: attachments of a task and of its comments are listed apart, with who and when', () => {
    const { docs, task, comment } = setup(1)
    const d = docs[0]!
    must(addAttachment(d, task, null, file(SHA_A), { ...ann, now: 5 }))
    must(addAttachment(d, task, comment, file(SHA_B, { name: 'notes.txt' }), { ...ann, now: 6 }))
    expect(listAttachments(d, task).map((a) => [a.sha256, a.addedBy, a.addedAt, a.state])).toEqual([
      [SHA_A, 'ann', 5, 'stored'],
    ])
    expect(listAttachments(d, task, comment).map((a) => a.name)).toEqual(['notes.txt'])
    expect([...referencedAttachmentHashes(d)].sort()).toEqual([SHA_A, SHA_B])
  })

  it('A1: bad input is refused and changes nothing', () => {
    const { docs, task } = setup(1)
    const d = docs[0]!
    const bad = [
      file('A'.repeat(64)),
      file(SHA_A, { name: '../etc/passwd' }),
      file(SHA_A, { name: 'a\nb' }),
      { ...file(SHA_A), size: -1 },
      { ...file(SHA_A), type: 'text/html; charset=utf-8' },
    ]
    for (const input of bad) expect(addAttachment(d, task, null, input, ann).ok).toBe(false)
    expect(addAttachment(d, 'nope', null, file(SHA_A), ann).ok).toBe(false)
    expect(addAttachment(d, task, 'nope', file(SHA_A), ann).ok).toBe(false)
    expect(addAttachment(d, task, null, file(SHA_A)).ok).toBe(false)
    expect(listBoardAttachments(d)).toEqual([])
  })

  it('A2: the same file attached on two replicas at once is one attachment everywhere', () => {
    const { docs, task } = setup(2)
    must(addAttachment(docs[0]!, task, null, file(SHA_A, { name: 'a.png' }), ann))
    must(addAttachment(docs[1]!, task, null, file(SHA_A, { name: 'b.png' }), bob))
    syncAll(docs)
    const [l0, l1] = docs.map((d) => listAttachments(d, task))
    expect(l0).toHaveLength(1)
    expect(l0).toEqual(l1)
  })

  it('A3: concurrent add and remove converge; a re-add beats a concurrent remove', () => {
    const { docs, task } = setup(2)
    const key = must(addAttachment(docs[0]!, task, null, file(SHA_A), ann)).key
    must(addAttachment(docs[0]!, task, null, file(SHA_B), ann))
    syncAll(docs)
    must(removeAttachment(docs[0]!, key, ann))
    must(removeAttachment(docs[1]!, key, bob))
    // replica 0 attaches B again (refresh), replica 1 removes B
    const keyB = listAttachments(docs[1]!, task).find((a) => a.sha256 === SHA_B)!.key
    must(removeAttachment(docs[1]!, keyB, bob))
    syncAll(docs)
    const shas = docs.map((d) => listAttachments(d, task).map((a) => a.sha256))
    expect(shas[0]).toEqual([])
    expect(shas[1]).toEqual([])
    must(addAttachment(docs[0]!, task, null, file(SHA_A), ann))
    syncAll(docs)
    const again = listAttachments(docs[1]!, task)[0]!.key
    must(addAttachment(docs[0]!, task, null, file(SHA_A, { name: 'renamed.png' }), ann))
    must(removeAttachment(docs[1]!, again, bob))
    syncAll(docs)
    // The rename wrote into the entry the remove deleted: it is gone on both replicas.
    expect(docs.map((d) => listAttachments(d, task).length)).toEqual([0, 0])
  })

  it('A3: "stored" written after a concurrent remove does not bring the attachment back', () => {
    const { docs, task } = setup(2)
    const key = must(
      addAttachment(docs[0]!, task, null, file(SHA_A, { state: 'uploading' }), ann),
    ).key
    syncAll(docs)
    expect(listAttachments(docs[1]!, task)[0]!.state).toBe('uploading')
    must(removeAttachment(docs[1]!, key, bob))
    expect(markAttachmentStored(docs[0]!, SHA_A, ann)).toBe(1)
    syncAll(docs)
    expect(docs.map((d) => listAttachments(d, task).length)).toEqual([0, 0])
  })

  it('A4: an attachment added while uploading reads as uploading until its device marks it stored', () => {
    const { docs, task } = setup(2)
    must(addAttachment(docs[0]!, task, null, file(SHA_A, { state: 'uploading' }), ann))
    syncAll(docs)
    expect(listAttachments(docs[1]!, task).map((a) => [a.state, a.addedBy])).toEqual([
      ['uploading', 'ann'],
    ])
    markAttachmentStored(docs[0]!, SHA_A, ann)
    syncAll(docs)
    expect(listAttachments(docs[1]!, task)[0]!.state).toBe('stored')
  })

  it('A4: a trashed task keeps its attachments referenced (restore brings them back)', () => {
    const { docs, task } = setup(1)
    must(addAttachment(docs[0]!, task, null, file(SHA_A), ann))
    must(deleteTask(docs[0]!, task, ann))
    expect(referencedAttachmentHashes(docs[0]!).has(SHA_A)).toBe(true)
  })
})

describe('attachments converge under random operations and partitions (A1–A4)', () => {
  const SHAS = ['a', 'b', 'c'].map((c) => c.repeat(64))
  type Step =
    | {
        kind: 'add'
        replica: number
        onComment: boolean
        sha: number
        uploading: boolean
        name: string
      }
    | { kind: 'remove'; replica: number; pick: number }
    | { kind: 'stored'; replica: number; sha: number }
    | { kind: 'send'; from: number; to: number }
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('add' as const),
      replica: fc.nat(3),
      onComment: fc.boolean(),
      sha: fc.nat(2),
      uploading: fc.boolean(),
      name: fc.constantFrom('a.png', 'b.pdf', 'c.txt'),
    }),
    fc.record({ kind: fc.constant('remove' as const), replica: fc.nat(3), pick: fc.nat(5) }),
    fc.record({ kind: fc.constant('stored' as const), replica: fc.nat(3), sha: fc.nat(2) }),
    fc.record({ kind: fc.constant('send' as const), from: fc.nat(3), to: fc.nat(3) }),
  )

  it('every replica ends with the same attachments, one per (target, file)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 4 }),
        fc.array(stepArb, { maxLength: 50 }),
        (n, steps) => {
          const { docs, task, comment } = setup(n)
          for (const step of steps) {
            if (step.kind === 'send') {
              const from = docs[step.from % n]!
              const to = docs[step.to % n]!
              if (from !== to) send(from, to)
              continue
            }
            const d = docs[step.replica % n]!
            if (step.kind === 'add') {
              must(
                addAttachment(
                  d,
                  task,
                  step.onComment ? comment : null,
                  {
                    ...file(SHAS[step.sha]!, { name: step.name }),
                    state: step.uploading ? 'uploading' : 'stored',
                  },
                  { userId: `u${step.replica % n}` },
                ),
              )
            } else if (step.kind === 'remove') {
              const all = listBoardAttachments(d)
              if (all.length) must(removeAttachment(d, all[step.pick % all.length]!.key))
            } else markAttachmentStored(d, SHAS[step.sha]!)
          }
          syncAll(docs)
          const seen = docs.map((d) => listBoardAttachments(d))
          for (const s of seen) expect(s).toEqual(seen[0])
          const keys = seen[0]!.map((a) => `${a.taskId}|${a.commentId}|${a.sha256}`)
          expect(new Set(keys).size).toBe(keys.length)
        },
      ),
      { numRuns: 150 },
    )
  })
})
