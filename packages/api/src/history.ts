import { z } from 'zod'
import { PrioritySchema } from './tasks.js'

/*
 * Board history (issue 18): the board as of a time, a task's field-level versions, the
 * change steps of a period, and restore. Times are ISO 8601 (with `Z` or an offset).
 * History reaches back `TASKFLOW_HISTORY_DAYS` (default 90) from now, and no further
 * than the board's oldest retained checkpoint; a time outside that, or in the future,
 * answers 400 `validation_failed`.
 */

/** An ISO 8601 date-time with a zone (`2026-12-04T23:00:00Z`, `...+01:00`). */
export const HistoryTimeSchema = z.iso.datetime({ offset: true })

/** Query of `GET /projects/:id/board`: `at` reads the board as it was then (history). */
export const BoardQuerySchema = z
  .object({
    at: HistoryTimeSchema.optional().describe(
      'Read the board as it was at this instant (every change stored at or before it). Absent: the live board.',
    ),
  })
  .strict()
export type BoardQuery = z.infer<typeof BoardQuerySchema>

export const MAX_HISTORY_PAGE = 200

const LimitSchema = z
  .string()
  .regex(/^[1-9]\d{0,3}$/, 'expected a positive integer')
  .refine((s) => Number(s) <= MAX_HISTORY_PAGE, `at most ${MAX_HISTORY_PAGE}`)

/** Query of `GET /projects/:id/tasks/:taskId/history`: newest first, a page at a time. */
export const TaskHistoryQuerySchema = z
  .object({
    cursor: z.string().min(1).max(200).optional(),
    limit: LimitSchema.optional().describe(
      `Versions per page (default and maximum ${MAX_HISTORY_PAGE})`,
    ),
  })
  .strict()
export type TaskHistoryQuery = z.infer<typeof TaskHistoryQuerySchema>

/** Fields a task version (and a single-field restore) names. */
export const TASK_HISTORY_FIELDS = [
  'title',
  'description',
  'column',
  'assignees',
  'labels',
  'priority',
  'startDate',
  'dueDate',
  'estimate',
  'checklist',
  'trashed',
] as const
export const TaskHistoryFieldSchema = z.enum(TASK_HISTORY_FIELDS)
export type TaskHistoryField = z.infer<typeof TaskHistoryFieldSchema>

const DateOrNull = z.string().nullable()
const base = {
  /** The stored update that made this value (steps of `/history/changes` name the same). */
  seq: z.number().int(),
  at: z.string(),
  /** Who sent the update (the server's record, unforgeable); null: unknown (older data). */
  userId: z.string().nullable(),
}
/**
 * One value a field of a task had from `at` on, and who set it. `description` is Markdown;
 * `column` is the column id the task showed in (with the column's name then); `checklist`
 * the items in order. Edits of one field by one person less than 2 minutes apart are one
 * version (the last value).
 */
export const TaskVersionSchema = z
  .discriminatedUnion('field', [
    z.object({ ...base, field: z.literal('title'), value: z.string() }),
    z.object({ ...base, field: z.literal('description'), value: z.string() }),
    z.object({
      ...base,
      field: z.literal('column'),
      value: z.object({ id: z.string(), name: z.string().nullable() }),
    }),
    z.object({ ...base, field: z.literal('assignees'), value: z.array(z.string()) }),
    z.object({ ...base, field: z.literal('labels'), value: z.array(z.string()) }),
    z.object({ ...base, field: z.literal('priority'), value: PrioritySchema }),
    z.object({ ...base, field: z.literal('startDate'), value: DateOrNull }),
    z.object({ ...base, field: z.literal('dueDate'), value: DateOrNull }),
    z.object({ ...base, field: z.literal('estimate'), value: z.number().nullable() }),
    z.object({
      ...base,
      field: z.literal('checklist'),
      value: z.array(z.object({ id: z.string(), text: z.string(), done: z.boolean() })),
    }),
    z.object({ ...base, field: z.literal('trashed'), value: z.boolean() }),
  ])
  .meta({ id: 'TaskVersion' })
