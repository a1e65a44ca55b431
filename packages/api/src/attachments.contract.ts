import { AttachmentParamsSchema } from './attachments.js'
import { defineRoute } from './registry.js'

const tag = 'Attachments'

/**
 * `/projects/:id/attachments*` (docs/api.md, "Attachments"). Only the thumbnail route is
 * registered here so far; upload, download and status are served and documented in
 * docs/api.md and wait for their entries.
 */
export const ATTACHMENT_ROUTES = [
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
