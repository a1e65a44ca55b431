import {
  type Attachment,
  AttachmentSchema,
  type AttachmentStatus,
  AttachmentStatusSchema,
} from '@taskflow/api'
import { ApiError, apiRequest, authHeaders } from '../../api/client'
import { config } from '../../config'

const base = (projectId: string) => `${config.apiBase}/projects/${projectId}/attachments`

async function errorOf(res: Response): Promise<ApiError> {
  const json = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string }
  } | null
  return new ApiError(
    res.status,
    (json?.error?.code as ApiError['code']) ?? 'bad_response',
    json?.error?.message ?? `Request failed (${res.status})`,
  )
}

/** Uploads a file (idempotent per hash: safe to repeat after a lost connection). */
export async function uploadAttachment(
  projectId: string,
  file: { blob: Blob; name: string; sha256: string; size: number; type: string },
): Promise<Attachment> {
  const q = new URLSearchParams({ name: file.name, sha256: file.sha256, size: String(file.size) })
  let res: Response
  try {
    res = await fetch(`${base(projectId)}?${q}`, {
      method: 'POST',
      headers: { ...authHeaders(), 'content-type': file.type || 'application/octet-stream' },
      body: file.blob,
    })
  } catch {
    throw new ApiError(0, 'network', 'You are offline or the server cannot be reached.')
  }
  if (!res.ok) throw await errorOf(res)
  return AttachmentSchema.parse(await res.json())
}

/** The stored bytes of a file (the Bearer header: no token in URLs). */
export async function downloadAttachment(projectId: string, sha256: string): Promise<Blob> {
  let res: Response
  try {
    res = await fetch(`${base(projectId)}/${sha256}`, { headers: authHeaders() })
  } catch {
    throw new ApiError(0, 'network', 'You are offline or the server cannot be reached.')
  }
  if (!res.ok) throw await errorOf(res)
  return res.blob()
}

/**
 * The server's thumbnail of an image (WebP, at most 480 px): what lists show, instead of
 * the full file. Null when the file has none (not decodable, too large, or stored before
 * the server made thumbnails).
 */
export async function downloadThumbnail(projectId: string, sha256: string): Promise<Blob | null> {
  let res: Response
  try {
    res = await fetch(`${base(projectId)}/${sha256}/thumbnail`, { headers: authHeaders() })
  } catch {
    throw new ApiError(0, 'network', 'You are offline or the server cannot be reached.')
  }
  if (res.status === 404) return null
  if (!res.ok) throw await errorOf(res)
  return res.blob()
}

/** Whether the project already holds a file: a retried upload then sends nothing. */
export function attachmentStatus(projectId: string, sha256: string): Promise<AttachmentStatus> {
  return apiRequest(`/projects/${projectId}/attachments/${sha256}/status`, {
    schema: AttachmentStatusSchema,
  })
}
