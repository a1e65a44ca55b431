import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { ERROR_CODES, type ImportSkipped, type Role } from '@taskflow/api'
import {
  type ColumnCategory,
  createColumn,
  createLabel,
  DEFAULT_COLUMNS,
  type ImportedComment,
  type ImportedTask,
  importHierarchy,
  importTasks,
  initBoard,
  MAX_BOARD_DESCRIPTION,
  MAX_DESCRIPTION,
  MAX_NAME,
  stripUnsafeNameChars,
} from '@taskflow/board'
import { markdownToBodyNodes } from '@taskflow/board/markdown'
import * as Y from 'yjs'
import { AppError } from '../http/app-error.js'

/**
 * What an importer (Trello, CSV, TaskFlow JSON) turns its input into: a board described
 * with its own keys (the source's ids) and people by e-mail. The service resolves the
 * people to accounts and `buildBoardUpdate` writes it as one document update.
 */
export interface ImportPlan {
  /** The project's name and description. */
  name: string
  description: string
  /** The board document's own name and description, when they differ from the project's. */
  board?: { name: string; description: string }
  columns: Array<{ key: string; name: string; category: ColumnCategory; wipLimit: number | null }>
  labels: Array<{ key: string; name: string; color: string }>
  tasks: PlannedTask[]
  /** People to look up by e-mail; found accounts join the project with `role`. */
  people: Array<{ email: string; role: Exclude<Role, 'owner'> }>
  /** Left out or changed while reading the input. */
  skipped: ImportSkipped[]
  /** Task descriptions are Markdown (Trello, CSV): read into rich text, unless `body` is set. */
  markdownDescriptions?: boolean
}

export interface PlannedTask
  extends Omit<ImportedTask, 'labelIds' | 'assigneeIds' | 'comments' | 'createdBy'> {
  /** How the task is named in `skipped` entries, e.g. `card "Fix login" (5f1c…)`. */
  ref: string
  /** The source's id of the task, when a subtask of the plan may name it as its parent. */
  key?: string
  /**
   * The parent (by the source's key) when the source has a hierarchy, and the task's place
   * among that parent's subtasks (null: after the placed ones, in the plan's order).
   */
  parent?: { key: string; position: number | null } | null
  columnKey: string
  labelKeys: string[]
  assigneeEmails: string[]
  createdByEmail?: string | null
  comments: Array<Omit<ImportedComment, 'reactions'> & { reactions?: Record<string, string[]> }>
}

export interface ImportCounts {
  columns: number
  tasks: number
  labels: number
  checklistItems: number
  comments: number
  trashed: number
  members: number
}

/**
 * More columns or labels than a person can use; past these an import is refused (400)
 * rather than building a board nobody can read (and each column costs a sort of the others).
 */
export const MAX_IMPORT_COLUMNS = 200
export const MAX_IMPORT_LABELS = 1000

/**
 * Why a person of the file is not assigned: the same whether or not an account has the
 * e-mail, so an import does not reveal who has one. Only teammates (accounts sharing a
 * project with the importer) are matched.
 */
export const NOT_MATCHED = 'not matched to one of your teammates: named in the description'

/** Tasks written per transaction; the event loop gets a turn between chunks. */
const CHUNK = 500

/**
 * Builds the whole board in a fresh Y.Doc through board operations, as `userId`, and
 * encodes it as one update. Emails resolve through `userIdByEmail` (assignees, reactions,
 * creators); unknown ones are dropped with a `skipped` entry. Yields to the event loop
 * between chunks, so a 10,000-card import does not stall other requests.
 */
