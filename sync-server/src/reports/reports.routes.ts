import {
  CumulativeFlowQuerySchema,
  MyTasksQuerySchema,
  ProjectParamsSchema,
  ReportRangeQuerySchema,
  ReportTzQuerySchema,
  ThroughputQuerySchema,
  WorkloadQuerySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import { toRange } from './report-range.js'
import type { ReportsService } from './reports.service.js'

/** Report endpoints under `/api/v1`: any member of the project, viewers included. */
export function reportsRoutes(
  auth: AuthService,
  db: Db,
  reports: ReportsService,
  now: () => number,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const project = validate('param', ProjectParamsSchema)
  const viewer = projectRoles(db)('viewer')

  app.get(
    '/projects/:id/reports/summary',
    signedIn,
    project,
    viewer,
    validate('query', ReportTzQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param')
      return c.json(await reports.summary(id, c.req.valid('query').tz ?? 'UTC'))
    },
  )

  app.get(
    '/projects/:id/reports/throughput',
    signedIn,
    project,
    viewer,
    validate('query', ThroughputQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param')
      const query = c.req.valid('query')
      const interval = query.interval ?? 'day'
      const range = toRange(query, now(), interval === 'week' ? 84 : 30)
      return c.json(await reports.throughput(id, range, interval))
    },
  )

  // Day-by-day reports over a date range: same parameters, same checks.
  app.get(
    '/projects/:id/reports/cumulative-flow',
    signedIn,
    project,
    viewer,
    validate('query', CumulativeFlowQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param')
      const query = c.req.valid('query')
      const range = toRange(query, now(), 30)
      return c.json(await reports.cumulativeFlow(id, range, query.groupBy))
    },
  )

  const rangeReports = {
    burnup: { defaultDays: 30, run: reports.burnup },
    'cycle-time': { defaultDays: 90, run: reports.cycleTime },
  } as const
  for (const [name, { defaultDays, run }] of Object.entries(rangeReports)) {
    app.get(
      `/projects/:id/reports/${name}`,
      signedIn,
      project,
      viewer,
      validate('query', ReportRangeQuerySchema),
      async (c) => {
        const { id } = c.req.valid('param')
        const range = toRange(c.req.valid('query'), now(), defaultDays)
        return c.json(await run(id, range))
      },
    )
  }

  app.get(
    '/projects/:id/reports/workload',
    signedIn,
    project,
    viewer,
    validate('query', WorkloadQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param')
      const query = c.req.valid('query')
      return c.json(await reports.workload(id, query.tz ?? 'UTC', query.groupBy))
    },
  )

  app.get('/reports/me', signedIn, validate('query', MyTasksQuerySchema), async (c) => {
    const query = c.req.valid('query')
    return c.json(await reports.myTasks(c.var.user.id, query.tz ?? 'UTC', query.limit ?? 200))
  })

  return app
}