export type TaskVersion = z.infer<typeof TaskVersionSchema>

export const TaskHistoryPageSchema = z
  .object({
    /** Newest first. A task's first version of each field is its value at creation (or at `historyStart`). */
    versions: z.array(TaskVersionSchema),
    nextCursor: z.string().nullable(),
    /** The oldest instant history reaches back to now. */
    historyStart: z.string(),
  })
  .meta({ id: 'TaskHistoryPage' })
export type TaskHistoryPage = z.infer<typeof TaskHistoryPageSchema>

/** Query of `GET /projects/:id/history/changes`: oldest first, a page at a time. */
export const HistoryChangesQuerySchema = z
  .object({
    from: HistoryTimeSchema.optional().describe('Default: the start of history'),
    to: HistoryTimeSchema.optional().describe('Default: now'),
    cursor: z.string().min(1).max(200).optional(),
    limit: LimitSchema.optional().describe(
      `Steps per page (default and maximum ${MAX_HISTORY_PAGE})`,
    ),
  })
  .strict()
export type HistoryChangesQuery = z.infer<typeof HistoryChangesQuerySchema>

/**
 * One step of the board's history: consecutive stored updates of one person less than a
 * minute apart. `GET /board?at=<at>` shows the board right after it.
 */
export const HistoryStepSchema = z
  .object({
    /** Stored updates `fromSeq..toSeq` make the step. */
    fromSeq: z.number().int(),
    toSeq: z.number().int(),
    /** Time of the step's first and last update. */
    startedAt: z.string(),
    at: z.string(),
    userId: z.string().nullable(),
    /** Tasks the step changed, with the fields it changed (`created` for a new task). */
    tasks: z.array(
      z.object({
        taskId: z.string(),
        fields: z.array(
          z.union([TaskHistoryFieldSchema, z.literal('created'), z.literal('other')]),
        ),
      }),
    ),
    /** Columns the step created, changed or deleted. */
    columnIds: z.array(z.string()),
    /** The step changed the board's name, description, labels or views. */
    board: z.boolean(),
  })
  .meta({ id: 'HistoryStep' })
export type HistoryStep = z.infer<typeof HistoryStepSchema>

export const HistoryChangesPageSchema = z
  .object({
    steps: z.array(HistoryStepSchema),
    nextCursor: z.string().nullable(),
    historyStart: z.string(),
  })
  .meta({ id: 'HistoryChangesPage' })
export type HistoryChangesPage = z.infer<typeof HistoryChangesPageSchema>

/**
 * Body of `POST /projects/:id/history/restore`: exactly one target — a task (all of it, or
 * one `field`), a column (with the tasks it held then), or the whole board (`board: true`).
 */
export const RestoreBodySchema = z
  .object({
    at: HistoryTimeSchema,
    taskId: z.string().min(1).max(64).optional(),
    field: TaskHistoryFieldSchema.optional(),
    columnId: z.string().min(1).max(64).optional(),
    board: z.literal(true).optional(),
  })
  .strict()
  .refine(
    (b) =>
      [b.taskId !== undefined, b.columnId !== undefined, b.board === true].filter(Boolean)
        .length === 1,
    { message: 'name exactly one of taskId, columnId or board' },
  )
  .refine((b) => b.field === undefined || b.taskId !== undefined, {
    message: 'field needs taskId',
    path: ['field'],
  })
export type RestoreBody = z.infer<typeof RestoreBodySchema>

/** What a restore changed: a new edit by the caller (empty lists: it was already so). */
export const RestoreResultSchema = z
  .object({
    at: z.string(),
    changed: z.boolean(),
    taskIds: z.array(z.string()),
    columnIds: z.array(z.string()),
  })
  .meta({ id: 'RestoreResult' })
export type RestoreResult = z.infer<typeof RestoreResultSchema>
