import type { BoardResponse, Comment, Task } from '@taskflow/api'
import {
  boardViewStore,
  type CommentView,
  type FieldDef,
  type FieldRaw,
  listFields,
  listLabels,
  renderFieldValue,
  type TaskSummary,
} from '@taskflow/board'
import { getTaskMarkdown } from '@taskflow/board/markdown'
import type * as Y from 'yjs'
import type { MemberRow } from '../projects/members.repository.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/**
 * Custom-field values as the API shows them: live fields only, values that fit the field's
 * type (F8); a select value as stored (a removed option's id included).
 */
export function apiFieldValues(
  fields: readonly FieldDef[],
  values: Readonly<Record<string, FieldRaw>>,
): Task['fields'] {
  const out: Task['fields'] = {}
  for (const f of fields) {
    const r = renderFieldValue(f, values[f.id])
    if (!r) continue
    const raw = values[f.id]!
    if (r.options) {
      const ids = r.options.map((o) => o.id)
      out[f.id] = f.type === 'single_select' && ids.length === 1 ? ids[0]! : ids
    } else out[f.id] = Array.isArray(raw) ? [...raw] : (raw as string | number | boolean)
  }
  return out
}

/** A task of the board as the API shows it, with its description's plain text. */
export function toTask(s: TaskSummary, description: string, fields: readonly FieldDef[]): Task {
  return {
    id: s.id,
    title: s.title,
    description,
    columnId: s.columnId,
    position: s.order,
    priority: s.priority,
    startDate: s.startDate,
    dueDate: s.dueDate,
    estimate: s.estimate,
    assigneeIds: [...s.assigneeIds],
    labelIds: [...s.labelIds],
    checklist: { ...s.checklist },
    commentCount: s.commentCount,
    parentId: s.parentId,
    subtaskProgress: s.subtaskProgress && { ...s.subtaskProgress },
    blockedBy: [...s.blockedBy],
    createdAt: iso(s.createdAt),
    createdBy: s.createdBy,
    updatedAt: iso(s.updatedAt),
    completedAt: iso(s.completedAt),
    deletedAt: iso(s.deletedAt),
    fields: apiFieldValues(fields, s.fields),
  }
}

/**
 * A comment; `authorId` is the user its Yjs client ID is bound to (unforgeable), falling
 * back to the id the writing client recorded for a comment from before bindings.
 */
export function toComment(c: CommentView, boundAuthor: string | undefined): Comment {
  return {
    id: c.id,
    taskId: c.taskId,
    body: c.body,
    authorId: boundAuthor ?? c.authorId,
    createdAt: iso(c.createdAt),
    editedAt: iso(c.editedAt),
    deletedAt: iso(c.deletedAt),
  }
}

/**
 * The board read (`GET /projects/:id/board`) of a document: the live one, or one rebuilt
 * as of a past time (history) — one serializer for both, so both have the same shape.
 */
export function toBoard(doc: Y.Doc, members: readonly MemberRow[]): BoardResponse {
  const view = boardViewStore(doc).getSnapshot()
  const fields = listFields(doc)
  return {
    name: view.name,
    description: view.description,
    columns: view.columns.map((c) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      position: c.order,
      wipLimit: c.wipLimit,
    })),
    labels: listLabels(doc),
    members: members.map((m) => ({
      userId: m.user_id,
      name: m.name,
      avatarColor: m.avatar_color,
      role: m.role,
    })),
    tasks: view.columns.flatMap((c) =>
      c.tasks.map((t) => toTask(t, getTaskMarkdown(doc, t.id) ?? '', fields)),
    ),
  }
}
