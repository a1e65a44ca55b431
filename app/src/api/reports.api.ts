import {
  BurnupSchema,
  CumulativeFlowSchema,
  CycleTimeSchema,
  FieldListSchema,
  MyTasksSchema,
  SummarySchema,
  ThroughputSchema,
  WorkloadSchema,
} from '@taskflow/api'
import { apiRequest } from './client'

/**
 * Report endpoints (sync-server/src/reports/reports.routes.ts). Figures are computed by the
 * server from its SQL projection of the boards, so every call needs the network. Shapes and
 * schemas are `@taskflow/api`'s.
 */
export {
  type Burnup,
  BurnupSchema as burnupSchema,
  type Category,
  type CumulativeFlow,
  CumulativeFlowSchema as cumulativeFlowSchema,
  type CycleTime,
  CycleTimeSchema as cycleTimeSchema,
  type MyTask,
  type MyTasks,
  MyTasksSchema as myTasksSchema,
  type Summary,
  SummarySchema as summarySchema,
  type Throughput,
  ThroughputSchema as throughputSchema,
  type Workload,
  WorkloadSchema as workloadSchema,
} from '@taskflow/api'

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
    schema: SummarySchema,
  })

export const getThroughput = (projectId: string, range: ReportRange, interval: 'day' | 'week') =>
  apiRequest(`${reportsPath(projectId)}/throughput${rangeQuery(range, { interval })}`, {
    schema: ThroughputSchema,
  })

/** `groupBy`: `field:<id>` of a single-select field adds per-option `groups`. */
export const getCumulativeFlow = (projectId: string, range: ReportRange, groupBy?: string) =>
  apiRequest(
    `${reportsPath(projectId)}/cumulative-flow${rangeQuery(range, groupBy ? { groupBy } : {})}`,
    { schema: CumulativeFlowSchema },
  )

export const getBurnup = (projectId: string, range: ReportRange) =>
  apiRequest(`${reportsPath(projectId)}/burnup${rangeQuery(range)}`, { schema: BurnupSchema })

export const getCycleTime = (projectId: string, range: ReportRange) =>
  apiRequest(`${reportsPath(projectId)}/cycle-time${rangeQuery(range)}`, {
    schema: CycleTimeSchema,
  })

export const getWorkload = (projectId: string, timeZone: string, groupBy?: string) =>
  apiRequest(
    `${reportsPath(projectId)}/workload${query({ tz: timeZone, ...(groupBy ? { groupBy } : {}) })}`,
    { schema: WorkloadSchema },
  )

/** The project's custom fields (the reports' group-by choices). */
export const getFields = (projectId: string) =>
  apiRequest(`/projects/${encodeURIComponent(projectId)}/fields`, { schema: FieldListSchema })

export const getMyTasks = (timeZone: string) =>
  apiRequest(`/reports/me${query({ tz: timeZone })}`, { schema: MyTasksSchema })
