import * as Y from 'yjs'
import { newId } from './ids.js'
import { fail, ok, type Result } from './result.js'
import {
  numOrNull,
  type OpContext,
  roots,
  runOp,
  str,
  strOrNull,
  subMap,
  type YMapAny,
} from './schema.js'
import { replaceText } from './text-edit.js'
import { checkText } from './validate.js'

export const MAX_COMMENT = 10_000
// Reactions are one key per (emoji, user): concurrent first reactions with one emoji never
// compete for a shared entry.
const REACTION_SEP = '|'
const MAX_EMOJI = 16

/**
 * A mention inside a comment or description: `<@userId>`, the user's id, never a name, so
 * renaming a user changes every chip and a mention cannot be spoofed by typing a name.
 * @example mentionToken('u1') // '<@u1>'
 */
export const mentionToken = (userId: string): string => `<@${userId}>`
/**
 * Every `<@userId>` token in a text, the id captured: for readers that render mentions
 * (chips, names). Global, so only for `matchAll` and `replace`, which do not keep its state.
 */
export const MENTION_PATTERN = /<@([A-Za-z0-9_-]{1,64})>/g

/** User ids mentioned in `text`, each once, in order of first appearance. */
export function parseMentions(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(MENTION_PATTERN)) if (!out.includes(m[1]!)) out.push(m[1]!)
  return out
}

export interface CommentView {
  id: string
  taskId: string
  body: string
  mentions: string[]
  /** As the writing client claimed it; show authors from the server's client binding instead. */
  authorId: string | null
  /** Yjs client id that created the comment: the key of the server's authorship binding. */
  authorClientId: number | null
  createdAt: number | null
  editedAt: number | null
  deletedAt: number | null
  /** emoji → ids of users who reacted, sorted. */
  reactions: Record<string, string[]>
}

// The map is created with the task (createTask): creating it lazily on two replicas at
// once would let one map replace the other and lose its comments.
function commentsOf(doc: Y.Doc, taskId: string): YMapAny | null {
  const task = typeof taskId === 'string' ? roots(doc).tasks.get(taskId) : undefined
  return task ? subMap(task, 'comments') : null
}

function findComment(doc: Y.Doc, taskId: string, commentId: string): YMapAny | null {
  const c = commentsOf(doc, taskId)?.get(commentId)
  return c instanceof Y.Map ? (c as YMapAny) : null
}

function readComment(taskId: string, id: string, c: YMapAny): CommentView {
  const body = c.get('body')
  const text = body instanceof Y.Text ? body.toString() : ''
  const reactions: Record<string, string[]> = {}
  for (const key of [...(subMap(c, 'reactions')?.keys() ?? [])].sort()) {
    const [emoji, userId] = key.split(REACTION_SEP)
    if (!emoji || !userId) continue
    const users = reactions[emoji]
    if (users) users.push(userId)
    else reactions[emoji] = [userId]
  }
  return {
    id,
    taskId,
    body: text,
    mentions: parseMentions(text),
    authorId: strOrNull(c, 'authorId'),
    authorClientId: c._item?.id.client ?? null,
    createdAt: numOrNull(c, 'createdAt'),
    editedAt: numOrNull(c, 'editedAt'),
    deletedAt: numOrNull(c, 'deletedAt'),
    reactions,
  }
}

/**
 * A task's comments in creation order (time, then id), deleted ones included with
 * `deletedAt` so a thread can show "comment deleted".
 */
