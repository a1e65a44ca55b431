import { z } from 'zod'
import { TimestampSchema } from './auth.js'

/** A board column's category, which reports count by. */
export const CategorySchema = z.enum(['todo', 'in_progress', 'done']).meta({ id: 'Category' })
export type Category = z.infer<typeof CategorySchema>

/** `YYYY-MM-DD` that names a real calendar day (zod rejects 2026-02-30 and +010000-01-01). */
export const DateParamSchema = z.iso.date()

/** The canonical name of IANA zone `tz` (`utc` → `UTC`), or null when this runtime does not know it. */
export function canonicalTimeZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    return null
  }
}

/** An IANA zone name, read as its canonical spelling (`utc` → `UTC`). */
export const TimeZoneParamSchema = z
  .string()
  .max(64)
  .transform((tz, ctx) => {
    const canonical = canonicalTimeZone(tz)
    if (canonical) return canonical
    ctx.issues.push({
      code: 'custom',
      input: tz,
      message: 'unknown time zone (use an IANA name such as Europe/Berlin)',
    })
    return z.NEVER
  })
  .meta({ description: 'An IANA time zone (default UTC), e.g. Europe/Berlin' })

/** Query of the summary and workload reports. */
export const ReportTzQuerySchema = z.object({ tz: TimeZoneParamSchema.optional() }).strict()
/**
 * What a report groups by besides its own default: `field:<fieldId>` names a single-select
 * custom field (one group per option in the field's order, then "Removed option" and "No
 * value"). A task counts in the group of its current value.
 */
export const ReportGroupBySchema = z
  .string()
  .regex(
    /^(assignee|none|field:[A-Za-z0-9_-]{1,64})$/,
    'expected assignee, none or field:<fieldId>',
  )
/** Query of `GET /api/v1/projects/:id/reports/workload`. */
export const WorkloadQuerySchema = z
  .object({ tz: TimeZoneParamSchema.optional(), groupBy: ReportGroupBySchema.optional() })
  .strict()
