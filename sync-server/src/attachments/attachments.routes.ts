import {
  AttachmentParamsSchema,
  ProjectParamsSchema,
  UploadAttachmentQuerySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import { type AttachmentsService, servedType } from './attachments.service.js'

/**
 * Policy of every file response: a sandboxed, resource-less document, so even a file a
 * browser decided to render could run no script and load nothing on our origin.
 */
export const FILE_CSP = "sandbox; default-src 'none'"

/** Headers of every file response (files and thumbnails): inert, private, immutable. */
const INERT_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': FILE_CSP,
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Content-addressed: the bytes never change; private, as access may.
  'Cache-Control': 'private, max-age=31536000, immutable',
}

/** A file name without its extension ("photo.jpg" → "photo"). */
function stem(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}

/** `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266), ASCII fallback first. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** Paths whose body is a file: exempt from the JSON body limit (they have their own). */
export const UPLOAD_PATH = /^\/api\/v1\/projects\/[^/]+\/attachments\/?$/

/** `/projects/:id/attachments*` under `/api/v1`: upload (members+), status, download and thumbnail (viewers+). */
export function attachmentsRoutes(
  auth: AuthService,
  attachments: AttachmentsService,
  db: Db,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const base = '/projects/:id/attachments'
  const requireRole = projectRoles(db)
  const viewer = requireRole('viewer')

  app.post(
    base,
    validate('query', UploadAttachmentQuerySchema),
    signedIn,
    validate('param', ProjectParamsSchema),
    requireRole('member'),
    async (c) => {
      const q = c.req.valid('query')
      const length = c.req.header('content-length')
      const result = await attachments.upload(c.req.valid('param').id, c.var.user.id, {
        name: q.name,
        sha256: q.sha256,
        size: q.size === undefined ? undefined : Number(q.size),
        contentType: c.req.header('content-type'),
        contentLength: length && /^\d+$/.test(length) ? Number(length) : undefined,
        body: c.req.raw.body,
      })
      return c.json(result, 201)
    },
  )

  app.get(
    `${base}/:sha256/status`,
    validate('query', NoQuerySchema),
    signedIn,
    validate('param', AttachmentParamsSchema),
    viewer,
    async (c) => {
      const { id, sha256 } = c.req.valid('param')
      return c.json(await attachments.status(id, sha256))
    },
  )

  app.get(
    `${base}/:sha256/thumbnail`,
    validate('query', NoQuerySchema),
    signedIn,
    validate('param', AttachmentParamsSchema),
    viewer,
    async (c) => {
      const { id, sha256 } = c.req.valid('param')
      const { row, body, size } = await attachments.thumbnail(id, sha256)
      return c.body(body, 200, {
        ...INERT_HEADERS,
        'Content-Type': 'image/webp',
        'Content-Length': String(size),
        'Content-Disposition': contentDisposition('inline', `${stem(row.name)}.thumbnail.webp`),
      })
    },
  )

  app.get(
    `${base}/:sha256`,
    validate('query', NoQuerySchema),
    signedIn,
    validate('param', AttachmentParamsSchema),
    viewer,
    async (c) => {
      const { id, sha256 } = c.req.valid('param')
      const { row, body } = await attachments.download(id, sha256)
      const type = servedType(row)
      return c.body(body, 200, {
        'Content-Type': type,
        'Content-Length': String(row.size),
        'Content-Disposition': contentDisposition(
          type === 'application/octet-stream' ? 'attachment' : 'inline',
          row.name,
        ),
        ...INERT_HEADERS,
      })
    },
  )

  return app
}