export async function buildBoardUpdate(
  plan: ImportPlan,
  userIdByEmail: ReadonlyMap<string, string>,
  ctx: { userId: string; now: number },
): Promise<{
  update: Uint8Array
  /** The project's name and description as stored (made fit for our limits). */
  project: { name: string; description: string }
  counts: Omit<ImportCounts, 'members'>
  skipped: ImportSkipped[]
}> {
  if (plan.columns.length > MAX_IMPORT_COLUMNS || plan.labels.length > MAX_IMPORT_LABELS) {
    throw new AppError(
      400,
      ERROR_CODES.validation,
      `An import makes at most ${MAX_IMPORT_COLUMNS} columns and ${MAX_IMPORT_LABELS} labels; ` +
        `this one would make ${plan.columns.length} and ${plan.labels.length}` +
        ' (for a CSV file, map another column to the status)',
    )
  }
  const skipped = [...plan.skipped]
  const doc = new Y.Doc()
  const op = { userId: ctx.userId, now: ctx.now }
  // Names from a file are made fit for our rules here, so no input can fail the build.
  const project = {
    name: safeName(plan.name, 'Imported project', MAX_NAME, 'project name', skipped),
    description: clipText(plan.description, MAX_BOARD_DESCRIPTION, 'project description', skipped),
  }
  const meta = plan.board
    ? {
        name: safeName(plan.board.name, project.name, MAX_NAME, 'board name', skipped),
        description: clipText(
          plan.board.description,
          MAX_BOARD_DESCRIPTION,
          'board description',
          skipped,
        ),
      }
    : project
  const init = initBoard(doc, { ...meta, columns: [] }, op)
  if (!init.ok) throw new Error(`initBoard: ${init.error.message}`)
  const columns = plan.columns.length > 0 ? plan.columns : defaultColumns()
  const columnId = new Map<string, string>()
  for (const c of columns) {
    const name = safeName(c.name, 'Untitled column', MAX_NAME, `column "${c.name}"`, skipped)
    let r = createColumn(doc, { name, category: c.category, wipLimit: c.wipLimit }, op)
    if (!r.ok) {
      skipped.push({ item: `column "${name}"`, reason: `${r.error.message}: WIP limit dropped` })
      r = createColumn(doc, { name, category: c.category, wipLimit: null }, op)
    }
    if (!r.ok) throw new Error(`createColumn: ${r.error.message}`)
    columnId.set(c.key, r.value.id)
  }
  const labelId = new Map<string, string>()
  for (const l of plan.labels) {
    const r = createLabel(doc, { name: l.name, color: l.color }, op)
    if (r.ok) labelId.set(l.key, r.value.id)
    else skipped.push({ item: `label "${l.name}"`, reason: r.error.message })
  }
  const firstColumn = columnId.get(columns[0]!.key)!
  const byColumn = new Map<string, ImportedTask[]>()
  const refs = new Map<ImportedTask, string>()
  const planned = new Map<ImportedTask, PlannedTask>()
  for (const t of plan.tasks) {
    const task = resolveTask(t, labelId, userIdByEmail, skipped)
    planned.set(task, t)
    if (plan.markdownDescriptions && !task.body?.length && task.description) {
      task.body = markdownToBodyNodes(task.description)
      task.description = undefined
    }
    refs.set(task, t.ref)
    const col = columnId.get(t.columnKey) ?? firstColumn
    const list = byColumn.get(col)
    if (list) list.push(task)
    else byColumn.set(col, [task])
  }
  const counts = {
    columns: columns.length,
    tasks: 0,
    labels: labelId.size,
    checklistItems: 0,
    comments: 0,
    trashed: 0,
  }
  // The board id of each written task, by the source's key (for the hierarchy).
  const idByKey = new Map<string, string>()
  const wrote = (t: ImportedTask, id: string) => {
    const key = planned.get(t)!.key
    if (key !== undefined) idByKey.set(key, id)
  }
  for (const [col, tasks] of byColumn) {
    let after: string | null = null
    for (let i = 0; i < tasks.length; i += CHUNK) {
      const chunk = tasks.slice(i, i + CHUNK)
      let written = chunk
      const r = importTasks(doc, col, chunk, { ...op, after })
      if (r.ok) {
        after = r.value.lastOrder
        chunk.forEach((t, j) => {
          wrote(t, r.value.ids[j]!)
        })
      } else {
        // Something in the chunk is refused: write its tasks one by one and name the bad ones.
        written = []
        for (const t of chunk) {
          const one = importTasks(doc, col, [t], { ...op, after })
          if (one.ok) {
            after = one.value.lastOrder
            written.push(t)
            wrote(t, one.value.ids[0]!)
          } else {
            skipped.push({ item: refs.get(t)!, reason: one.error.message.replace(/^task 0: /, '') })
          }
        }
      }
      for (const t of written) {
        counts.tasks++
        counts.checklistItems += t.checklist?.length ?? 0
        counts.comments += t.comments?.length ?? 0
        if (t.deletedAt != null) counts.trashed++
      }
      await yieldToLoop()
    }
  }
  importParents(doc, plan.tasks, idByKey, op, skipped)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { update, project, counts, skipped }
}

/**
 * Puts each written subtask under its written parent, each parent's subtasks by their
 * position (then the plan's order). A link the board refuses (a parent not in the file or
 * not written, a cycle in a hand-edited file) leaves the task at top level, named in
 * `skipped`.
 */
