import { MemberSchema, ProjectSchema, UserSchema } from '@taskflow/api'
import type { z } from 'zod'

/*
 * Response shapes come from `@taskflow/api` (the route registry the server answers by). What
 * is here is the app's own copy of API data on this device — the session in localStorage,
 * the offline caches — as the fields the app uses, picked from the API's schemas, so copies
 * written by older versions of the app (which kept fewer fields) still read back.
 */
export {
  type Invitation,
  type InvitationPreview,
  ROLES,
  type Role,
  RoleSchema as roleSchema,
} from '@taskflow/api'

/** The signed-in user as the session keeps it. */
export const userSchema = UserSchema.pick({ id: true, email: true, name: true })
export type User = z.infer<typeof userSchema>

/** A project as the projects list and its offline copy keep it. */
export const projectSchema = ProjectSchema.pick({
  id: true,
  name: true,
  description: true,
  role: true,
  archivedAt: true,
})
export type Project = z.infer<typeof projectSchema>

/** A member as the board (assignees, mentions, presence) and its offline copy keep it. */
export const memberSchema = MemberSchema.pick({ userId: true, email: true, name: true, role: true })
export type Member = z.infer<typeof memberSchema>
