import { z } from 'zod'
import { apiRequest } from './client'

/**
 * Report endpoints (sync-server/src/reports/reports.routes.ts). Figures are computed by the
 * server from its SQL projection of the boards, so every call needs the network.
 */
const CATEGORIES = ['todo', 'in_progress', 'done'] as const
export const categorySchema = z.enum(CATEGORIES).catch('todo')
export type Category = z.infer<typeof categorySchema>

export const summarySchema = z.object({
  generatedAt: z.string(),
  timeZone: z.string(),
  byColumn: z.array(
    z.object({
      columnId: z.string(),
      name: z.string(),
      category: categorySchema,
      wipLimit: z.number().nullish(),
      count: z.number(),
    }),
  ),
  byCategory: z.object({ todo: z.number(), in_progress: z.number(), done: z.number() }),
  open: z.number(),
  overdue: z.number(),
  dueNext7Days: z.number(),
  completedLast7Days: z.number(),
  completedLast30Days: z.number(),
  unassignedOpen: z.number(),
})
export type Summary = z.infer<typeof summarySchema>

export const throughputSchema = z.object({
  interval: z.enum(['day', 'week']),
  buckets: z.array(z.object({ start: z.string(), completed: z.number() })),
})
export type Throughput = z.infer<typeof throughputSchema>

export const cumulativeFlowSchema = z.object({
  days: z.array(
    z.object({ date: z.string(), todo: z.number(), in_progress: z.number(), done: z.number() }),
  ),
})
export type CumulativeFlow = z.infer<typeof cumulativeFlowSchema>

export const burnupSchema = z.object({
  days: z.array(
    z.object({
      date: z.string(),
      scopeCount: z.number(),
      scopePoints: z.number(),
      completedCount: z.number(),
      completedPoints: z.number(),
    }),
  ),
})
export type Burnup = z.infer<typeof burnupSchema>

export const cycleTimeSchema = z.object({
  count: z.number(),
  medianMs: z.number().nullable(),
  p85Ms: z.number().nullable(),
  medianDays: z.number().nullable(),
  p85Days: z.number().nullable(),
  tasks: z.array(
    z.object({
      taskId: z.string(),
      title: z.string(),
      startedAt: z.string(),
      completedAt: z.string(),
      cycleTimeMs: z.number(),
    }),
  ),
})
export type CycleTime = z.infer<typeof cycleTimeSchema>

export const workloadSchema = z.object({
  assignees: z.array(
    z.object({
      userId: z.string(),
      name: z.string().nullish(),
      openTasks: z.number(),
      openEstimate: z.number(),
      overdue: z.number(),
    }),
  ),
})
export type Workload = z.infer<typeof workloadSchema>

export const myTasksSchema = z.object({
  tasks: z.array(
    z.object({
      projectId: z.string(),
      projectName: z.string(),
      taskId: z.string(),
      title: z.string(),
      columnName: z.string().nullish(),
      category: categorySchema,
      priority: z.string().nullish(),
      dueDate: z.string().nullish(),
      estimate: z.number().nullish(),
      overdue: z.boolean(),
    }),
  ),
})
export type MyTasks = z.infer<typeof myTasksSchema>
export type MyTask = MyTasks['tasks'][number]

/** A date range in the viewer's time zone; `from`/`to` are inclusive `YYYY-MM-DD`. */
export interface ReportRange {
  from: string
  to: string
  timeZone: string
}

const reportsPath = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/reports`
const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`
const rangeQuery = (r: ReportRange, extra: Record<string, string> = {}) =>
  query({ from: r.from, to: r.to, tz: r.timeZone, ...extra })

export const getSummary = (projectId: string, timeZone: string) =>
  apiRequest(`${reportsPath(projectId)}/summary${query({ tz: timeZone })}`, {
    schema: summarySchema,
  })

export const getThroughput = (projectId: string, range: ReportRange, interval: 'day' | 'week') =>
  apiRequest(`${reportsPath(projectId)}/throughput${rangeQuery(range, { interval })}`, {
    schema: throughputSchema,
  })

export const getCumulativeFlow = (projectId: string, range: ReportRange) =>
  apiRequest(`${reportsPath(projectId)}/cumulative-flow${rangeQuery(range)}`, {
    schema: cumulativeFlowSchema,
  })

export const getBurnup = (projectId: string, range: ReportRange) =>
  apiRequest(`${reportsPath(projectId)}/burnup${rangeQuery(range)}`, { schema: burnupSchema })

export const getCycleTime = (projectId: string, range: ReportRange) =>
  apiRequest(`${reportsPath(projectId)}/cycle-time${rangeQuery(range)}`, {
    schema: cycleTimeSchema,
  })

export const getWorkload = (projectId: string, timeZone: string) =>
  apiRequest(`${reportsPath(projectId)}/workload${query({ tz: timeZone })}`, {
    schema: workloadSchema,
  })

export const getMyTasks = (timeZone: string) =>
  apiRequest(`/reports/me${query({ tz: timeZone })}`, { schema: myTasksSchema })
