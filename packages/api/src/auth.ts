import { z } from 'zod'

/**
 * An e-mail address as the server stores it: trimmed and lower-cased, so `Ann@X.org` and
 * `ann@x.org` are one account.
 * @example EmailSchema.parse(' Ann@Example.org ') // 'ann@example.org'
 */
export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((s) => s.toLowerCase())

/** 8–256 characters; the upper bound keeps hashing cost bounded. */
export const PasswordSchema = z.string().min(8).max(256)

/**
 * Characters no single-line name may hold: C0/C1 controls and DEL (NUL, tab, line breaks…),
 * U+2028/U+2029, and the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) that make a name display in another order than it is stored. Names reach
 * e-mail subjects and other people's screens. Direction marks (U+200E/U+200F) stay allowed.
 * The same rule as `UNSAFE_NAME_CHARS` of `@taskflow/board` (a server test keeps them equal).
 */
export const UNSAFE_NAME_CHARS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u

/**
 * A trimmed single-line name of `min`–`max` characters without `UNSAFE_NAME_CHARS`.
 * @example singleLineName(200).parse(' Launch ') // 'Launch'
 */
export function singleLineName(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (s) => !UNSAFE_NAME_CHARS.test(s),
      'must not contain control characters (such as line breaks or NUL) or bidirectional override characters (U+202A–U+202E, U+2066–U+2069)',
    )
}

/** A display name: 1–100 characters after trimming, one line. */
export const NameSchema = singleLineName(100)

/** `#rrggbb`, lower- or upper-case. */
export const AvatarColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected #rrggbb')

/** An opaque token from an e-mail link or a login (base64url, 43 characters). */
export const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'malformed token')

/**
 * `POST /api/v1/auth/register`. `invitationToken` (from an invitation link) joins the
 * invited project: at once when the address is the invited one (the link proved it),
 * otherwise once the address is verified. Answered 201 `AuthResponse` (the instance's first
 * account, or an invited address) or 202 `VerificationSent` (everyone else, whether or not
 * the address already has an account).
 * @example await api.post('/auth/register', { email, password, name })
 */
export const RegisterBodySchema = z
  .object({
    email: EmailSchema,
    password: PasswordSchema,
    name: NameSchema,
    invitationToken: TokenSchema.optional(),
  })
  .strict()
export type RegisterBody = z.input<typeof RegisterBodySchema>

/** `POST /api/v1/auth/login`. The password is not length-checked beyond the cap. */
export const LoginBodySchema = z
  .object({ email: EmailSchema, password: z.string().min(1).max(256) })
  .strict()
export type LoginBody = z.input<typeof LoginBodySchema>

/** `PATCH /api/v1/me`: at least one field. */
export const UpdateMeBodySchema = z
  .object({ name: NameSchema.optional(), avatarColor: AvatarColorSchema.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'expected at least one field')
export type UpdateMeBody = z.input<typeof UpdateMeBodySchema>

/** `POST /api/v1/me/password`: other sessions are signed out. */
export const ChangePasswordBodySchema = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: PasswordSchema })
  .strict()
export type ChangePasswordBody = z.input<typeof ChangePasswordBodySchema>

/** `POST /api/v1/auth/password-reset/request`: always answered 202. */
export const PasswordResetRequestBodySchema = z.object({ email: EmailSchema }).strict()
export type PasswordResetRequestBody = z.input<typeof PasswordResetRequestBodySchema>

/** `POST /api/v1/auth/password-reset/confirm`: the token from the e-mailed link. */
export const PasswordResetConfirmBodySchema = z
  .object({ token: TokenSchema, newPassword: PasswordSchema })
  .strict()
export type PasswordResetConfirmBody = z.input<typeof PasswordResetConfirmBodySchema>

/** `POST /api/v1/auth/verify-email`: the token of the e-mailed `/verify-email/<token>` link. */
export const VerifyEmailBodySchema = z.object({ token: TokenSchema }).strict()
export type VerifyEmailBody = z.input<typeof VerifyEmailBodySchema>

/** `POST /api/v1/auth/verify-email/resend`: always answered 202. */
export const VerifyEmailResendBodySchema = z.object({ email: EmailSchema }).strict()
export type VerifyEmailResendBody = z.input<typeof VerifyEmailResendBodySchema>

/** An ISO 8601 timestamp in UTC, as every answer writes times (`2026-11-02T10:00:00.000Z`). */
export const TimestampSchema = z.iso.datetime()

/** 202 answer of register when an e-mail must be opened first (same for known addresses). */
export const VerificationSentSchema = z
  .object({ status: z.literal('verification_sent') })
  .meta({ id: 'VerificationSent' })
export type VerificationSent = z.infer<typeof VerificationSentSchema>

/**
 * 202 answer of the requests that mail a link (password reset, verification resend): the
 * same whether or not the address has an account.
 */
export const RequestedSchema = z.object({ status: z.literal('requested') })
export type Requested = z.infer<typeof RequestedSchema>

/** A signed-in user as the API returns it. Timestamps are ISO 8601. */
export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    avatarColor: z.string(),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'User' })
export type User = z.infer<typeof UserSchema>

/** Answer of register and login: send `token` as `Authorization: Bearer <token>`. */
export const AuthResponseSchema = z
  .object({
    user: UserSchema,
    token: z.string(),
    expiresAt: TimestampSchema,
    /** Register only: the project of the invitation the sign-up joined. */
    joinedProjectId: z.uuid().optional(),
  })
  .meta({ id: 'AuthResponse' })
export type AuthResponse = z.infer<typeof AuthResponseSchema>

/** Answer of verify-email: signed in, with the projects joined through pending invitations. */
export const VerifyEmailResponseSchema = AuthResponseSchema.omit({ joinedProjectId: true })
  .extend({ joinedProjectIds: z.array(z.uuid()) })
  .meta({ id: 'VerifyEmailResponse' })
export type VerifyEmailResponse = z.infer<typeof VerifyEmailResponseSchema>
