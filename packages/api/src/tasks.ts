import { z } from 'zod'
import { FieldValueSchema, TaskFieldValuesBodySchema } from './fields.js'
import { RoleSchema } from './projects.js'

/*
 * The task API (`/api/v1/projects/:id/board`, `/tasks*`): request and response schemas.
 * Field limits (title length, dates, estimate...) are the board's own (`@taskflow/board`
 * validate.ts): a value the board refuses answers 400 with its message, so they are not
 * repeated here.
 */

export const PRIORITY_VALUES = ['none', 'low', 'medium', 'high', 'urgent'] as const
export const PrioritySchema = z.enum(PRIORITY_VALUES)

const IdSchema = z.string().min(1).max(64)
const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
const IdListSchema = z.array(IdSchema).max(100)
/** Board ids are ours (nanoid-like); user ids are UUIDs. */
const TaskIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a task id')

/** Path of `/projects/:id/tasks/:taskId*`. */
export const TaskParamsSchema = z.object({ id: z.uuid(), taskId: TaskIdParam }).strict()

/**
 * A task as the API shows it. Times are ISO 8601; `description` is the task's description as
 * Markdown (CommonMark + GFM), the form POST and PATCH take; `position` orders tasks within
 * a column.
 */
export const TaskSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    /** The column the task shows in (its own, or the first one if its column was deleted). */
    columnId: z.string(),
    position: z.string(),
    priority: PrioritySchema,
    startDate: DateSchema.nullable(),
    dueDate: DateSchema.nullable(),
    estimate: z.number().nullable(),
    assigneeIds: z.array(z.string()),
    labelIds: z.array(z.string()),
    checklist: z.object({ done: z.number().int(), total: z.number().int() }),
    commentCount: z.number().int(),
    /** The parent task as the board shows it (subtasks, issue 14); null at top level. */
    parentId: z.string().nullable(),
    /** The live direct subtasks: how many, how many in a `done` column, and their points. */
    subtaskProgress: z
      .object({
        done: z.number().int(),
        total: z.number().int(),
        points: z.number(),
        donePoints: z.number(),
      })
      .nullable(),
    /**
     * Ids of the tasks blocking this one (relations R7): they block it, exist, are not in the
     * trash and not in a `done` column; sorted. Empty: the task is not blocked.
     */
    blockedBy: z.array(z.string()),
    createdAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
    /** Set while the task is in a `done` column. */
    completedAt: z.string().nullable(),
    /** Set while the task is in the trash. */
    deletedAt: z.string().nullable(),
    /**
     * Custom-field values by field id (docs/api.md "Custom fields"): live fields only, values
     * that fit the field's type; a select value may name a removed option (not in the
     * field's `options`: show it as "removed option").
     */
    fields: z.record(z.string(), FieldValueSchema),
  })
  .meta({ id: 'Task' })
export type Task = z.infer<typeof TaskSchema>

export const BoardColumnSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.enum(['todo', 'in_progress', 'done']),
  position: z.string(),
  wipLimit: z.number().int().nullable(),
})
export const BoardLabelSchema = z.object({ id: z.string(), name: z.string(), color: z.string() })
export const BoardMemberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  avatarColor: z.string(),
  role: RoleSchema,
})

/** `GET /api/v1/projects/:id/board`: live tasks in board order (trash excluded). */
export const BoardResponseSchema = z.object({
  name: z.string(),
  description: z.string(),
  columns: z.array(BoardColumnSchema),
  labels: z.array(BoardLabelSchema),
  members: z.array(BoardMemberSchema),
  tasks: z.array(TaskSchema),
})
export type BoardResponse = z.infer<typeof BoardResponseSchema>

export const MAX_TASKS_PAGE = 200

/**
 * Query of `GET /api/v1/projects/:id/tasks`. Every filter narrows; `dueFrom`/`dueTo` are
 * inclusive dates; `updatedSince` an ISO time (tasks updated at or after it); `parentId` the
 * direct subtasks of a task, in subtask order (the task panel's); `trashed=true` lists the trash instead of the board.
 */
export const ListTasksQuerySchema = z
  .object({
    column: IdSchema.optional(),
    assignee: IdSchema.optional(),
    label: IdSchema.optional(),
    priority: PrioritySchema.optional(),
    dueFrom: DateSchema.optional(),
    dueTo: DateSchema.optional(),
    updatedSince: z.iso.datetime({ offset: true }).optional(),
    parentId: IdSchema.optional(),
    trashed: z.enum(['true', 'false']).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_TASKS_PAGE).optional(),
  })
  .strict()
export type ListTasksQuery = z.input<typeof ListTasksQuerySchema>

