import * as Y from 'yjs'
import { fail, ok, type Result } from './result.js'
import { numOrNull, type OpContext, runOp, str, strOrNull, type YMapAny } from './schema.js'
import { checkName } from './validate.js'

/**
 * Attachments on tasks and comments (docs/document-schema.md, A1–A4). The file itself
 * lives on the server, content-addressed by SHA-256; the document holds references only.
 *
 * References live in a root map `attachments` keyed by `taskId|commentId|sha256` (commentId
 * empty for the task itself), so that:
 * - one file is attached to one target at most once, and two replicas attaching the same
 *   file at once write the same key (one entry survives, A2);
 * - a reference is a Y.Map of its own: "stored" written by the uploader's device lands on
 *   the entry it was meant for, and is dropped if someone removed the entry meanwhile,
 *   never resurrecting it (A3);
 * - old tasks need no `attachments` sub-map created lazily (two replicas creating one at
 *   once would let one replace the other and lose its entries).
 */
export const ATTACHMENTS_ROOT = 'attachments'
/** Most attachments one task or comment may hold. */
export const MAX_ATTACHMENTS_PER_TARGET = 100
export const MAX_ATTACHMENT_NAME = 255
const SEP = '|'
const SHA256 = /^[0-9a-f]{64}$/
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/

/**
 * `uploading`: the file is still on `addedBy`'s device (added offline): readers show
 * "uploading from <name>'s device" until that device uploads it and marks it `stored`.
 */
export type AttachmentState = 'uploading' | 'stored'

export interface AttachmentInput {
  sha256: string
  name: string
  size: number
  /** Media type as the server answered it for the upload ('' when unknown). */
  type: string
  /** Default `stored`; `uploading` when the file is not on the server yet. */
  state?: AttachmentState
}

export interface AttachmentRef {
  /** The entry's key in the root map. */
  key: string
  taskId: string
  /** Null for an attachment of the task itself. */
  commentId: string | null
  sha256: string
  name: string
  size: number
  type: string
  addedBy: string | null
  addedAt: number | null
  state: AttachmentState
}

const attachmentKey = (taskId: string, commentId: string | null, sha256: string) =>
  `${taskId}${SEP}${commentId ?? ''}${SEP}${sha256}`

function root(doc: Y.Doc): Y.Map<YMapAny> {
  return doc.getMap<YMapAny>(ATTACHMENTS_ROOT)
}

function readRef(key: string, m: YMapAny): AttachmentRef | null {
  const [taskId, commentId, sha256] = key.split(SEP)
  if (!taskId || sha256 === undefined || !SHA256.test(sha256)) return null
  const size = numOrNull(m, 'size')
  return {
    key,
    taskId,
    commentId: commentId ? commentId : null,
    sha256,
    name: str(m, 'name', 'file'),
    size: size !== null && size >= 0 ? size : 0,
    type: str(m, 'type'),
    addedBy: strOrNull(m, 'addedBy'),
    addedAt: numOrNull(m, 'addedAt'),
    // Anything but `uploading` (a peer's bad write included) reads as stored: a download
    // that fails then says so, rather than a label that never goes away.
    state: m.get('state') === 'uploading' ? 'uploading' : 'stored',
  }
}

