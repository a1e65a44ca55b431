import {
  ERROR_CODES,
  MAX_PERSONAL_VIEWS,
  type PersonalViewBody,
  type PersonalViewPut,
  type PersonalViews,
} from '@taskflow/api'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { PersonalViewsTable } from '../db/schema.js'
import { AppError } from '../http/app-error.js'
import { findRole } from '../projects/members.repository.js'

/**
 * Personal saved views, synced between a user's devices. Last writer wins by the device's
 * `updatedAt` (docs/api.md "Personal views"): an older write changes nothing and gets the
 * stored view back, so a device that was offline for a week cannot undo today's edit, and
 * replaying a queued write is harmless. Deletions are tombstones for the same reason.
 * A project the user cannot read answers 404, as if it did not exist (nothing leaks).
 */
export function createPersonalViewsService(db: Db, now: Clock) {
  async function requireReader(projectId: string, userId: string) {
    if (!(await findRole(db, projectId, userId))) {
      throw new AppError(404, ERROR_CODES.notFound, 'Project not found')
    }
  }

  const present = (r: PersonalViewsTable): PersonalViewBody => ({
    id: r.view_id,
    projectId: r.project_id,
    name: r.name,
    state: JSON.parse(r.body),
    updatedAt: r.updated_at,
  })

  const find = (userId: string, viewId: string) =>
    db
      .selectFrom('personal_views')
      .selectAll()
      .where('user_id', '=', userId)
      .where('view_id', '=', viewId)
      .executeTakeFirst()

  return {
    async list(userId: string, projectId: string): Promise<PersonalViews> {
      await requireReader(projectId, userId)
      const rows = await db
        .selectFrom('personal_views')
        .selectAll()
        .where('user_id', '=', userId)
        .where('project_id', '=', projectId)
        .orderBy('updated_at')
        .orderBy('view_id')
        .execute()
      return {
        views: rows.filter((r) => !r.deleted).map(present),
        deleted: rows
          .filter((r) => r.deleted)
          .map((r) => ({ id: r.view_id, updatedAt: r.updated_at })),
      }
    },

    async put(userId: string, viewId: string, input: PersonalViewPut): Promise<PersonalViewBody> {
      await requireReader(input.projectId, userId)
      return db.transaction().execute(async (tx) => {
        const stored = await tx
          .selectFrom('personal_views')
          .selectAll()
          .where('user_id', '=', userId)
          .where('view_id', '=', viewId)
          .executeTakeFirst()
        if (stored && stored.project_id !== input.projectId) {
          throw new AppError(
            409,
            ERROR_CODES.conflict,
            'This view id is taken by a view of another project',
          )
        }
        if (stored && stored.updated_at > input.updatedAt) {
          if (stored.deleted) {
            throw new AppError(410, ERROR_CODES.gone, 'This view was deleted after this change')
          }
          return present(stored)
        }
        if (!stored || stored.deleted) {
          const live = await tx
            .selectFrom('personal_views')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('user_id', '=', userId)
            .where('project_id', '=', input.projectId)
            .where('deleted', '=', 0)
            .executeTakeFirstOrThrow()
          if (Number(live.n) >= MAX_PERSONAL_VIEWS) {
            throw new AppError(
              409,
              ERROR_CODES.conflict,
              `At most ${MAX_PERSONAL_VIEWS} personal views per project`,
            )
          }
        }
        const row: PersonalViewsTable = {
          user_id: userId,
          view_id: viewId,
          project_id: input.projectId,
          name: input.name,
          body: JSON.stringify(input.state),
          updated_at: input.updatedAt,
          deleted: 0,
        }
        await tx
          .insertInto('personal_views')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['user_id', 'view_id']).doUpdateSet({
              name: row.name,
              body: row.body,
              updated_at: row.updated_at,
              deleted: 0,
            }),
          )
          .execute()
        return present(row)
      })
    },

    /** Idempotent: an unknown or already deleted view is fine. Without `updatedAt`, the server's clock. */
    async remove(userId: string, viewId: string, updatedAt?: number): Promise<void> {
      const stored = await find(userId, viewId)
      if (!stored) return
      await requireReader(stored.project_id, userId)
      const at = updatedAt ?? now()
      if (stored.updated_at > at) return
      await db
        .updateTable('personal_views')
        .set({ deleted: 1, updated_at: at, body: '{}', name: '' })
        .where('user_id', '=', userId)
        .where('view_id', '=', viewId)
        .where('updated_at', '<=', at)
        .execute()
    },
  }
}

export type PersonalViewsService = ReturnType<typeof createPersonalViewsService>
