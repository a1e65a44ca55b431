import type { Role } from '@taskflow/api'
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { Database, ProjectsTable } from '../db/schema.js'

export type ProjectRow = Selectable<ProjectsTable>
type Conn = Kysely<Database>

export async function insertProject(db: Conn, row: Insertable<ProjectsTable>): Promise<void> {
  await db.insertInto('projects').values(row).execute()
}

export function findProject(db: Conn, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Projects the user belongs to, with the user's role, newest first. */
export function listProjectsOfUser(
  db: Conn,
  userId: string,
): Promise<Array<ProjectRow & { role: Role }>> {
  return db
    .selectFrom('projects')
    .innerJoin('project_members as m', 'm.project_id', 'projects.id')
    .selectAll('projects')
    .select('m.role')
    .where('m.user_id', '=', userId)
    .orderBy('projects.created_at', 'desc')
    .orderBy('projects.id')
    .execute()
}

export async function updateProject(
  db: Conn,
  id: string,
  patch: Updateable<ProjectsTable>,
): Promise<void> {
  await db.updateTable('projects').set(patch).where('id', '=', id).execute()
}

/** Members and invitations go with it (ON DELETE CASCADE). */
export async function deleteProject(db: Conn, id: string): Promise<void> {
  await db.deleteFrom('projects').where('id', '=', id).execute()
}
