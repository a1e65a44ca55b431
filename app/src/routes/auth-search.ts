import { z } from 'zod'

/** `?redirect=/projects/abc` — where to go after signing in. Only same-app paths are honoured. */
export const authSearchSchema = z.object({
  redirect: z
    .string()
    .refine((v) => v.startsWith('/') && !v.startsWith('//'))
    .optional()
    .catch(undefined),
})
export type AuthSearch = z.infer<typeof authSearchSchema>
