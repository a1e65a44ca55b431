import { type Attachment, type AttachmentStatus, ERROR_CODES } from '@taskflow/api'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import type { Logger } from '../logger.js'
import {
  findProjectAttachment,
  type ProjectAttachmentRow,
  projectUsage,
  recordUpload,
} from './attachments.repository.js'
import { type BlobStore, BlobTooLarge } from './blob-store.js'
import { Thumbnailer } from './thumbnails.js'

const MIB = 1024 * 1024

export interface AttachmentsServiceDeps {
  db: Db
  store: BlobStore
  now: Clock
  /** TASKFLOW_MAX_UPLOAD_MB in bytes. */
  maxUploadBytes: number
  /** TASKFLOW_PROJECT_QUOTA_MB in bytes. */
  projectQuotaBytes: number
  /** Where a failed thumbnail is noted (the upload succeeds without one). */
  logger?: Logger
}

export interface UploadInput {
  name: string
  /** What the client computed; the bytes must match. */
  sha256?: string
  size?: number
  /** The request's Content-Type: only a hint for the stored type, never served as such. */
  contentType?: string
  /** The request's Content-Length, when sent: a too-large upload is refused before reading. */
  contentLength?: number
  body: ReadableStream<Uint8Array> | null
}

// Types a browser may run or render with script; stored as a plain download type instead.
const ACTIVE = /html|xml|svg|javascript|ecmascript|script|x-shockwave|pdf/
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/

/**
 * The type recorded for an upload: the sniffed image type, else the client's type when it
 * is harmless, else application/octet-stream. An image type the bytes do not bear out is
 * not trusted either. Whatever is recorded, files are served as the sniffed image type or
 * application/octet-stream (see `servedType`).
 */
export function storedType(imageType: string | null, declared: string | undefined): string {
  if (imageType) return imageType
  const t = (declared ?? '').split(';')[0]!.trim().toLowerCase()
  if (!MEDIA_TYPE.test(t) || ACTIVE.test(t) || t.startsWith('image/')) {
    return 'application/octet-stream'
  }
  return t
}

/** The Content-Type a file is served with: only sniffed raster images are shown inline. */
export function servedType(row: { image_type: string | null }): string {
  return row.image_type ?? 'application/octet-stream'
}

const tooLarge = (max: number) =>
  new AppError(
    413,
    ERROR_CODES.payloadTooLarge,
    `The file is larger than the ${formatMb(max)} MB limit (TASKFLOW_MAX_UPLOAD_MB)`,
  )

const overQuota = (quota: number, used: number) =>
  new AppError(
    413,
    ERROR_CODES.quotaExceeded,
    `This project's attachments would exceed its ${formatMb(quota)} MB quota (${formatMb(used)} MB used); remove files or ask the operator to raise TASKFLOW_PROJECT_QUOTA_MB`,
  )

function formatMb(bytes: number): string {
  return String(Number((bytes / MIB).toPrecision(3)))
}

