import type { TaskflowExport } from '@taskflow/api'
import { MAX_COMMENT } from '@taskflow/board'
import type { ImportPlan, PlannedTask } from './import-plan.js'

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso))

/**
 * Reads a TaskFlow JSON export back into an import plan: the same columns, labels and
 * tasks in the same order, with their timestamps, rich-text bodies, checklists,
 * comments and hierarchy (each subtask under its parent, in subtask order). Comments become the importer's; one written by someone else starts with
 * "Originally by NAME <e-mail> on DATE". Members are people to find by e-mail (an owner
 * joins as admin: the importer owns the copy). Activity is not re-imported.
 */
export function taskflowPlan(data: TaskflowExport, importerEmail: string): ImportPlan {
  const columnOrder = new Map(data.board.columns.map((c, i) => [c.id, i]))
  const tasks = data.board.tasks
    .map((t, i) => ({ t, i }))
    // Live tasks by position, then the trash, per column; the file's order breaks ties.
    .sort(
      (a, b) =>
        (columnOrder.get(a.t.columnId) ?? 0) - (columnOrder.get(b.t.columnId) ?? 0) ||
        (a.t.position ?? Number.MAX_SAFE_INTEGER) - (b.t.position ?? Number.MAX_SAFE_INTEGER) ||
        a.i - b.i,
    )
    .map(({ t }): PlannedTask => {
      const createdAt = ms(t.createdAt) ?? Date.parse(data.exportedAt)
      return {
        ref: `task "${t.title.slice(0, 60)}" (${t.id})`,
        key: t.id,
        parent: t.parentId ? { key: t.parentId, position: t.subtaskPosition ?? null } : null,
        columnKey: t.columnId,
        title: t.title,
        description: t.description,
        body: t.body,
        priority: t.priority,
        startDate: t.startDate,
        dueDate: t.dueDate,
        estimate: t.estimate,
        labelKeys: t.labelIds,
        assigneeEmails: t.assignees,
        createdByEmail: t.createdBy,
        createdAt,
        updatedAt: ms(t.updatedAt) ?? createdAt,
        completedAt: ms(t.completedAt),
        deletedAt: ms(t.deletedAt),
        checklist: t.checklist,
        comments: t.comments.map((c) => ({
          // The note may push a long comment past the limit: the end gives way.
          body: (c.author === null || c.author.toLowerCase() !== importerEmail.toLowerCase()
            ? `Originally by ${c.authorName ?? 'unknown'}${c.author ? ` <${c.author}>` : ''} on ${c.createdAt}:\n\n${c.body}`
            : c.body
          ).slice(0, MAX_COMMENT),
          createdAt: Date.parse(c.createdAt),
          editedAt: ms(c.editedAt),
          deletedAt: ms(c.deletedAt),
          reactions: c.reactions,
        })),
      }
    })
  return {
    name: data.project.name,
    description: data.project.description,
    board: { name: data.board.name, description: data.board.description },
    columns: data.board.columns.map((c) => ({
      key: c.id,
      name: c.name,
      category: c.category,
      wipLimit: c.wipLimit,
    })),
    labels: data.board.labels.map((l) => ({ key: l.id, name: l.name, color: l.color })),
    tasks,
    people: data.members
      .filter((m) => m.email.toLowerCase() !== importerEmail.toLowerCase())
      .map((m) => ({ email: m.email.toLowerCase(), role: m.role === 'owner' ? 'admin' : m.role })),
    skipped: data.attachments.map((a) => ({
      item: `attachment "${a.name}"`,
      reason: 'attachments are not imported',
    })),
  }
}
