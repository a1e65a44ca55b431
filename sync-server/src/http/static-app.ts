import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono, MiddlewareHandler } from 'hono'

// Vite puts content-hashed files under /assets/; everything else (index.html, sw.js,
// manifest, icons) keeps its name across releases and must be revalidated.
const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

const isAppPath = (path: string) => !/^\/(api|sync)(\/|$)/.test(path) && path !== '/healthz'
const hasExtension = (path: string) => /\.[A-Za-z0-9]+$/.test(path)

/**
 * Serves the built web app from `root`: files as they are, any other extension-less GET
 * (a client-side route such as /projects/abc) as index.html. Nothing under /api or /sync.
 * Middlewares are created on first request so building the app does no file I/O.
 */
export function serveBuiltApp(app: Hono, root: string): void {
  let files: MiddlewareHandler | undefined
  let shell: MiddlewareHandler | undefined
  app.get('*', (c, next) => {
    if (!isAppPath(c.req.path)) return next()
    files ??= serveStatic({
      root,
      onFound: (path, ctx) => {
        ctx.header('Cache-Control', path.includes('/assets/') ? IMMUTABLE : REVALIDATE)
      },
    })
    return files(c, next)
  })
  app.get('*', (c, next) => {
    if (!isAppPath(c.req.path) || hasExtension(c.req.path)) return next()
    shell ??= serveStatic({
      root,
      path: 'index.html',
      onFound: (_path, ctx) => {
        ctx.header('Cache-Control', REVALIDATE)
      },
    })
    return shell(c, next)
  })
}