function importParents(
  doc: Y.Doc,
  tasks: readonly PlannedTask[],
  idByKey: ReadonlyMap<string, string>,
  op: { userId: string; now: number },
  skipped: ImportSkipped[],
): void {
  const links = tasks
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.parent && t.key !== undefined && idByKey.has(t.key))
    .sort(
      (a, b) =>
        (a.t.parent!.position ?? Number.MAX_SAFE_INTEGER) -
          (b.t.parent!.position ?? Number.MAX_SAFE_INTEGER) || a.i - b.i,
    )
  const refOf = new Map<string, string>()
  const input = links.map(({ t }) => {
    const taskId = idByKey.get(t.key!)!
    refOf.set(taskId, t.ref)
    return { taskId, parentId: idByKey.get(t.parent!.key) ?? `missing:${t.parent!.key}` }
  })
  if (input.length === 0) return
  const r = importHierarchy(doc, input, op)
  if (!r.ok) throw new Error(`importHierarchy: ${r.error.message}`)
  for (const l of r.value.refused) {
    skipped.push({
      item: `${refOf.get(l.taskId)}: parent`,
      reason:
        'its parent is not among the tasks imported, or would make a cycle: kept at top level',
    })
  }
}

function safeName(
  value: string,
  fallback: string,
  max: number,
  item: string,
  skipped: ImportSkipped[],
): string {
  const clean = stripUnsafeNameChars(value)
  if (clean.length === 0) {
    skipped.push({ item, reason: `empty: named "${fallback}"` })
    return fallback
  }
  if (clean !== value) skipped.push({ item, reason: 'control or bidi characters removed' })
  return clipText(clean, max, item, skipped)
}

function clipText(value: string, max: number, item: string, skipped: ImportSkipped[]): string {
  if (value.length <= max) return value
  skipped.push({ item, reason: `cut to ${max} characters (was ${value.length})` })
  return value.slice(0, max)
}

function defaultColumns(): ImportPlan['columns'] {
  return DEFAULT_COLUMNS.map((c, i) => ({ key: `default-${i}`, ...c, wipLimit: null }))
}

function resolveTask(
  t: PlannedTask,
  labelId: ReadonlyMap<string, string>,
  userIdByEmail: ReadonlyMap<string, string>,
  skipped: ImportSkipped[],
): ImportedTask {
  const {
    ref,
    key,
    parent,
    columnKey,
    labelKeys,
    assigneeEmails,
    createdByEmail,
    comments,
    ...fields
  } = t
  const assigneeIds: string[] = []
  const unmatched: string[] = []
  for (const email of assigneeEmails) {
    const id = userIdByEmail.get(email.toLowerCase())
    if (id) assigneeIds.push(id)
    else {
      unmatched.push(email)
      skipped.push({
        item: `${ref}: assignee ${email}`,
        reason: NOT_MATCHED,
      })
    }
  }
  // Nobody to assign: the names stay on the task, as text.
  if (unmatched.length > 0 && !fields.body?.length) {
    const note = `Assigned before the import: ${unmatched.join(', ')}`
    const description = fields.description ? `${fields.description}\n\n${note}` : note
    if (description.length <= MAX_DESCRIPTION) fields.description = description
  }
  const labelIds = labelKeys.flatMap((k) => {
    const id = labelId.get(k)
    if (!id) skipped.push({ item: `${ref}: label ${k}`, reason: 'not among the labels imported' })
    return id ? [id] : []
  })
  const createdBy =
    createdByEmail === undefined
      ? undefined
      : createdByEmail === null
        ? null
        : (userIdByEmail.get(createdByEmail.toLowerCase()) ?? null)
  return {
    ...fields,
    assigneeIds,
    labelIds,
    ...(createdBy !== undefined ? { createdBy } : {}),
    comments: comments.map((c) => ({
      ...c,
      reactions: resolveReactions(c.reactions, userIdByEmail, ref, skipped),
    })),
  }
}

function resolveReactions(
  reactions: Record<string, string[]> | undefined,
  userIdByEmail: ReadonlyMap<string, string>,
  ref: string,
  skipped: ImportSkipped[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [emoji, emails] of Object.entries(reactions ?? {})) {
    const ids = emails.flatMap((e) => {
      const id = userIdByEmail.get(e.toLowerCase())
      if (!id)
        skipped.push({
          item: `${ref}: reaction ${emoji} by ${e}`,
          reason: 'not matched to one of your teammates',
        })
      return id ? [id] : []
    })
    if (ids.length > 0) out[emoji] = ids
  }
  return out
}
