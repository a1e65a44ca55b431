import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { PrometheusMetrics } from './metrics.js'

/**
 * `GET /metrics` in the Prometheus text format. With a token, only `Authorization: Bearer
 * <token>` is answered (401 otherwise); the comparison takes the same time however much of
 * the token is right.
 */
export function metricsRoutes(metrics: PrometheusMetrics, token: string | undefined): Hono {
  const app = new Hono()
  const expected = token ? digest(token) : null
  app.get('/metrics', async (c) => {
    if (expected) {
      const given = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
      if (!timingSafeEqual(digest(given), expected)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"')
        return c.text('Unauthorized\n', 401)
      }
    }
    c.header('Content-Type', metrics.registry.contentType)
    c.header('Cache-Control', 'no-store')
    return c.body(await metrics.registry.metrics())
  })
  return app
}

// Hashing first gives both sides one length, so timingSafeEqual never throws or leaks it.
function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest()
}