/** A page of tasks in board order; `nextCursor` is null on the last page. */
export const TaskPageSchema = z.object({
  tasks: z.array(TaskSchema),
  nextCursor: z.string().nullable(),
})
export type TaskPage = z.infer<typeof TaskPageSchema>

const TaskFieldsShape = {
  title: z.string(),
  /**
   * Markdown (CommonMark + GFM): stored as the task's rich text (headings, lists, quotes,
   * code, bold/italic/strike/code/links); raw HTML stays text. See docs/api.md.
   */
  description: z.string(),
  assigneeIds: IdListSchema,
  labelIds: IdListSchema,
  priority: PrioritySchema,
  startDate: DateSchema.nullable(),
  dueDate: DateSchema.nullable(),
  estimate: z.number().nullable(),
  /** Custom-field values by field id, checked against each field's type; null clears. */
  fields: TaskFieldValuesBodySchema,
}

/**
 * `POST /api/v1/projects/:id/tasks`: into `columnId` (default the first column; for a
 * subtask the first `todo` column), last; with `parentId`, as the parent's last subtask.
 */
export const CreateTaskBodySchema = z
  .object({
    ...TaskFieldsShape,
    columnId: IdSchema.optional(),
    parentId: IdSchema.nullable().optional(),
    description: TaskFieldsShape.description.optional(),
    assigneeIds: IdListSchema.optional(),
    labelIds: IdListSchema.optional(),
    priority: PrioritySchema.optional(),
    startDate: TaskFieldsShape.startDate.optional(),
    dueDate: TaskFieldsShape.dueDate.optional(),
    estimate: TaskFieldsShape.estimate.optional(),
    fields: TaskFieldsShape.fields.optional(),
  })
  .strict()
export type CreateTaskBody = z.input<typeof CreateTaskBodySchema>

/**
 * `PATCH /api/v1/projects/:id/tasks/:taskId`: at least one field. `parentId` makes the task
 * the last subtask of another (null: top level).
 */
export const UpdateTaskBodySchema = z
  .object({ ...TaskFieldsShape, parentId: IdSchema.nullable() })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'expected at least one field')
export type UpdateTaskBody = z.input<typeof UpdateTaskBodySchema>

/**
 * `POST /api/v1/projects/:id/tasks/:taskId/move`: into `columnId`, right before
 * `beforeTaskId` or right after `afterTaskId` (tasks of that column), else last.
 */
export const MoveTaskBodySchema = z
  .object({
    columnId: IdSchema,
    beforeTaskId: IdSchema.optional(),
    afterTaskId: IdSchema.optional(),
  })
  .strict()
  .refine(
    (b) => b.beforeTaskId === undefined || b.afterTaskId === undefined,
    'give beforeTaskId or afterTaskId, not both',
  )
export type MoveTaskBody = z.input<typeof MoveTaskBodySchema>

export const CommentSchema = z
  .object({
    id: z.string(),
    taskId: z.string(),
    /** Markdown; mentions as `<@userId>`. */
    body: z.string(),
    authorId: z.string().nullable(),
    createdAt: z.string().nullable(),
    editedAt: z.string().nullable(),
    deletedAt: z.string().nullable(),
  })
  .meta({ id: 'Comment' })
export type Comment = z.infer<typeof CommentSchema>

/** `GET /api/v1/projects/:id/tasks/:taskId/comments`: oldest first, deleted ones included. */
export const CommentListSchema = z.object({ comments: z.array(CommentSchema) })
export type CommentList = z.infer<typeof CommentListSchema>

/** `POST /api/v1/projects/:id/tasks/:taskId/comments`. */
export const CreateCommentBodySchema = z.object({ body: z.string() }).strict()
export type CreateCommentBody = z.input<typeof CreateCommentBodySchema>

/**
 * `Idempotency-Key` header of every task API POST: 1–255 visible ASCII characters (a UUID
 * is a good choice). See docs/api.md "Idempotency".
 */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'Idempotency-Key must be 1 to 255 visible ASCII characters')
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000

/** Request headers of every task API POST (lower case, as the server's validator reads them). */
export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': IdempotencyKeySchema.optional().describe(
    'Makes a retry safe: a request repeated with the same key (same user, method, path and body) within 24 hours is answered with the first answer and does nothing again. 1–255 visible ASCII characters; a random UUID per logical request.',
  ),
})

/** Response headers of an answer that may be a replay (`Idempotency-Key`). */
export const IdempotentReplayedHeadersSchema = z.object({
  'idempotent-replayed': z
    .literal('true')
    .optional()
    .describe(
      '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
    ),
})
