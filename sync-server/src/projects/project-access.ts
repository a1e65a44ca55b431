import { ERROR_CODES, type Role, roleAtLeast } from '@taskflow/api'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { findRole } from './members.repository.js'
import { findProject, type ProjectRow } from './projects.repository.js'

/**
 * Loads a project for a user who needs at least `min`. Unknown project → 404; not a member
 * or too weak a role → 403 (ids are random UUIDs, so 403 reveals nothing guessable).
 */
export async function requireProjectRole(
  db: Db,
  projectId: string,
  userId: string,
  min: Role,
): Promise<{ project: ProjectRow; role: Role }> {
  const project = await findProject(db, projectId)
  if (!project) throw new AppError(404, ERROR_CODES.notFound, 'Project not found')
  const role = await findRole(db, projectId, userId)
  if (!role) throw new AppError(403, ERROR_CODES.forbidden, 'You are not a member of this project')
  if (!roleAtLeast(role, min)) {
    throw new AppError(403, ERROR_CODES.forbidden, `This needs the ${min} role or higher`)
  }
  return { project, role }
}
