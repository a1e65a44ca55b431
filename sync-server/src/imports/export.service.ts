import { EXPORT_FORMAT, EXPORT_VERSION, type ExportTask, type TaskflowExport } from '@taskflow/api'
import {
  type BoardView,
  compareOrdered,
  getBoardView,
  getReplacedMoves,
  getSubtaskOrderKey,
  getTask,
  listComments,
  listLabels,
  readBodyNodes,
  type TaskSummary,
} from '@taskflow/board'
import Papa from 'papaparse'
import type * as Y from 'yjs'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { loadStoredDocument } from '../projects/board-document.js'
import { listClientAuthors } from '../projects/client-bindings.repository.js'
import { listMembers } from '../projects/members.repository.js'
import type { ProjectRow } from '../projects/projects.repository.js'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type ExportService = ReturnType<typeof createExportService>

/** `GET /projects/:id/export`: the board read with the board package's readers. */
export function createExportService(db: Db, now: Clock) {
  return {
    /** Any member, viewers included: they can read every part of it on the board. */
    async json(project: ProjectRow): Promise<TaskflowExport> {
      const projectId = project.id
      const members = await listMembers(db, projectId)
      // Authors and reactors may have left the project: look every referenced user up.
      const bindings = new Map(
        (await listClientAuthors(db, projectId)).map((b) => [b.client_id, b.user_id]),
      )
      const activity = await db
        .selectFrom('activity')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .execute()
      const doc = await loadStoredDocument(db, projectId)
      try {
        const view = getBoardView(doc)
        // Authors, assignees and reactors may have left the project: every user the board
        // names is looked up, and only those.
        const users = await usersById(db, referencedUsers(doc, view, bindings, activity))
        const email = (id: string | null) => (id ? (users.get(id)?.email ?? null) : null)
        const labels = listLabels(doc)
        const labelRank = new Map(labels.map((l, i) => [l.id, i]))
        const trashByColumn = new Map<string, TaskSummary[]>()
        for (const t of [...view.trash].sort((a, b) =>
          a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1,
        )) {
          const list = trashByColumn.get(t.columnId)
          if (list) list.push(t)
          else trashByColumn.set(t.columnId, [t])
        }
        // Each parent's subtasks, live and trashed, in subtask order (key, then id).
        const subtaskRank = new Map<string, number>()
        const byParent = new Map<string, string[]>()
        for (const s of [...view.columns.flatMap((c) => c.tasks), ...view.trash]) {
          if (s.parentId === null) continue
          const kids = byParent.get(s.parentId)
          if (kids) kids.push(s.id)
          else byParent.set(s.parentId, [s.id])
        }
        for (const kids of byParent.values()) {
          const keyed = kids.map((id) => ({ id, order: getSubtaskOrderKey(doc, id) }))
          keyed.sort(compareOrdered).forEach((k, i) => {
            subtaskRank.set(k.id, i)
          })
        }
        const tasks: ExportTask[] = []
        const exportTask = (s: TaskSummary, position: number | null) => {
          const detail = getTask(doc, s.id)!
          tasks.push({
            id: s.id,
            parentId: s.parentId,
            subtaskPosition: subtaskRank.get(s.id) ?? null,
            columnId: s.columnId,
            position,
            title: s.title,
            description: detail.description,
            body: readBodyNodes(doc, s.id),
            priority: s.priority,
            startDate: s.startDate,
            dueDate: s.dueDate,
            estimate: s.estimate,
            // By e-mail: ids sort differently on every instance.
            assignees: s.assigneeIds.map((id) => email(id) ?? id).sort(),
            // In the board's label order: stored ids sort differently on every instance.
            labelIds: [...s.labelIds].sort((a, b) => labelRank.get(a)! - labelRank.get(b)!),
            checklist: detail.checklistItems.map((i) => ({ text: i.text, done: i.done })),
            comments: listComments(doc, s.id).map((c) => {
              const author =
                (c.authorClientId !== null ? bindings.get(c.authorClientId) : undefined) ??
                c.authorId
              const reactions: Record<string, string[]> = {}
              for (const [emoji, ids] of Object.entries(c.reactions)) {
                reactions[emoji] = ids.map((id) => email(id) ?? id).sort()
              }
              return {
                author: email(author),
                authorName: author ? (users.get(author)?.name ?? null) : null,
                body: c.body,
                createdAt: iso(c.createdAt ?? 0)!,
                editedAt: iso(c.editedAt),
                deletedAt: iso(c.deletedAt),
                reactions,
              }
            }),
            createdAt: iso(s.createdAt),
            createdBy: email(s.createdBy),
            updatedAt: iso(s.updatedAt),
            completedAt: iso(s.completedAt),
            deletedAt: iso(s.deletedAt),
            replacedMoves: getReplacedMoves(doc, s.id).map((r) => ({
              by: email(r.move.by),
              columnId: r.move.columnId,
            })),
          })
        }
        for (const col of view.columns) {
          col.tasks.forEach((t, i) => {
            exportTask(t, i)
          })
          for (const t of trashByColumn.get(col.id) ?? []) exportTask(t, null)
          trashByColumn.delete(col.id)
        }
        // A board without columns (B12) still exports its trash.
        for (const list of trashByColumn.values()) for (const t of list) exportTask(t, null)

        return {
          format: EXPORT_FORMAT,
          version: EXPORT_VERSION,
          exportedAt: new Date(now()).toISOString(),
          project: { name: project.name, description: project.description },
          board: {
            name: view.name,
            description: view.description,
            schemaVersion: view.schemaVersion,
            columns: view.columns.map((c) => ({
              id: c.id,
              name: c.name,
              category: c.category,
              wipLimit: c.wipLimit,
            })),
            labels,
            tasks,
          },
          members: members.map((m) => ({ email: m.email, name: m.name, role: m.role })),
          activity: activity.map((a) => ({
            taskId: a.task_id,
            kind: a.kind,
            subject: a.subject === '' ? null : a.subject,
            user: email(a.user_id),
            at: new Date(a.at).toISOString(),
            lastAt: new Date(a.last_at).toISOString(),
            data: JSON.parse(a.data) as Record<string, unknown>,
          })),
          attachments: [],
        }
      } finally {
        doc.destroy()
      }
    },
  }
}

