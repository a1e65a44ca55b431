import {
  AttachmentParamsSchema,
  AttachmentSchema,
  AttachmentStatusSchema,
  INLINE_IMAGE_TYPES,
  UploadAttachmentQuerySchema,
} from './attachments.js'
import { ProjectParamsSchema } from './projects.js'
import { defineRoute } from './registry.js'

const tag = 'Attachments'
const projectErrors = { 403: 'Not a member of the project', 404: 'Unknown project' }

/** `/projects/:id/attachments*`: files stored by SHA-256 per project (docs/api.md "Attachments"). */
export const ATTACHMENT_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/projects/:id/attachments',
    tag,
    auth: 'token',
    access: 'member or higher',
    summary: "Upload a file (the body is the file's raw bytes, not JSON)",
    description:
      'Send the bytes as the body with their `Content-Type`. When `sha256`/`size` are given and the bytes differ, nothing is stored (400). Limits: `TASKFLOW_MAX_UPLOAD_MB` per file, `TASKFLOW_PROJECT_QUOTA_MB` per project (413).',
    params: ProjectParamsSchema,
    query: UploadAttachmentQuerySchema,
    responses: { 201: { description: 'Stored (or already held)', schema: AttachmentSchema } },
    errors: {
      ...projectErrors,
      400: 'Invalid input, an interrupted upload, or bytes that do not match `sha256`/`size`',
      413: 'The file is over `TASKFLOW_MAX_UPLOAD_MB`, or the project over its quota',
    },
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/attachments/:sha256/status',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'Whether the project already holds this file',
    params: AttachmentParamsSchema,
    responses: { 200: AttachmentStatusSchema },
    errors: projectErrors,
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/attachments/:sha256',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'Download a file (images inline, everything else as an attachment)',
    params: AttachmentParamsSchema,
    responses: {
      200: {
        description: 'The file',
        contentType: 'application/octet-stream',
        alternatives: Object.fromEntries(
          INLINE_IMAGE_TYPES.map((t) => [t, 'An image, sniffed from its bytes; shown inline']),
        ),
      },
    },
    errors: { ...projectErrors, 404: 'Unknown project or file' },
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/attachments/:sha256/thumbnail',
    tag,
    auth: 'token',
    access: 'viewer',
    summary: "An image attachment's thumbnail (WebP, at most 480 px a side)",
    description:
      'Made by the server when a png, jpeg, gif or webp file is uploaded: EXIF orientation applied, metadata removed. Served with the same inert headers as the file (`nosniff`, `Content-Security-Policy: sandbox`, private immutable cache). 404 when the file is not an image, could not be decoded, or is larger than 64 megapixels.',
    params: AttachmentParamsSchema,
    responses: { 200: { description: 'The thumbnail', contentType: 'image/webp' } },
    errors: {
      403: 'Not a member of the project',
      404: 'Unknown project, a file the project does not hold, or a file without a thumbnail',
    },
  }),
]
