import { z } from 'zod'

/**
 * Every setting of the app, read once from Vite's build-time env. Defaults serve the app
 * from the same origin as the API and sync (what `pnpm start` does), so a build works on
 * any host without rebuilding.
 */
const schema = z.object({
  /** REST base path or URL. */
  VITE_API_BASE: z.string().min(1).default('/api/v1'),
  /** WebSocket origin of the sync endpoint; empty = same host as the page. */
  VITE_WS_BASE: z.string().default(''),
})

const env = schema.parse(import.meta.env)

function sameHostWsBase(): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${protocol}//${location.host}`
}

export const config = Object.freeze({
  apiBase: env.VITE_API_BASE.replace(/\/$/, ''),
  /** `new WebsocketProvider(config.syncUrl, projectId, doc)` connects to `/sync/<projectId>`. */
  syncUrl: `${env.VITE_WS_BASE || sameHostWsBase()}/sync`,
})
