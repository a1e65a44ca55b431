import { z } from 'zod'
import { TimestampSchema } from './auth.js'

/*
 * "While you were away" (issue 18). A user's *last visit* of a board is the last moment the
 * app had the board open with its document synced to the server, on any of the user's
 * devices: the app writes it (`PUT /projects/:id/visit`) once the board has synced after
 * opening, every minute while it stays open and synced, when the person leaves the board,
 * and when they dismiss the summary. The server stamps its own time (never the device's),
 * and a visit never moves back. A change is "while you were away" when another person's
 * edit reached the server after that moment: an edit made offline before the visit but
 * merged after it is included, with its author.
 */

/** Answer of `PUT /api/v1/projects/:id/visit`. */
export const VisitSchema = z.object({
  /** The stored last visit (the server's time of this call, or a later stored one). */
  visitedAt: TimestampSchema,
})
export type Visit = z.infer<typeof VisitSchema>

/** Query of `GET /api/v1/projects/:id/away`. */
export const AwayQuerySchema = z
  .object({
    /** Changes after this instant; default: the caller's stored last visit. */
    since: z.iso.datetime({ offset: true }).optional(),
    /** Changes up to this instant (inclusive); default: now. */
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
export type AwayQuery = z.input<typeof AwayQuerySchema>

/**
 * The net effect of others' changes to one part of a task (one field, its column, its
 * comments…) over the window: a title renamed twice is one change from the first value to
 * the last; a change undone within the window (moved and moved back) is left out.
 */
export const AwayChangeSchema = z
  .object({
    kind: z.enum(['created', 'moved', 'field', 'comments', 'checklist', 'deleted', 'restored']),
    /** `field` only: title, description, priority, startDate, dueDate, estimate, assignees, labels. */
    field: z.string().optional(),
    /** Who made it, in the order they first did (a change by an unknown author adds none). */
    userIds: z.array(z.string()),
    /** The last edit of it that reached the server. */
    at: TimestampSchema,
    /** Scalar fields: the value before the first change and after the last. */
    from: z.unknown().optional(),
    to: z.unknown().optional(),
    /** `moved`: the column before the first move and after the last (names as they were then). */
    fromColumnId: z.string().nullable().optional(),
    fromColumnName: z.string().nullable().optional(),
    toColumnId: z.string().nullable().optional(),
    toColumnName: z.string().nullable().optional(),
    /** Assignees and labels: ids added and removed; labels' names as they were then. */
    added: z.array(z.string()).optional(),
    removed: z.array(z.string()).optional(),
    names: z.record(z.string(), z.string()).optional(),
    /** `comments`: new comments; `checklist`: items now checked (`count`) and unchecked (`uncheckedCount`). */
    count: z.number().int().optional(),
    uncheckedCount: z.number().int().optional(),
  })
  .meta({ id: 'AwayChange' })
export type AwayChange = z.infer<typeof AwayChangeSchema>

/** Every change others made to one task while the caller was away. */
export const AwayTaskSchema = z
  .object({
    taskId: z.string(),
    /** The task's title after the last change in the window. */
    title: z.string(),
    /** The newest of its changes. */
    lastAt: TimestampSchema,
    /** Everyone who changed it, in the order they first did. */
    userIds: z.array(z.string()),
    changes: z.array(AwayChangeSchema),
  })
  .meta({ id: 'AwayTask' })
export type AwayTask = z.infer<typeof AwayTaskSchema>

/**
 * At most this many tasks are listed (the most recently changed that come to a net change);
 * `moreTasks` counts the changed tasks after them, not summarised.
 */
export const MAX_AWAY_TASKS = 500

/** `GET /api/v1/projects/:id/away`. */
export const AwaySummarySchema = z
  .object({
    /** Start of the window (exclusive); null: no visit is stored and none was given (nothing is listed). */
    since: TimestampSchema.nullable(),
    /** End of the window (inclusive). */
    until: TimestampSchema,
    /** The caller's stored last visit, whatever `since` says. */
    lastVisitAt: TimestampSchema.nullable(),
    /** Tasks changed by others, most recently changed first. */
    tasks: z.array(AwayTaskSchema),
    /** Tasks others changed that were left out beyond `MAX_AWAY_TASKS`: not summarised, so some may come to no net change. */
    moreTasks: z.number().int(),
    /** Current names of the users in `tasks` (null: the account was deleted). */
    users: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  })
  .meta({ id: 'AwaySummary' })
export type AwaySummary = z.infer<typeof AwaySummarySchema>
