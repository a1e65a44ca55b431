import type { Context, MiddlewareHandler } from 'hono'
import { requestId } from 'hono/request-id'
import { matchedRoutes } from 'hono/route'
import { type Logger, logContext } from '../logger.js'
import type { HttpMetrics } from '../metrics/metrics.js'

/** Route label of requests no handler matched (404s): never the raw path, which may hold ids. */
export const UNMATCHED_ROUTE = '(unmatched)'

/**
 * Gives every request an id (echoed as `X-Request-Id`; a client's own is kept when it is
 * short and plain), runs the request inside a log context so every line it logs carries
 * `requestId`, then writes one access-log line at info and records the HTTP metrics. The
 * line names the route template, never the path or query (they may hold ids and tokens).
 */
export function requestLog(logger: Logger, metrics?: HttpMetrics): MiddlewareHandler[] {
  const log: MiddlewareHandler = async (c, next) => {
    const started = performance.now()
    const id = c.get('requestId')
    await logContext.run({ requestId: id }, next)
    const seconds = (performance.now() - started) / 1000
    const status = c.res.status
    const route = routeTemplate(c, status)
    metrics?.request(c.req.method, route, status, seconds)
    logContext.run({ requestId: id }, () =>
      logger.info('http request', {
        method: c.req.method,
        route,
        status,
        ms: Math.round(seconds * 10_000) / 10,
      }),
    )
  }
  return [requestId(), log]
}

/**
 * The template of the handler that answered. Middleware-only matches (app.use() registers
 * under method ALL) and wildcard handlers that passed on to the 404 (the SPA fallback) are
 * `(unmatched)`, so probes of random paths add one series, not one per path shape.
 */
function routeTemplate(c: Context, status: number): string {
  const route = matchedRoutes(c).at(c.req.routeIndex)
  if (!route || route.method === 'ALL') return UNMATCHED_ROUTE
  if (status === 404 && route.path.endsWith('*')) return UNMATCHED_ROUTE
  return route.path
}
