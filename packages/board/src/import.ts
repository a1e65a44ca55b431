import { generateNKeysBetween } from 'fractional-indexing'
import * as Y from 'yjs'
import { type BodyNode, fromXml, toXmlList } from './body-nodes.js'
import { checkBody, isEmoji } from './comments.js'
import { newId } from './ids.js'
import { writeMove } from './placement.js'
import { liveTasksIn, readColumn } from './read.js'
import { fail, ok, type Result } from './result.js'
import { bodyOf, plainTextBlocks } from './rich-text.js'
import { type OpContext, roots, runOp, type YMapAny } from './schema.js'
import { checkFields, type TaskFields } from './tasks.js'
import { writeParent } from './tree.js'
import { checkIdList, checkName, MAX_CHECKLIST_TEXT } from './validate.js'

/** A comment brought in by an import: written as the importer (`ctx.userId`), at `createdAt`. */
export interface ImportedComment {
  body: string
  createdAt: number
  editedAt?: number | null
  deletedAt?: number | null
  /** emoji → user ids. */
  reactions?: Record<string, readonly string[]>
}

/** A whole task as an importer knows it, with its own timestamps. */
export interface ImportedTask extends Partial<TaskFields> {
  title: string
  /** The rich-text description; when set, `description` is ignored. */
  body?: readonly BodyNode[] | null
  createdAt: number
  updatedAt?: number
  /** Set: the task goes straight to the trash. */
  deletedAt?: number | null
  /** Only read in a `done` column, where it defaults to `updatedAt`; elsewhere always null (B11). */
  completedAt?: number | null
  createdBy?: string | null
  checklist?: ReadonlyArray<{ text: string; done: boolean }>
  comments?: readonly ImportedComment[]
}

function checkImported(doc: Y.Doc, t: ImportedTask): string | null {
  if (!t || typeof t !== 'object') return 'task must be an object'
  const bad = checkFields(t)
  if (bad) return bad
  if (typeof t.title !== 'string') return 'title must be a string'
  for (const key of ['createdAt', 'updatedAt', 'deletedAt', 'completedAt'] as const) {
    const v = t[key]
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      return `${key} must be epoch milliseconds`
    }
  }
  const labels = roots(doc).labels
  const missing = t.labelIds?.find((id) => !labels.has(id))
  if (missing) return `label ${missing} does not exist`
  for (const item of t.checklist ?? []) {
    const b = checkName(item?.text, 'checklist text', MAX_CHECKLIST_TEXT)
    if (b) return b
    if (typeof item.done !== 'boolean') return 'checklist done must be a boolean'
  }
  if (t.body !== undefined && t.body !== null) {
    const b = checkNodes(t.body, 0)
    if (b) return b
  }
  for (const c of t.comments ?? []) {
    const b = checkBody(c?.body)
    if (b) return `comment ${b}`
    if (typeof c.createdAt !== 'number' || !Number.isFinite(c.createdAt)) {
      return 'comment createdAt must be epoch milliseconds'
    }
    for (const [emoji, users] of Object.entries(c.reactions ?? {})) {
      if (!isEmoji(emoji)) return 'reaction emoji must be one short symbol'
      const b = checkIdList(users, 'reaction users')
      if (b) return b
    }
  }
  return null
}

/**
 * Appends whole tasks (fields, checklist, comments, trash state and their original
 * timestamps) to the end of a column, in the given order, in one transaction: the board
 * operation behind imports. Comments are written as `ctx.userId` (the importer), who must
 * be set. Refuses the whole batch (nothing written) when any task is invalid, naming it
 * by index, so a caller can retry the others one by one.
 * @example importTasks(doc, columnId, [{ title: 'From Trello', createdAt: Date.parse('2024-01-02') }], { userId: me })
 */
