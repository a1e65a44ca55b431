import { z } from 'zod'

/**
 * Shapes of the REST responses the app reads. Lenient on purpose: extra fields are
 * dropped, optional ones may be missing, so a server adding fields never breaks the app.
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const
export const roleSchema = z.enum(ROLES)
export type Role = z.infer<typeof roleSchema>

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().catch(''),
})
export type User = z.infer<typeof userSchema>

export const sessionResponseSchema = z.object({ user: userSchema, token: z.string() })
export type SessionResponse = z.infer<typeof sessionResponseSchema>

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  role: roleSchema.catch('viewer'),
  archivedAt: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => v ?? null),
})
export type Project = z.infer<typeof projectSchema>

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string().catch(''),
  name: z.string().catch(''),
  role: roleSchema,
})
export type Member = z.infer<typeof memberSchema>

/** Accepts `T`, `{ [key]: T }` — servers wrap lists and single objects differently. */
export function unwrap<T extends z.ZodType>(key: string, schema: T) {
  return z.union([schema, z.object({ [key]: schema }).transform((o) => o[key] as z.infer<T>)])
}

/** Members may arrive with `id` or nested `user`; normalise to `Member`. */
export const memberInputSchema = z
  .object({
    userId: z.string().optional(),
    id: z.string().optional(),
    user: z.object({ id: z.string(), email: z.string(), name: z.string().catch('') }).optional(),
    email: z.string().optional(),
    name: z.string().optional(),
    role: roleSchema,
  })
  .transform((m, ctx): Member => {
    const userId = m.userId ?? m.user?.id ?? m.id
    if (!userId) {
      ctx.addIssue({ code: 'custom', message: 'member without user id' })
      return z.NEVER
    }
    return {
      userId,
      email: m.email ?? m.user?.email ?? '',
      name: m.name ?? m.user?.name ?? '',
      role: m.role,
    }
  })

export const okSchema = z.unknown()

/** A pending invitation of an address without an account (members page). */
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  expiresAt: z.string(),
})
export type Invitation = z.infer<typeof invitationSchema>

/** What an invitation link shows before it is accepted. */
export const invitationPreviewSchema = z.object({
  projectName: z.string(),
  inviterName: z.string().catch(''),
  email: z.string(),
  role: roleSchema,
})
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>