/** Query of `GET /api/v1/reports/me`. */
export const MyTasksQuerySchema = z
  .object({
    tz: TimeZoneParamSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict()
/** Query of the day-by-day reports: an inclusive range, at most 366 days. */
export const ReportRangeQuerySchema = z
  .object({
    from: DateParamSchema.optional(),
    to: DateParamSchema.optional(),
    tz: TimeZoneParamSchema.optional(),
  })
  .strict()
/** Query of `GET /api/v1/projects/:id/reports/cumulative-flow`. */
export const CumulativeFlowQuerySchema = ReportRangeQuerySchema.extend({
  groupBy: ReportGroupBySchema.optional(),
}).strict()
/** Query of `GET /api/v1/projects/:id/reports/throughput`. */
export const ThroughputQuerySchema = ReportRangeQuerySchema.extend({
  interval: z.enum(['day', 'week']).optional(),
}).strict()

const ResolvedRange = { from: DateParamSchema, to: DateParamSchema, timeZone: z.string() }

/** `GET /api/v1/projects/:id/reports/summary`. */
export const SummarySchema = z.object({
  generatedAt: TimestampSchema,
  timeZone: z.string(),
  byColumn: z.array(
    z.object({
      columnId: z.string(),
      name: z.string(),
      category: CategorySchema,
      wipLimit: z.number().nullable(),
      count: z.number().int(),
    }),
  ),
  byCategory: z.object({
    todo: z.number().int(),
    in_progress: z.number().int(),
    done: z.number().int(),
  }),
  open: z.number().int(),
  overdue: z.number().int(),
  dueNext7Days: z.number().int(),
  completedLast7Days: z.number().int(),
  completedLast30Days: z.number().int(),
  unassignedOpen: z.number().int(),
})
export type Summary = z.infer<typeof SummarySchema>

/** `GET /api/v1/projects/:id/reports/throughput`. */
export const ThroughputSchema = z.object({
  ...ResolvedRange,
  interval: z.enum(['day', 'week']),
  buckets: z.array(
    z.object({ start: DateParamSchema, end: DateParamSchema, completed: z.number().int() }),
  ),
})
export type Throughput = z.infer<typeof ThroughputSchema>

const CfdDaySchema = z.object({
  date: DateParamSchema,
  todo: z.number().int(),
  in_progress: z.number().int(),
  done: z.number().int(),
})

/** A group of a report grouped by a field: an option, `removed` or `none` (no value). */
const GroupKeyShape = {
  /** The option id, `removed` (an option that no longer exists) or `none` (no value). */
  key: z.string(),
  name: z.string(),
  /** The option's colour; null for `removed` and `none`. */
  color: z.string().nullable(),
}

/** `GET /api/v1/projects/:id/reports/cumulative-flow`; `groups` with `groupBy=field:<id>`. */
export const CumulativeFlowSchema = z.object({
  ...ResolvedRange,
  days: z.array(CfdDaySchema),
  groupBy: z.string().optional(),
  groups: z.array(z.object({ ...GroupKeyShape, days: z.array(CfdDaySchema) })).optional(),
})
export type CumulativeFlow = z.infer<typeof CumulativeFlowSchema>

/** `GET /api/v1/projects/:id/reports/burnup`. */
export const BurnupSchema = z.object({
  ...ResolvedRange,
  days: z.array(
    z.object({
      date: DateParamSchema,
      scopeCount: z.number().int(),
      scopePoints: z.number(),
      completedCount: z.number().int(),
      completedPoints: z.number(),
    }),
  ),
})
export type Burnup = z.infer<typeof BurnupSchema>

/** `GET /api/v1/projects/:id/reports/cycle-time`. */
export const CycleTimeSchema = z.object({
  ...ResolvedRange,
  count: z.number().int(),
  medianMs: z.number().nullable(),
  p85Ms: z.number().nullable(),
  medianDays: z.number().nullable(),
  p85Days: z.number().nullable(),
  tasks: z.array(
    z.object({
      taskId: z.string(),
      title: z.string(),
      startedAt: TimestampSchema,
      completedAt: TimestampSchema,
      cycleTimeMs: z.number(),
    }),
  ),
})
export type CycleTime = z.infer<typeof CycleTimeSchema>

/** `GET /api/v1/projects/:id/reports/workload`: busiest first. */
export const WorkloadSchema = z.object({
  timeZone: z.string(),
  assignees: z.array(
    z.object({
      userId: z.string(),
      /** Null when the account no longer exists. */
      name: z.string().nullable(),
      openTasks: z.number().int(),
      openEstimate: z.number(),
      overdue: z.number().int(),
    }),
  ),
  /** With `groupBy=field:<id>`: open tasks per option of the field (every open task once). */
  groupBy: z.string().optional(),
  groups: z
    .array(
      z.object({
        ...GroupKeyShape,
        openTasks: z.number().int(),
        openEstimate: z.number(),
        overdue: z.number().int(),
      }),
    )
    .optional(),
})
export type Workload = z.infer<typeof WorkloadSchema>

/** `GET /api/v1/reports/me`: my open tasks across my projects. */
export const MyTasksSchema = z.object({
  timeZone: z.string(),
  tasks: z.array(
    z.object({
      projectId: z.uuid(),
      projectName: z.string(),
      taskId: z.string(),
      /** The parent task when this is a subtask (as the board shows it), else null. */
      parentId: z.string().nullable(),
      title: z.string(),
      columnName: z.string(),
      category: CategorySchema,
      priority: z.string(),
      dueDate: DateParamSchema.nullable(),
      estimate: z.number().nullable(),
      overdue: z.boolean(),
    }),
  ),
})
export type MyTasks = z.infer<typeof MyTasksSchema>
export type MyTask = MyTasks['tasks'][number]