export function importTasks(
  doc: Y.Doc,
  columnId: string,
  input: readonly ImportedTask[],
  ctx?: OpContext & {
    /**
     * The column's last order key, as the previous call answered (`lastOrder`): spares a
     * scan of every task per call when a caller appends many batches to one column.
     */
    after?: string | null
  },
): Result<{ ids: string[]; lastOrder: string | null }> {
  const col = typeof columnId === 'string' ? roots(doc).columns.get(columnId) : undefined
  if (!col) return fail('not_found', `column ${String(columnId)} does not exist`)
  if (!Array.isArray(input as unknown)) return fail('invalid', 'tasks must be a list')
  const hasComments = input.some((t) => (t?.comments?.length ?? 0) > 0)
  if (hasComments && !ctx?.userId) {
    return fail('invalid', 'comments need the acting user (ctx.userId)')
  }
  for (const [i, t] of input.entries()) {
    const bad = checkImported(doc, t)
    if (bad) return fail('invalid', `task ${i}: ${bad}`)
  }
  // One scan for the whole batch (or none): appending after the column's last key keeps order.
  let last = ctx?.after
  if (last === undefined) {
    const live = liveTasksIn(doc, columnId)
    last = live.length > 0 ? live[live.length - 1]!.order : null
  }
  if (input.length === 0) return ok({ ids: [], lastOrder: last })
  const keys = generateNKeysBetween(last, null, input.length)
  const category = readColumn(columnId, col).category
  return runOp(doc, ctx, (now) => {
    const ids: string[] = []
    input.forEach((t, i) => {
      const id = newId()
      const task = new Y.Map<unknown>()
      const body = new Y.XmlFragment()
      body.insert(0, t.body?.length ? toXmlList(t.body) : plainTextBlocks(t.description ?? ''))
      const createdAt = t.createdAt
      const updatedAt = t.updatedAt ?? createdAt
      task.set('title', new Y.Text(t.title.trim()))
      task.set('body', body)
      const completedAt = category === 'done' ? (t.completedAt ?? updatedAt) : null
      // A single move, stamped with the import time: it wins over nothing and is nobody's
      // move to be told about (`by` is the importer, like a task they created).
      writeMove(
        doc,
        task,
        { columnId, order: keys[i]!, completedAt },
        ctx?.userId ?? null,
        null,
        now,
      )
      const assignees = new Y.Map<unknown>()
      const labels = new Y.Map<unknown>()
      const checklist = new Y.Map<unknown>()
      const comments = new Y.Map<unknown>()
      task.set('assignees', assignees)
      task.set('labels', labels)
      task.set('checklist', checklist)
      task.set('comments', comments)
      task.set('priority', t.priority ?? 'none')
      task.set('startDate', t.startDate ?? null)
      task.set('dueDate', t.dueDate ?? null)
      task.set('estimate', t.estimate ?? null)
      task.set('createdAt', createdAt)
      task.set('createdBy', t.createdBy !== undefined ? t.createdBy : (ctx?.userId ?? null))
      task.set('updatedAt', updatedAt)
      task.set('deletedAt', t.deletedAt ?? null)
      roots(doc).tasks.set(id, task)
      for (const a of new Set(t.assigneeIds ?? [])) assignees.set(a, true)
      for (const l of new Set(t.labelIds ?? [])) labels.set(l, true)
      const itemKeys = generateNKeysBetween(null, null, t.checklist?.length ?? 0)
      t.checklist?.forEach((item, j) => {
        const m = new Y.Map<unknown>()
        checklist.set(newId(), m)
        m.set('text', item.text.trim())
        m.set('done', item.done)
        m.set('order', itemKeys[j]!)
      })
      for (const c of t.comments ?? []) addImportedComment(comments, c, ctx!.userId!)
      ids.push(id)
    })
    return ok({ ids, lastOrder: keys[keys.length - 1]! })
  })
}

/** One parent link of an import: `taskId` becomes a subtask of `parentId`. */
export interface ImportedParent {
  taskId: string
  parentId: string
}

