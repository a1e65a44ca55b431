import type { ReportRange } from '../../api/reports.api'
import type { RangeDays } from './date-range'

/** What every chart of the Reports page needs to fetch and name its figures. */
export interface ReportContext {
  projectId: string
  /** For CSV file names. */
  projectSlug: string
  days: RangeDays
  range: ReportRange
  tick: number
  online: boolean
}

/** `Website relaunch!` → `website-relaunch` */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'project'
  )
}

export const csvName = (ctx: ReportContext, chart: string, withRange = true) =>
  withRange
    ? `${ctx.projectSlug}-${chart}-${ctx.range.from}-to-${ctx.range.to}.csv`
    : `${ctx.projectSlug}-${chart}.csv`

/** Cache key of one chart's figures for this project and range length. */
export const cacheKey = (ctx: ReportContext, chart: string, ...extra: string[]) =>
  ['reports', ctx.projectId, chart, ...extra].join('.')
