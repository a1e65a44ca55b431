import { ERROR_CODES } from '@taskflow/api'
import { Hono } from 'hono'
import { z } from 'zod'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { validate } from '../http/validate.js'
import { requireProjectRole } from '../projects/project-access.js'
import type { Range, ReportsService } from './reports.service.js'
import { addDays, daysBetween, isTimeZone, localDate } from './zoned-time.js'

const MAX_RANGE_DAYS = 366
const DATE = z.iso.date()
const TZ = z
  .string()
  .max(64)
  .refine(isTimeZone, 'unknown time zone (use an IANA name such as Europe/Berlin)')

const ProjectParams = z.object({ id: z.uuid() }).strict()
const TzQuery = z.object({ tz: TZ.optional() }).strict()
const MeQuery = z
  .object({ tz: TZ.optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })
  .strict()
const RangeQuery = z
  .object({ from: DATE.optional(), to: DATE.optional(), tz: TZ.optional() })
  .strict()
const ThroughputQuery = RangeQuery.extend({ interval: z.enum(['day', 'week']).optional() }).strict()

/** `from`/`to` with defaults (the last 30 days, in the given zone), checked for sense. */
function toRange(
  q: { from?: string; to?: string; tz?: string },
  now: number,
  defaultDays = 30,
): Range {
  const timeZone = q.tz ?? 'UTC'
  const to = q.to ?? localDate(now, timeZone)
  const from = q.from ?? addDays(to, -(defaultDays - 1))
  if (from > to) throw new AppError(400, ERROR_CODES.validation, 'from must not be after to')
  if (daysBetween(from, to) >= MAX_RANGE_DAYS) {
    throw new AppError(400, ERROR_CODES.validation, `a range spans at most ${MAX_RANGE_DAYS} days`)
  }
  return { from, to, timeZone }
}

/** Report endpoints under `/api/v1`: any member of the project, viewers included. */
export function reportsRoutes(
  auth: AuthService,
  db: Db,
  reports: ReportsService,
  now: () => number,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const project = validate('param', ProjectParams)
  const member = async (projectId: string, userId: string) =>
    requireProjectRole(db, projectId, userId, 'viewer')

  app.get(
    '/projects/:id/reports/summary',
    signedIn,
    project,
    validate('query', TzQuery),
    async (c) => {
      const { id } = c.req.valid('param')
      await member(id, c.var.user.id)
      return c.json(await reports.summary(id, c.req.valid('query').tz ?? 'UTC'))
    },
  )

  app.get(
    '/projects/:id/reports/throughput',
    signedIn,
    project,
    validate('query', ThroughputQuery),
    async (c) => {
      const { id } = c.req.valid('param')
      const query = c.req.valid('query')
      await member(id, c.var.user.id)
      const interval = query.interval ?? 'day'
      const range = toRange(query, now(), interval === 'week' ? 84 : 30)
      return c.json(await reports.throughput(id, range, interval))
    },
  )

  // Day-by-day reports over a date range: same parameters, same checks.
  const rangeReports = {
    'cumulative-flow': { defaultDays: 30, run: reports.cumulativeFlow },
    burnup: { defaultDays: 30, run: reports.burnup },
    'cycle-time': { defaultDays: 90, run: reports.cycleTime },
  } as const
  for (const [name, { defaultDays, run }] of Object.entries(rangeReports)) {
    app.get(
      `/projects/:id/reports/${name}`,
      signedIn,
      project,
      validate('query', RangeQuery),
      async (c) => {
        const { id } = c.req.valid('param')
        const range = toRange(c.req.valid('query'), now(), defaultDays)
        await member(id, c.var.user.id)
        return c.json(await run(id, range))
      },
    )
  }

  app.get(
    '/projects/:id/reports/workload',
    signedIn,
    project,
    validate('query', TzQuery),
    async (c) => {
      const { id } = c.req.valid('param')
      await member(id, c.var.user.id)
      return c.json(await reports.workload(id, c.req.valid('query').tz ?? 'UTC'))
    },
  )

  app.get('/reports/me', signedIn, validate('query', MeQuery), async (c) => {
    const query = c.req.valid('query')
    return c.json(await reports.myTasks(c.var.user.id, query.tz ?? 'UTC', query.limit ?? 200))
  })

  return app
}
