import { randomUUID } from 'node:crypto'
import type { Project, Role } from '@taskflow/api'
import type { AccountsDeps } from '../auth/accounts-deps.js'
import { enforce } from '../auth/rate-limit.js'
import { type AbuseLimits, createAbuseLimits } from './abuse-limits.js'
import { deleteStoredDocument, initialBoardUpdate, insertInitialUpdate } from './board-document.js'
import { insertMember } from './members.repository.js'
import { toProject } from './projects.presenter.js'
import {
  deleteProject,
  insertProject,
  listProjectsOfUser,
  type ProjectRow,
  updateProject,
} from './projects.repository.js'
import type { ProjectAccess } from './require-role.js'

export type ProjectsService = ReturnType<typeof createProjectsService>

export function createProjectsService(
  deps: AccountsDeps,
  limits: AbuseLimits = createAbuseLimits(deps.config, deps.now),
) {
  const { db, logger, sync, now, config } = deps

  async function countCreate(userId: string): Promise<void> {
    enforce(
      await limits.projectCreates.hit(userId),
      `You can create at most ${config.TASKFLOW_PROJECTS_PER_HOUR} projects per hour; try again later`,
    )
  }

  async function insertWithBoard(
    userId: string,
    input: { name: string; description: string },
    update: Uint8Array,
    members: ReadonlyArray<{ userId: string; role: Exclude<Role, 'owner'> }>,
    opts: { deriveAfterResponse?: boolean } = {},
  ): Promise<Project> {
    const t = now()
    const row: ProjectRow = {
      id: randomUUID(),
      name: input.name,
      description: input.description,
      created_by: userId,
      archived_at: null,
      created_at: t,
      updated_at: t,
    }
    await db.transaction().execute(async (trx) => {
      await insertProject(trx, row)
      await insertMember(trx, { project_id: row.id, user_id: userId, role: 'owner', created_at: t })
      for (const m of members) {
        if (m.userId === userId) continue
        await insertMember(trx, {
          project_id: row.id,
          user_id: m.userId,
          role: m.role,
          created_at: t,
        })
      }
      await insertInitialUpdate(trx, row.id, update, userId, t)
    })
    // Its columns show in reports from the start, not once someone opens the board. A big
    // imported board takes seconds to derive: that runs after the answer.
    if (opts.deriveAfterResponse) {
      deps.afterResponse.run('derive new board', async () => sync.documentWritten(row.id))
    } else sync.documentWritten(row.id)
    logger.info('project created', { projectId: row.id, userId, members: members.length })
    return toProject(row, 'owner')
  }

  return {
    /** `archived` filters: true = archived only, false = active only, undefined = all. */
    async list(userId: string, archived?: boolean): Promise<Project[]> {
      const rows = await listProjectsOfUser(db, userId)
      return rows
        .filter((r) => archived === undefined || (r.archived_at !== null) === archived)
        .map(({ role, ...row }) => toProject(row, role))
    },

    /** Creates the project, makes the creator its owner and writes the initial board. */
    async create(userId: string, input: { name: string; description?: string }): Promise<Project> {
      await countCreate(userId)
      const description = input.description ?? ''
      return insertWithBoard(
        userId,
        { name: input.name, description },
        initialBoardUpdate({ name: input.name, description }),
        [],
      )
    },

    /**
     * Counts one project creation against the hourly limit (429 past it). Importers call it
     * before building a board, then `insertWithBoard`.
     */
    countCreate,

    /**
     * Inserts a project whose board is `update` (seq 1 of its log, authored by the creator),
     * the creator as owner and `members` (other accounts) with their roles, in one
     * transaction: an import either exists whole or not at all.
     */
    insertWithBoard,

    /** The project as the caller sees it (requireRole found both). */
    get({ project, role }: ProjectAccess): Project {
      return toProject(project, role)
    },

    /**
     * Renames or re-describes the project listing. The board document keeps its own copy
     * of the name, edited by clients through the board model.
     */
    async update(
      { project, role }: ProjectAccess,
      patch: { name?: string; description?: string },
    ): Promise<Project> {
      const projectId = project.id
      const next: ProjectRow = {
        ...project,
        name: patch.name ?? project.name,
        description: patch.description ?? project.description,
        updated_at: now(),
      }
      await updateProject(db, projectId, {
        name: next.name,
        description: next.description,
        updated_at: next.updated_at,
      })
      return toProject(next, role)
    },

    /** Archiving is idempotent; an archived project's board is closed to every socket. */
    async setArchived({ project, role }: ProjectAccess, archived: boolean): Promise<Project> {
      const projectId = project.id
      if ((project.archived_at !== null) === archived) return toProject(project, role)
      const t = now()
      const next: ProjectRow = { ...project, archived_at: archived ? t : null, updated_at: t }
      await updateProject(db, projectId, { archived_at: next.archived_at, updated_at: t })
      // Reauthorize (not closeDocument): pending updates are still persisted, then sockets close.
      if (archived) await sync.reauthorize({ docName: projectId })
      return toProject(next, role)
    },

    /** Owner only. Deletes memberships, invitations, the board document and its log. */
    async remove(projectId: string, userId: string): Promise<void> {
      // Close first so no pending batch is persisted after the rows are gone.
      sync.closeDocument(projectId, 'project deleted')
      await db.transaction().execute(async (trx) => {
        await deleteProject(trx, projectId)
        await deleteStoredDocument(trx, projectId)
      })
      // Reconnects are now refused (project gone); this clears anything else the sync layer keeps.
      await sync.deleteDocument(projectId)
      logger.info('project deleted', { projectId, userId })
    },
  }
}
