import type { Context, MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

// host or host:port, IPv6 in brackets: anything else is not echoed into the policy.
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * The sync socket of the page's own host. CSP3 lets 'self' match ws(s) of the same host,
 * but older browsers (Safari < 15.4) need them named.
 */
function sameHostSockets(c: Context): string {
  const host = new URL(c.req.url).host
  return HOST.test(host) ? `ws://${host} wss://${host}` : ''
}

/**
 * Security headers on every response (app, assets, API, SSE, errors): a CSP that allows
 * only the app's own scripts, no framing, no sniffing, no referrer (links carry tokens),
 * and HSTS when the public URL is https.
 *
 * Styles allow 'unsafe-inline': the editor (TipTap) injects its base stylesheet, the
 * collaboration carets set `style` attributes and Radix's scroll lock injects a `<style>`;
 * a nonce cannot work because the service worker serves a cached index.html.
 */
export function securityHeaders(opts: { publicUrl: string }): MiddlewareHandler {
  const https = opts.publicUrl.startsWith('https:')
  const appHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      // blob: attachments the app fetched with its Bearer header (or holds offline) and shows.
      imgSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", sameHostSockets],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // No includeSubDomains: the server cannot know what else runs under its domain.
    strictTransportSecurity: https ? 'max-age=31536000' : false,
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
      serial: [],
      hid: [],
      midi: [],
      accelerometer: [],
      gyroscope: [],
      magnetometer: [],
      displayCapture: [],
      browsingTopics: [],
    },
  })
  // A route that set its own, stricter policy (attachment downloads: `sandbox`) keeps it:
  // secureHeaders writes the app's policy after the handler ran.
  return async (c, next) => {
    let own: string | null = null
    await appHeaders(c, async () => {
      await next()
      own = c.res.headers.get('Content-Security-Policy')
    })
    if (own) c.res.headers.set('Content-Security-Policy', own)
  }
}