export function listComments(doc: Y.Doc, taskId: string): CommentView[] {
  const out: CommentView[] = []
  commentsOf(doc, taskId)?.forEach((c, id) => {
    if (c instanceof Y.Map) out.push(readComment(taskId, id, c as YMapAny))
  })
  return out.sort(
    (a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}

/** Live (not deleted) comments of a task, for the card's counter. */
export function countComments(task: YMapAny): number {
  const comments = subMap(task, 'comments')
  if (!comments) return 0
  let n = 0
  for (const item of comments._map.values()) {
    if (item.deleted) continue
    const c = item.content.getContent()[0]
    if (c instanceof Y.Map && c.get('deletedAt') == null) n++
  }
  return n
}

/** Why a comment body is refused, or null (shared with importTasks). */
export function checkBody(body: unknown): string | null {
  const bad = checkText(body, 'body', MAX_COMMENT)
  if (bad) return bad
  return (body as string).trim().length === 0 ? 'body must not be empty' : null
}

/**
 * Adds a comment (markdown; mentions as `<@userId>`) to a task, by `ctx.userId`.
 * @example addComment(doc, taskId, { body: `Looks good ${mentionToken(bob)}` }, { userId: me })
 */
export function addComment(
  doc: Y.Doc,
  taskId: string,
  input: { body: string },
  ctx?: OpContext,
): Result<{ id: string }> {
  if (!commentsOf(doc, taskId)) return fail('not_found', `task ${taskId} does not exist`)
  if (!ctx?.userId) return fail('invalid', 'a comment needs the acting user (ctx.userId)')
  const bad = checkBody(input?.body)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, (now) => {
    const comments = commentsOf(doc, taskId)!
    const id = newId()
    const c = new Y.Map<unknown>()
    c.set('body', new Y.Text(input.body))
    c.set('authorId', ctx.userId)
    c.set('createdAt', now)
    c.set('editedAt', null)
    c.set('deletedAt', null)
    c.set('reactions', new Y.Map<unknown>())
    comments.set(id, c)
    return ok({ id })
  })
}

/** Edits your own comment; concurrent edits of one comment merge by character (C2). */
export function editComment(
  doc: Y.Doc,
  taskId: string,
  commentId: string,
  input: { body: string },
  ctx?: OpContext,
): Result<null> {
  const c = findComment(doc, taskId, commentId)
  if (!c) return fail('not_found', `comment ${commentId} does not exist`)
  if (!ctx?.userId || str(c, 'authorId') !== ctx.userId) {
    return fail('invalid', 'only the author can edit a comment')
  }
  if (c.get('deletedAt') != null) return fail('conflict', 'the comment was deleted')
  const bad = checkBody(input?.body)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, (now) => {
    replaceText(c.get('body') as Y.Text, input.body)
    c.set('editedAt', now)
    return ok(null)
  })
}

/**
 * Deletes a comment (soft: the thread shows it as deleted). Authors delete their own;
 * `asAdmin` (the caller checked the project role) deletes any.
 */
export function deleteComment(
  doc: Y.Doc,
  taskId: string,
  commentId: string,
  ctx?: OpContext & { asAdmin?: boolean },
): Result<null> {
  const c = findComment(doc, taskId, commentId)
  if (!c) return fail('not_found', `comment ${commentId} does not exist`)
  if (!ctx?.asAdmin && (!ctx?.userId || str(c, 'authorId') !== ctx.userId)) {
    return fail('invalid', 'only the author or an admin can delete a comment')
  }
  return runOp(doc, ctx, (now) => {
    if (c.get('deletedAt') == null) c.set('deletedAt', now)
    return ok(null)
  })
}

/** True for a reaction key's emoji part: one short symbol, no separator or space. */
export function isEmoji(emoji: unknown): emoji is string {
  return (
    typeof emoji === 'string' &&
    emoji.length > 0 &&
    emoji.length <= MAX_EMOJI &&
    !/[\s|]/.test(emoji)
  )
}

/** Adds or removes `ctx.userId`'s reaction with `emoji` (a set per emoji, C4). */
export function toggleReaction(
  doc: Y.Doc,
  taskId: string,
  commentId: string,
  emoji: string,
  ctx?: OpContext,
): Result<{ reacted: boolean }> {
  const c = findComment(doc, taskId, commentId)
  if (!c) return fail('not_found', `comment ${commentId} does not exist`)
  if (!ctx?.userId) return fail('invalid', 'a reaction needs the acting user (ctx.userId)')
  if (!isEmoji(emoji)) {
    return fail('invalid', 'emoji must be one short symbol')
  }
  const key = `${emoji}${REACTION_SEP}${ctx.userId}`
  return runOp(doc, ctx, () => {
    const reactions = subMap(c, 'reactions')!
    if (reactions.has(key)) {
      reactions.delete(key)
      return ok({ reacted: false })
    }
    reactions.set(key, true)
    return ok({ reacted: true })
  })
}
