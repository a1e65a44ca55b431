import { type AwaySummary, AwaySummarySchema, VisitSchema } from '@taskflow/api'
import { config } from '../config'
import { apiRequest, authHeaders } from './client'

/** "While you were away" and last visits (docs/api.md); shapes from `@taskflow/api`. */
export type { AwayChange, AwaySummary, AwayTask } from '@taskflow/api'

const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`

export function getAway(
  projectId: string,
  window: { since?: string; until?: string } = {},
): Promise<AwaySummary> {
  const q = new URLSearchParams()
  if (window.since) q.set('since', window.since)
  if (window.until) q.set('until', window.until)
  const qs = q.size > 0 ? `?${q}` : ''
  return apiRequest(`${projectPath(projectId)}/away${qs}`, { schema: AwaySummarySchema })
}

export const putVisit = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/visit`, { method: 'PUT', schema: VisitSchema })

/**
 * The visit written as the page goes away: `keepalive` lets the request outlive the page
 * (sendBeacon cannot send the Authorization header). Never throws.
 */
export function putVisitOnLeave(projectId: string): void {
  try {
    void fetch(`${config.apiBase}${projectPath(projectId)}/visit`, {
      method: 'PUT',
      headers: authHeaders(),
      keepalive: true,
    }).catch(() => {})
  } catch {
    // Offline or the page is already gone: the last periodic visit stands.
  }
}