/** Every reference in the document (all tasks, trashed ones included), in key order. */
export function listBoardAttachments(doc: Y.Doc): AttachmentRef[] {
  const out: AttachmentRef[] = []
  root(doc).forEach((m, key) => {
    if (!(m instanceof Y.Map)) return
    const ref = readRef(key, m as YMapAny)
    if (ref) out.push(ref)
  })
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/**
 * The SHA-256 of every file the document refers to: what the server must keep (garbage
 * collection) and what an export's attachments manifest lists.
 */
export function referencedAttachmentHashes(doc: Y.Doc): Set<string> {
  const out = new Set<string>()
  for (const ref of listBoardAttachments(doc)) out.add(ref.sha256)
  return out
}

/** A task's attachments (`commentId` given: that comment's), oldest first. */
export function listAttachments(
  doc: Y.Doc,
  taskId: string,
  commentId: string | null = null,
): AttachmentRef[] {
  const prefix = `${taskId}${SEP}${commentId ?? ''}${SEP}`
  const out: AttachmentRef[] = []
  root(doc).forEach((m, key) => {
    if (!key.startsWith(prefix) || !(m instanceof Y.Map)) return
    const ref = readRef(key, m as YMapAny)
    if (ref) out.push(ref)
  })
  return out.sort(
    (a, b) => (a.addedAt ?? 0) - (b.addedAt ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  )
}

function targetExists(doc: Y.Doc, taskId: string, commentId: string | null): boolean {
  const task = doc.getMap<YMapAny>('tasks').get(taskId)
  if (!(task instanceof Y.Map)) return false
  if (commentId === null) return true
  const comments = task.get('comments')
  return comments instanceof Y.Map && comments.get(commentId) instanceof Y.Map
}

function checkInput(input: AttachmentInput): string | null {
  if (!input || typeof input !== 'object') return 'attachment must be an object'
  if (typeof input.sha256 !== 'string' || !SHA256.test(input.sha256)) {
    return 'sha256 must be 64 lower-case hex characters'
  }
  const badName = checkName(input.name, 'name', MAX_ATTACHMENT_NAME)
  if (badName) return badName
  if (/[/\\]/.test(input.name)) return 'name must not contain slashes'
  if (!Number.isSafeInteger(input.size) || input.size < 0) {
    return 'size must be a non-negative whole number of bytes'
  }
  if (typeof input.type !== 'string' || (input.type !== '' && !MEDIA_TYPE.test(input.type))) {
    return 'type must be a media type such as image/png, or empty'
  }
  if (input.state !== undefined && input.state !== 'uploading' && input.state !== 'stored') {
    return 'state must be uploading or stored'
  }
  return null
}

/**
 * Attaches a file to a task (or one of its comments) by `ctx.userId`. Attaching the same
 * file to the same target again only refreshes its name (one entry per file and target).
 * @example addAttachment(doc, taskId, null, { sha256, name: 'plan.pdf', size, type: 'application/pdf' }, { userId })
 */
export function addAttachment(
  doc: Y.Doc,
  taskId: string,
  commentId: string | null,
  input: AttachmentInput,
  ctx?: OpContext,
): Result<{ key: string }> {
  if (typeof taskId !== 'string' || (commentId !== null && typeof commentId !== 'string')) {
    return fail('invalid', 'taskId and commentId must be strings')
  }
  if (!targetExists(doc, taskId, commentId)) {
    return fail(
      'not_found',
      commentId ? `comment ${commentId} does not exist` : `task ${taskId} does not exist`,
    )
  }
  if (!ctx?.userId) return fail('invalid', 'an attachment needs the acting user (ctx.userId)')
  const bad = checkInput(input)
  if (bad) return fail('invalid', bad)
  const key = attachmentKey(taskId, commentId, input.sha256)
  const existing = root(doc).get(key)
  if (existing instanceof Y.Map) {
    return runOp(doc, ctx, () => {
      if (existing.get('name') !== input.name.trim()) existing.set('name', input.name.trim())
      if (input.state === 'stored' && existing.get('state') !== 'stored') {
        existing.set('state', 'stored')
      }
      return ok({ key })
    })
  }
  if (listAttachments(doc, taskId, commentId).length >= MAX_ATTACHMENTS_PER_TARGET) {
    return fail('invalid', `at most ${MAX_ATTACHMENTS_PER_TARGET} attachments per task or comment`)
  }
  return runOp(doc, ctx, (now) => {
    const m = new Y.Map<unknown>()
    m.set('name', input.name.trim())
    m.set('size', input.size)
    m.set('type', input.type)
    m.set('addedBy', ctx.userId)
    m.set('addedAt', now)
    m.set('state', input.state ?? 'stored')
    root(doc).set(key, m)
    return ok({ key })
  })
}

/** Removes one attachment (the file stays on the server until garbage collection). */
export function removeAttachment(doc: Y.Doc, key: string, ctx?: OpContext): Result<null> {
  if (typeof key !== 'string' || !(root(doc).get(key) instanceof Y.Map)) {
    return fail('not_found', `attachment ${String(key)} does not exist`)
  }
  return runOp(doc, ctx, () => {
    root(doc).delete(key)
    return ok(null)
  })
}

/**
 * Marks every reference to `sha256` that is still `uploading` as `stored`: called by the
 * device that uploaded the file, once the server has it. Returns how many it changed.
 */
export function markAttachmentStored(doc: Y.Doc, sha256: string, ctx?: OpContext): number {
  const pending: YMapAny[] = []
  root(doc).forEach((m, key) => {
    if (m instanceof Y.Map && key.endsWith(`${SEP}${sha256}`) && m.get('state') === 'uploading') {
      pending.push(m as YMapAny)
    }
  })
  if (pending.length === 0) return 0
  runOp(doc, ctx, () => {
    for (const m of pending) m.set('state', 'stored')
  })
  return pending.length
}