function referencedUsers(
  doc: Y.Doc,
  view: BoardView,
  bindings: ReadonlyMap<number, string>,
  activity: ReadonlyArray<{ user_id: string | null }>,
): Set<string> {
  const ids = new Set<string>()
  const add = (id: string | null | undefined) => {
    if (id) ids.add(id)
  }
  for (const t of [...view.columns.flatMap((c) => c.tasks), ...view.trash]) {
    for (const a of t.assigneeIds) add(a)
    add(t.createdBy)
    for (const c of listComments(doc, t.id)) {
      add((c.authorClientId !== null ? bindings.get(c.authorClientId) : undefined) ?? c.authorId)
      for (const users of Object.values(c.reactions)) for (const u of users) add(u)
    }
    for (const r of getReplacedMoves(doc, t.id)) add(r.move.by)
  }
  for (const a of activity) add(a.user_id)
  return ids
}

async function usersById(db: Db, ids: ReadonlySet<string>) {
  const out = new Map<string, { email: string; name: string }>()
  const all = [...ids]
  // In slices: SQLite caps the number of bound parameters of one statement.
  for (let i = 0; i < all.length; i += 500) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'email', 'name'])
      .where('id', 'in', all.slice(i, i + 500))
      .execute()
    for (const u of rows) out.set(u.id, u)
  }
  return out
}

/** The CSV export's columns, in order (docs/api.md). */
export const CSV_EXPORT_COLUMNS = [
  'id',
  'title',
  'column',
  'status',
  'position',
  'priority',
  'start_date',
  'due_date',
  'estimate',
  'assignees',
  'labels',
  'checklist_done',
  'checklist_total',
  'comments',
  'created_at',
  'updated_at',
  'completed_at',
  'deleted_at',
  'description',
  // Last: added with subtasks, so readers of the older columns by position still work.
  'parent_id',
] as const

// A cell starting with one of these runs as a formula in spreadsheet apps (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/

/** One row per task (trash included, `deleted_at` set), from the JSON export. */
export function exportToCsv(data: TaskflowExport): string {
  const columns = new Map(data.board.columns.map((c) => [c.id, c]))
  const labels = new Map(data.board.labels.map((l) => [l.id, l.name]))
  const safe = (v: string) => (FORMULA_START.test(v) ? `'${v}` : v)
  const rows = data.board.tasks.map((t) => {
    const col = columns.get(t.columnId)
    const row: Record<(typeof CSV_EXPORT_COLUMNS)[number], string> = {
      id: t.id,
      parent_id: t.parentId ?? '',
      title: safe(t.title),
      column: safe(col?.name ?? ''),
      status: col?.category ?? '',
      position: t.position === null ? '' : String(t.position),
      priority: t.priority,
      start_date: t.startDate ?? '',
      due_date: t.dueDate ?? '',
      estimate: t.estimate === null ? '' : String(t.estimate),
      assignees: t.assignees.join('; '),
      labels: safe(t.labelIds.map((id) => labels.get(id) ?? '').join('; ')),
      checklist_done: String(t.checklist.filter((i) => i.done).length),
      checklist_total: String(t.checklist.length),
      comments: String(t.comments.filter((c) => c.deletedAt === null).length),
      created_at: t.createdAt ?? '',
      updated_at: t.updatedAt ?? '',
      completed_at: t.completedAt ?? '',
      deleted_at: t.deletedAt ?? '',
      description: safe(t.description),
    }
    return CSV_EXPORT_COLUMNS.map((k) => row[k])
  })
  // A byte order mark so spreadsheet apps read UTF-8; CRLF as RFC 4180 says.
  return `\uFEFF${Papa.unparse({ fields: [...CSV_EXPORT_COLUMNS], data: rows }, { newline: '\r\n' })}\r\n`
}
