import type { AuthorsResponse } from '@taskflow/api'
import type { Db } from '../db/database.js'
import { listClientAuthors } from './client-bindings.repository.js'

export type AuthorsService = ReturnType<typeof createAuthorsService>

/** Who wrote what on a board: the server's client-ID bindings (sync/authorship.ts). */
export function createAuthorsService(db: Db) {
  return {
    /** Any member, viewers included: they see the authors on the board they read. */
    async list(projectId: string): Promise<AuthorsResponse> {
      const rows = await listClientAuthors(db, projectId)
      return {
        authors: rows.map((r) => ({
          clientId: r.client_id,
          userId: r.user_id,
          name: r.name ?? '',
        })),
      }
    },
  }
}