export function createAttachmentsService(deps: AttachmentsServiceDeps) {
  const { db, store } = deps
  const thumbnails = new Thumbnailer(store, (sha256, err) =>
    deps.logger?.warn('attachment thumbnail failed; stored without one', {
      sha256,
      err: String(err),
    }),
  )

  /**
   * The answer for a stored file. An image gets a thumbnail made now if it has none yet
   * (also for files stored before thumbnails existed); an image that cannot be decoded, or
   * is too large to decode, is answered without `thumbnail`.
   */
  async function present(
    projectId: string,
    row: ProjectAttachmentRow,
    name: string,
  ): Promise<Attachment> {
    const path = `/api/v1/projects/${projectId}/attachments/${row.sha256}/thumbnail`
    const thumb = row.image_type !== null && (await thumbnails.ensure(row.sha256))
    return {
      sha256: row.sha256,
      name,
      size: row.size,
      type: row.type,
      ...(thumb ? { thumbnail: path } : {}),
    }
  }

  return {
    /**
     * Stores a file for a project (members and up). Idempotent per SHA-256: uploading bytes
     * the project already holds stores nothing new and answers the same, so a client may
     * retry an upload cut off by a lost connection as often as it likes.
     */
    async upload(projectId: string, userId: string, input: UploadInput): Promise<Attachment> {
      const max = deps.maxUploadBytes
      if ((input.contentLength ?? 0) > max || (input.size ?? 0) > max) throw tooLarge(max)
      if (input.sha256) {
        const have = await findProjectAttachment(db, projectId, input.sha256)
        // Already here: the bytes need not travel again (the project may read them anyway).
        if (have && (input.size === undefined || input.size === have.size)) {
          return present(projectId, have, input.name)
        }
      }
      const used = await projectUsage(db, projectId)
      const announced = input.size ?? input.contentLength ?? 0
      if (used + announced > deps.projectQuotaBytes) throw overQuota(deps.projectQuotaBytes, used)

      let received: Awaited<ReturnType<BlobStore['receive']>>
      try {
        received = await store.receive(input.body, max)
      } catch (err) {
        if (err instanceof BlobTooLarge) throw tooLarge(max)
        // The client went away or sent a broken body: nothing was kept (the temp file is gone).
        throw new AppError(
          400,
          ERROR_CODES.badRequest,
          'The upload was interrupted before the whole file arrived; nothing was stored, send it again',
        )
      }
      try {
        if (
          (input.sha256 !== undefined && received.sha256 !== input.sha256) ||
          (input.size !== undefined && received.size !== input.size)
        ) {
          throw new AppError(
            400,
            ERROR_CODES.hashMismatch,
            'The bytes received do not match the declared sha256/size (the upload was cut off or changed); nothing was stored, send it again',
          )
        }
        return await store.withLock(received.sha256, async () => {
          const have = await findProjectAttachment(db, projectId, received.sha256)
          if (have) {
            await store.discard(received)
            return present(projectId, have, input.name)
          }
          const nowUsed = await projectUsage(db, projectId)
          if (nowUsed + received.size > deps.projectQuotaBytes) {
            throw overQuota(deps.projectQuotaBytes, nowUsed)
          }
          await store.commit(received)
          await recordUpload(db, {
            projectId,
            sha256: received.sha256,
            name: input.name,
            type: storedType(received.imageType, input.contentType),
            size: received.size,
            imageType: received.imageType,
            userId,
            at: deps.now(),
          })
          const row = await findProjectAttachment(db, projectId, received.sha256)
          return present(projectId, row!, input.name)
        })
      } finally {
        await store.discard(received)
      }
    },

    /** The thumbnail of an image file (viewers and up); 404 when the file has none. */
    async thumbnail(projectId: string, sha256: string) {
      const row = await findProjectAttachment(db, projectId, sha256)
      if (!row || !(await store.hasThumbnail(sha256))) {
        throw new AppError(404, ERROR_CODES.notFound, 'This attachment has no thumbnail')
      }
      return { row, body: store.readThumbnail(sha256), size: await store.thumbnailSize(sha256) }
    },

    /** Whether the project already holds a file: lets a client skip or resume an upload. */
    async status(projectId: string, sha256: string): Promise<AttachmentStatus> {
      const row = await findProjectAttachment(db, projectId, sha256)
      return row && (await store.has(sha256))
        ? { sha256, stored: true, size: row.size }
        : { sha256, stored: false }
    },

    /**
     * A file for download (viewers and up), only through a project it was uploaded to: a
     * hash known from another project, or written into this project's document, is 404.
     */
    async download(projectId: string, sha256: string) {
      const row = await findProjectAttachment(db, projectId, sha256)
      if (!row || !(await store.has(sha256))) {
        throw new AppError(404, ERROR_CODES.notFound, 'Attachment not found')
      }
      return { row, body: store.read(sha256) }
    },
  }
}

export type AttachmentsService = ReturnType<typeof createAttachmentsService>
