import { z } from 'zod'

/** `?redirect=/projects/abc` — where to go after signing in. Only same-app paths are honoured. */
export const authSearchSchema = z.object({
  redirect: z
    .string()
    .refine((v) => v.startsWith('/') && !v.startsWith('//'))
    .optional()
    .catch(undefined),
  /** Sign-up from an invitation link: the new account joins that project. */
  invitation: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,200}$/)
    .optional()
    .catch(undefined),
  /** Prefills the e-mail field (the invited address). */
  email: z.email().optional().catch(undefined),
})
export type AuthSearch = z.infer<typeof authSearchSchema>

/** `?token=` of the e-mailed reset link. */
export const resetSearchSchema = z.object({
  token: z.string().min(1).optional().catch(undefined),
})
