import { addAttachment, markAttachmentStored } from '@taskflow/board'
import type * as Y from 'yjs'
import { ApiError } from '../../api/client'
import {
  getPending,
  listPending,
  type PendingFile,
  putPending,
  removePending,
} from './attachment-queue'
import { attachmentStatus, uploadAttachment } from './attachments.api'
import { sha256Of } from './sha256'

/** Retry delay after the server could not be reached (also retried on `online`). */
const RETRY_MS = 5_000
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/

type Listener = () => void
const listeners = new Set<Listener>()
/** Bumped on every change of the local queue: hooks re-read what they show. */
let version = 0
export const queueVersion = () => version
export function onQueueChange(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}
function changed() {
  version++
  for (const fn of listeners) fn()
}

/** A name the board accepts: no path, no control characters, at most 255 characters. */
function cleanName(name: string): string {
  const n = name.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069/\\]/gu, '_').trim()
  return (n || 'file').slice(0, 255)
}

/**
 * Attaches files to a task (or a comment): each is hashed, kept in IndexedDB, referenced
 * from the document at once as `uploading` (teammates see "uploading from <name>'s device"
 * until it is on the server), and uploaded as soon as the server is reachable. Returns a
 * message for the files it refused, or null.
 */
export async function attachFiles(
  target: {
    projectId: string
    doc: Y.Doc
    userId: string
    taskId: string
    commentId?: string | null
  },
  files: readonly File[],
): Promise<string | null> {
  const refused: string[] = []
  for (const file of files) {
    const sha256 = await sha256Of(file)
    const type = MEDIA_TYPE.test(file.type) ? file.type : ''
    const name = cleanName(file.name)
    await putPending({
      projectId: target.projectId,
      sha256,
      name,
      type,
      size: file.size,
      blob: file,
      queuedAt: Date.now(),
    })
    const r = addAttachment(
      target.doc,
      target.taskId,
      target.commentId ?? null,
      { sha256, name, size: file.size, type, state: 'uploading' },
      { userId: target.userId },
    )
    if (!r.ok) refused.push(`${name}: ${r.error.message}`)
  }
  changed()
  uploaderFor(target.projectId)?.flush()
  return refused.length ? refused.join('; ') : null
}

/** Drops a file the server refused from this device's queue (the person gave up on it). */
export async function forgetPending(projectId: string, sha256: string): Promise<void> {
  await removePending(projectId, sha256)
  changed()
}

export function pendingFile(projectId: string, sha256: string): Promise<PendingFile | undefined> {
  return getPending(projectId, sha256)
}

class Uploader {
  #running = false
  #again = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(
    readonly projectId: string,
    readonly doc: Y.Doc,
    readonly userId: string,
  ) {}

  flush(): void {
    if (this.#stopped) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = true
    void this.#run().finally(() => {
      this.#running = false
      if (this.#again) {
        this.#again = false
        this.flush()
      }
    })
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  async #run(): Promise<void> {
    for (const file of await listPending(this.projectId)) {
      if (this.#stopped || file.refused) continue
      try {
        // Sent before (the answer was lost with the connection), or by a teammate: skip the bytes.
        const status = await attachmentStatus(this.projectId, file.sha256)
        if (!status.stored) await uploadAttachment(this.projectId, file)
      } catch (err) {
        if (err instanceof ApiError && (err.isNetwork || err.status >= 500 || err.status === 429)) {
          clearTimeout(this.#timer)
          this.#timer = setTimeout(() => this.flush(), RETRY_MS)
          return
        }
        if (err instanceof ApiError && err.status === 401) return
        await putPending({ ...file, refused: err instanceof Error ? err.message : String(err) })
        changed()
        continue
      }
      // On the server now: readers may download it. Written by this device only, which
      // holds the bytes (A4).
      markAttachmentStored(this.doc, file.sha256, { userId: this.userId })
      await removePending(this.projectId, file.sha256)
      changed()
    }
  }
}

const uploaders = new Map<string, Uploader>()

function uploaderFor(projectId: string): Uploader | undefined {
  return uploaders.get(projectId)
}

/**
 * Uploads this device's queued files of an open board: now, when the browser says it is
 * online, when the sync socket connects, and every few seconds after a failed try.
 * Returns the stop function.
 */
export function startUploader(
  projectId: string,
  doc: Y.Doc,
  userId: string,
  onConnected: (fn: () => void) => () => void,
): () => void {
  const u = new Uploader(projectId, doc, userId)
  uploaders.set(projectId, u)
  const kick = () => u.flush()
  window.addEventListener('online', kick)
  const offConnected = onConnected(kick)
  kick()
  return () => {
    u.stop()
    if (uploaders.get(projectId) === u) uploaders.delete(projectId)
    window.removeEventListener('online', kick)
    offConnected()
  }
}
