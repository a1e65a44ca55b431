import { CLOSE_CODES, roleAtLeast } from '@taskflow/api'
import { findLiveSession } from '../auth/sessions.repository.js'
import { tokens } from '../auth/tokens.js'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Authorize } from '../sync/access.js'
import { findRole } from './members.repository.js'
import { findProject } from './projects.repository.js'

const TOKEN = /^[A-Za-z0-9_-]{43}$/

/**
 * The real `/sync/<projectId>` check, run on connect and on every reauthorize: a live
 * session (else 4401), a member of an existing, unarchived project (else 4403); viewers
 * read, members and up write. Reads SQL each time so revocations apply at once.
 */
export function createSyncAuthorize(db: Db, now: Clock): Authorize {
  return async (token, docName) => {
    if (!token || !TOKEN.test(token)) {
      return { ok: false, code: CLOSE_CODES.unauthenticated, reason: 'sign in required' }
    }
    const found = await findLiveSession(db, tokens.hash(token), now())
    if (!found) {
      return { ok: false, code: CLOSE_CODES.unauthenticated, reason: 'session expired or revoked' }
    }
    const project = await findProject(db, docName)
    const role = project && (await findRole(db, docName, found.user.id))
    if (!project || !role) {
      return { ok: false, code: CLOSE_CODES.forbidden, reason: 'not a member of this project' }
    }
    if (project.archived_at !== null) {
      return { ok: false, code: CLOSE_CODES.forbidden, reason: 'project is archived' }
    }
    return {
      ok: true,
      access: roleAtLeast(role, 'member') ? 'write' : 'read',
      userId: found.user.id,
      sessionId: found.session.id,
    }
  }
}
