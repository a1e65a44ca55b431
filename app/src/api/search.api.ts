import { SearchResponseSchema } from '@taskflow/api'
import { apiRequest } from './client'

/** Server search over the caller's readable projects (shared contract: `@taskflow/api` search). */
export const searchServer = (q: string, limit = 20) =>
  apiRequest(`/search?q=${encodeURIComponent(q)}&limit=${limit}`, { schema: SearchResponseSchema })
