import { z } from 'zod'
import { TimestampSchema } from './auth.js'

/** A page cursor: the `nextBefore` of the previous page. */
export const CursorSchema = z.string().regex(/^[1-9][0-9]{0,14}$/, 'a cursor from nextBefore')

/** A task's id in a board document (not a UUID: Yjs-side ids are shorter). */
export const TaskIdSchema = z.string().min(1).max(64)

/** Query of `GET /api/v1/projects/:id/activity`. */
export const ActivityQuerySchema = z
  .object({
    taskId: TaskIdSchema.optional(),
    userId: z.uuid().optional(),
    before: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict()
export type ActivityQuery = z.input<typeof ActivityQuerySchema>

/** One entry of a project's activity log (docs/api.md lists the kinds and their `data`). */
export const ActivityEntrySchema = z
  .object({
    id: z.number().int(),
    taskId: z.string(),
    kind: z.string(),
    /** Field name, checklist item id or comment id; null when the kind needs none. */
    subject: z.string().nullable(),
    userId: z.string().nullable(),
    /** The user's current name (null if unknown or the account was deleted). */
    userName: z.string().nullable(),
    /** When the (first) change reached the server; a grouped entry ends at `lastAt`. */
    at: TimestampSchema,
    lastAt: TimestampSchema,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ActivityEntry' })
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>

/** `GET /api/v1/projects/:id/activity`: newest first. */
export const ActivityPageSchema = z.object({
  entries: z.array(ActivityEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.string().nullable(),
})
export type ActivityPage = z.infer<typeof ActivityPageSchema>
