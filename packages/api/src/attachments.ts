import { z } from 'zod'

/**
 * Attachments (docs/api.md "Attachments"): files stored content-addressed by SHA-256 per
 * project, referenced from the board document by hash.
 */

/** Lower-case hex SHA-256 of a file's bytes: its identity on the server and in documents. */
export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256 (64 characters)')

/** Path of `/projects/:id/attachments/:sha256…`. */
export const AttachmentParamsSchema = z.object({ id: z.uuid(), sha256: Sha256Schema }).strict()

/** A file name as shown to people: no path, no control characters. */
export const AttachmentNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((s) => !/[\p{Cc}/\\]/u.test(s), 'must not contain slashes or control characters')

/**
 * Query of `POST /projects/:id/attachments` (the body is the file's raw bytes). `sha256` and
 * `size` are what the client computed: the server refuses the upload (400, nothing stored)
 * when the bytes differ, so a retried or resumed upload can never store a truncated file.
 */
export const UploadAttachmentQuerySchema = z
  .object({
    name: AttachmentNameSchema,
    sha256: Sha256Schema.optional(),
    size: z
      .string()
      .regex(/^\d{1,15}$/, 'expected a byte count')
      .optional(),
  })
  .strict()

/** Media types served inline (after the server sniffed the bytes); every other file is a download. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const

/** An attachment as stored for a project. */
export const AttachmentSchema = z.object({
  sha256: Sha256Schema,
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** The media type the server serves it as: a sniffed image type, else the client's (never active content). */
  type: z.string(),
  /**
   * Path of the file's thumbnail (`GET …/attachments/:sha256/thumbnail`, WebP, at most 480 px):
   * png, jpeg, gif and webp images the server could decode; absent for every other file.
   */
  thumbnail: z.string().optional(),
})
export type Attachment = z.infer<typeof AttachmentSchema>

/** `GET /projects/:id/attachments/:sha256/status`: whether this project already holds the file. */
export const AttachmentStatusSchema = z.object({
  sha256: Sha256Schema,
  stored: z.boolean(),
  size: z.number().int().nonnegative().optional(),
})
export type AttachmentStatus = z.infer<typeof AttachmentStatusSchema>
