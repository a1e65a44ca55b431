import { z } from 'zod'
import { singleLineName } from './auth.js'

/**
 * Personal saved views (docs/api.md "Personal views"): a user's own named views of a
 * project, kept on the server so they follow the user to another device. The app keeps
 * them offline first (a local store and an outbox) and syncs with these routes.
 *
 * Merge rule (last writer wins by `updatedAt`): a `PUT` or `DELETE` whose `updatedAt` is
 * older than the stored one changes nothing and answers the stored view; an equal or newer
 * one replaces it (so replaying the same write is harmless). `updatedAt` is the time of the
 * edit on the device that made it, in milliseconds since the epoch.
 */

/** Largest view state, in JSON characters (a view is a few hundred). */
export const MAX_PERSONAL_VIEW_STATE = 8_000
/** Most live personal views one user keeps in one project. */
export const MAX_PERSONAL_VIEWS = 200

const word = z.string().min(1).max(64)

/**
 * A view state: kind, filter, sort, grouping, list columns (the app's `ViewState`). Known
 * fields are checked loosely (strings, not enums) and unknown ones kept, so a newer app's
 * state survives a round trip; each app reads what it understands.
 */
export const PersonalViewStateSchema = z
  .looseObject({
    kind: word,
    filter: z.looseObject({
      fields: z.record(z.string().min(1).max(32), z.array(word).max(50)),
      all: z.array(word).max(20).optional(),
      text: z.string().max(200).optional(),
    }),
    sort: z.looseObject({ key: word, desc: z.boolean().optional() }),
    group: word,
    columns: z.array(word).max(50),
  })
  .refine((s) => JSON.stringify(s).length <= MAX_PERSONAL_VIEW_STATE, {
    message: `state must be at most ${MAX_PERSONAL_VIEW_STATE} characters of JSON`,
  })
  .meta({ id: 'PersonalViewState' })

/** Made on the device (so a view made offline keeps its id): letters, digits, `-`, `_`. */
export const PersonalViewIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'viewId must be 1–64 letters, digits, - or _')

/** Milliseconds since the epoch, from the device that made the change. */
const EditTimeSchema = z.number().int().min(0).max(8_640_000_000_000_000)

export const PersonalViewParamsSchema = z.object({ viewId: PersonalViewIdSchema })

export const PersonalViewsQuerySchema = z.object({ projectId: z.uuid() }).strict()

export const PersonalViewPutSchema = z
  .object({
    projectId: z.uuid(),
    name: singleLineName(200),
    state: PersonalViewStateSchema,
    updatedAt: EditTimeSchema,
  })
  .strict()
export type PersonalViewPut = z.infer<typeof PersonalViewPutSchema>

export const PersonalViewDeleteQuerySchema = z
  .object({ updatedAt: z.coerce.number().pipe(EditTimeSchema).optional() })
  .strict()

export const PersonalViewSchema = z
  .object({
    id: PersonalViewIdSchema,
    projectId: z.uuid(),
    name: z.string(),
    state: PersonalViewStateSchema,
    updatedAt: z.number(),
  })
  .meta({ id: 'PersonalView' })
export type PersonalViewBody = z.infer<typeof PersonalViewSchema>

/** A view deleted on some device: others drop their copy unless they changed it later. */
export const PersonalViewTombstoneSchema = z.object({
  id: PersonalViewIdSchema,
  updatedAt: z.number(),
})

export const PersonalViewsSchema = z.object({
  views: z.array(PersonalViewSchema),
  deleted: z.array(PersonalViewTombstoneSchema),
})
export type PersonalViews = z.infer<typeof PersonalViewsSchema>