/**
 * Rebuilds the hierarchy of imported tasks in one transaction: each link writes the task's
 * parent record (H1) and the links of one parent are its subtasks in the given order. Unlike
 * `setParent` it takes trashed tasks too, so a subtree imported into the trash keeps its
 * shape there. A link naming a missing task, the task itself, or closing a cycle with the
 * links before it is not written and comes back in `refused` (a file is not trusted to be a
 * tree): every task stays on the board, at top level.
 * @example importHierarchy(doc, [{ taskId: sub, parentId: parent }], { userId: me })
 */
export function importHierarchy(
  doc: Y.Doc,
  links: readonly ImportedParent[],
  ctx?: OpContext,
): Result<{ refused: ImportedParent[] }> {
  const tasks = roots(doc).tasks
  const parentOf = new Map<string, string>()
  const accepted: ImportedParent[] = []
  const refused: ImportedParent[] = []
  for (const link of links) {
    const { taskId, parentId } = link
    let fits = tasks.has(taskId) && tasks.has(parentId) && !parentOf.has(taskId)
    // Walking up from the parent must not reach the task (links form a forest).
    for (let p: string | undefined = parentId; fits && p !== undefined; p = parentOf.get(p)) {
      if (p === taskId) fits = false
    }
    if (!fits) {
      refused.push(link)
      continue
    }
    parentOf.set(taskId, parentId)
    accepted.push(link)
  }
  if (accepted.length === 0) return ok({ refused })
  const byParent = new Map<string, string[]>()
  for (const { taskId, parentId } of accepted) {
    const kids = byParent.get(parentId)
    if (kids) kids.push(taskId)
    else byParent.set(parentId, [taskId])
  }
  return runOp(doc, ctx, (now) => {
    for (const [parentId, kids] of byParent) {
      const keys = generateNKeysBetween(null, null, kids.length)
      kids.forEach((taskId, i) => {
        writeParent(doc, tasks.get(taskId)!, parentId, keys[i]!, ctx?.userId ?? null, now)
      })
    }
    return ok({ refused })
  })
}

function addImportedComment(comments: YMapAny, c: ImportedComment, authorId: string): void {
  const m = new Y.Map<unknown>()
  comments.set(newId(), m)
  m.set('body', new Y.Text(c.body))
  m.set('authorId', authorId)
  m.set('createdAt', c.createdAt)
  m.set('editedAt', c.editedAt ?? null)
  m.set('deletedAt', c.deletedAt ?? null)
  const reactions = new Y.Map<unknown>()
  m.set('reactions', reactions)
  for (const [emoji, users] of Object.entries(c.reactions ?? {})) {
    for (const u of users) reactions.set(`${emoji}|${u}`, true)
  }
}

const MAX_BODY_DEPTH = 32
const NODE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/

function checkNodes(nodes: unknown, depth: number): string | null {
  if (!Array.isArray(nodes)) return 'body must be a list of nodes'
  if (depth > MAX_BODY_DEPTH) return 'body is nested too deeply'
  for (const n of nodes as unknown[]) {
    if (!n || typeof n !== 'object') return 'body node must be an object'
    const node = n as Record<string, unknown>
    if ('text' in node) {
      if (typeof node.text !== 'string') return 'body text must be a string'
      continue
    }
    if (typeof node.type !== 'string' || !NODE_NAME.test(node.type)) {
      return 'body node type must be a node name'
    }
    if (node.content !== undefined) {
      const b = checkNodes(node.content, depth + 1)
      if (b) return b
    }
  }
  return null
}

/**
 * A task's rich-text body as nodes (lossless: every element, attribute, text run and
 * mark), null for a legacy task. `importTasks` rebuilds the same body from them.
 * @example const nodes = readBodyNodes(doc, taskId)
 */
export function readBodyNodes(doc: Y.Doc, taskId: string): BodyNode[] | null {
  const task = roots(doc).tasks.get(taskId)
  const body = task ? bodyOf(task) : null
  return body ? body.toArray().flatMap(fromXml) : null
}

export type { BodyNode }
