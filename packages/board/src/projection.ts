import type * as Y from 'yjs'
import type { FieldRaw, FieldType } from './custom-fields.js'
import { listFields } from './custom-fields.js'
import type { ColumnCategory, Priority } from './schema.js'
import { roots } from './schema.js'
import type { TaskTree } from './tree.js'
import { boardIndex } from './view-store.js'
import { getBoardView, readContext, readTaskSummary } from './views.js'

/** One task as a plain row, for the server's relational reporting tables. */
export interface TaskRow {
  taskId: string
  title: string
  columnId: string
  columnName: string
  category: ColumnCategory
  order: string
  assigneeIds: string[]
  labelIds: string[]
  priority: Priority
  estimate: number | null
  startDate: string | null
  dueDate: string | null
  createdAt: number | null
  createdBy: string | null
  updatedAt: number | null
  completedAt: number | null
  deletedAt: number | null
  checklistDone: number
  checklistTotal: number
  /** The parent task as every view shows it (H1–H5); null at top level. */
  parentId: string | null
  /**
   * Stored custom-field values, one row per scalar or per option of a set (F9): raw, so a
   * change of a field's type or options needs no rewrite of task rows; reports apply the
   * field definitions (`FieldRow`) when they read.
   */
  fieldValues: FieldValueRow[]
}

/** One stored value of a task: `optionId` for select values, else text or number. */
export interface FieldValueRow {
  fieldId: string
  optionId: string | null
  text: string | null
  number: number | null
}

/** A field definition as the reporting tables hold it (deleted ones included). */
export interface FieldRow {
  fieldId: string
  name: string
  type: FieldType
  position: number
  deleted: boolean
  options: Array<{ optionId: string; name: string; color: string; position: number }>
}

export interface ColumnRow {
  columnId: string
  name: string
  category: ColumnCategory
  position: number
  wipLimit: number | null
}

export interface BoardProjection {
  schemaVersion: number | null
  name: string
  description: string
  columns: ColumnRow[]
  /** Every task, deleted ones included (with `deletedAt`), sorted by id. */
  tasks: TaskRow[]
  fields: FieldRow[]
}

function toRow(
  t: ReturnType<typeof readTaskSummary>,
  col: { name: string; category: ColumnCategory },
): TaskRow {
  return {
    taskId: t.id,
    title: t.title,
    columnId: t.columnId,
    columnName: col.name,
    category: col.category,
    order: t.order,
    assigneeIds: [...t.assigneeIds],
    labelIds: [...t.labelIds],
    priority: t.priority,
    estimate: t.estimate,
    startDate: t.startDate,
    dueDate: t.dueDate,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    updatedAt: t.updatedAt,
    completedAt: t.completedAt,
    deletedAt: t.deletedAt,
    checklistDone: t.checklist.done,
    checklistTotal: t.checklist.total,
    fieldValues: fieldValueRows(t.fields),
    parentId: t.parentId,
  }
}

function fieldValueRows(values: Readonly<Record<string, FieldRaw>>): FieldValueRow[] {
  const out: FieldValueRow[] = []
  for (const [fieldId, v] of Object.entries(values)) {
    if (Array.isArray(v)) {
      for (const optionId of v) out.push({ fieldId, optionId, text: null, number: null })
    } else if (typeof v === 'number') out.push({ fieldId, optionId: null, text: null, number: v })
    else if (typeof v === 'boolean') {
      out.push({ fieldId, optionId: null, text: null, number: v ? 1 : 0 })
    } else {
      // A string may be an option id (select), a date, a user id, a URL or text: kept in
      // both columns so a select's group-by joins on option_id without knowing the type.
      out.push({ fieldId, optionId: v as string, text: v as string, number: null })
    }
  }
  return out.sort((a, b) =>
    a.fieldId < b.fieldId
      ? -1
      : a.fieldId > b.fieldId
        ? 1
        : (a.optionId ?? '') < (b.optionId ?? '')
          ? -1
          : 1,
  )
}

/**
 * The project's field definitions as rows (deleted ones flagged), in field order.
 * @example projectFields(doc).filter((f) => f.type === 'single_select' && !f.deleted)
 */
export function projectFields(doc: Y.Doc): FieldRow[] {
  return listFields(doc, { includeDeleted: true }).map((f, position) => ({
    fieldId: f.id,
    name: f.name,
    type: f.type,
    position,
    deleted: f.deletedAt !== null,
    options: f.options.map((o, i) => ({
      optionId: o.id,
      name: o.name,
      color: o.color,
      position: i,
    })),
  }))
}

/**
 * The document as plain rows: what reports and notifications read from SQL. A task
 * shows under the column it is displayed in (B12) with that column's category.
 * @example projectBoard(doc).tasks.filter((t) => t.category === 'done').length
 */
export function projectBoard(doc: Y.Doc): BoardProjection {
  const view = getBoardView(doc)
  const columns = view.columns.map((c, position) => ({
    columnId: c.id,
    name: c.name,
    category: c.category,
    position,
    wipLimit: c.wipLimit,
  }))
  const byId = new Map(columns.map((c) => [c.columnId, c]))
  const fallback = { name: 'No column', category: 'todo' as const }
  const tasks = [...view.columns.flatMap((c) => c.tasks), ...view.trash].map((t) =>
    toRow(t, byId.get(t.columnId) ?? fallback),
  )
  tasks.sort((a, b) => (a.taskId < b.taskId ? -1 : 1))
  return {
    schemaVersion: view.schemaVersion,
    name: view.name,
    description: view.description,
    columns,
    tasks,
    fields: projectFields(doc),
  }
}

/**
 * Rows of just the given tasks (for incremental projection after an edit); ids of
 * tasks that no longer exist are returned in `missing`. `parentId` comes from `tree` when
 * given (kept current by the caller with `updateTaskTree`), else from the board's view store.
 */
export function projectTasks(
  doc: Y.Doc,
  taskIds: Iterable<string>,
  tree?: TaskTree,
): { rows: TaskRow[]; missing: string[] } {
  const hierarchy = tree ?? boardIndex(doc).tree
  const ctx = readContext(doc)
  const { tasks } = roots(doc)
  const rows: TaskRow[] = []
  const missing: string[] = []
  const fallback = { name: 'No column', category: 'todo' as const }
  for (const id of taskIds) {
    const task = tasks.get(id)
    if (!task) {
      missing.push(id)
      continue
    }
    const s = readTaskSummary(id, task, ctx)
    const row = toRow(s, ctx.columnById.get(s.columnId) ?? fallback)
    row.parentId = hierarchy.parentOf(id)
    rows.push(row)
  }
  return { rows, missing }
}
