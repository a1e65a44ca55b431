import { type AttachmentRef, listAttachments, removeAttachment } from '@taskflow/board'
import { Download, FileText, ImageIcon, Paperclip, X } from 'lucide-react'
import { Dialog } from 'radix-ui'
import {
  type DragEvent,
  type ReactNode,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
import type * as Y from 'yjs'
import { errorMessage } from '../../api/client'
import { Button, cx } from '../../ui/primitives'
import { useBoardEnv } from '../board/board-context'
import { downloadAttachment, downloadThumbnail } from './attachments.api'
import { attachFiles, forgetPending, onQueueChange, pendingFile, queueVersion } from './uploader'

const IMAGE = /^image\/(png|jpeg|gif|webp)$/

/** The references of a task (or one comment), re-read when the document's attachments change. */
export function useAttachments(
  doc: Y.Doc,
  taskId: string,
  commentId: string | null,
): AttachmentRef[] {
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const root = doc.getMap('attachments')
    const bump = () => setTick((t) => t + 1)
    root.observeDeep(bump)
    return () => root.unobserveDeep(bump)
  }, [doc])
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is the change signal
  return useMemo(() => listAttachments(doc, taskId, commentId), [doc, taskId, commentId, tick])
}

// Downloaded thumbnails and files (object URLs), by project and hash, for this page's
// life: nothing is fetched twice. A thumbnail the server does not have is ''.
const thumbnails = new Map<string, Promise<string>>()
const downloaded = new Map<string, Promise<string>>()

function cached(cache: Map<string, Promise<string>>, key: string, load: () => Promise<string>) {
  let p = cache.get(key)
  if (!p) {
    p = load()
    cache.set(key, p)
    p.catch(() => cache.delete(key))
  }
  return p
}

/** The full file as an object URL (lightbox, download): fetched only when asked for. */
function fullFileUrl(projectId: string, sha256: string): Promise<string> {
  return cached(downloaded, `${projectId}/${sha256}`, () =>
    downloadAttachment(projectId, sha256).then((b) => URL.createObjectURL(b)),
  )
}

type Source =
  | { kind: 'local'; url: string; refused?: string }
  /** `url`: the server's thumbnail, '' when there is none (or none was asked for). */
  | { kind: 'server'; url: string }
  | { kind: 'elsewhere' }
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }

/**
 * Where a file's bytes come from: this device's queue (shown at once, offline too), the
 * server once stored (its thumbnail, for images: lists never load the full file), or
 * nowhere yet (still on the adder's device).
 */
function useSource(projectId: string, ref: AttachmentRef, fetchStored: boolean): Source {
  const version = useSyncExternalStore(onQueueChange, queueVersion)
  const [source, setSource] = useState<Source>({ kind: 'loading' })
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the queue's change signal
  useEffect(() => {
    let live = true
    let objectUrl: string | null = null
    void (async () => {
      const local = await pendingFile(projectId, ref.sha256).catch(() => undefined)
      if (!live) return
      if (local) {
        objectUrl = URL.createObjectURL(local.blob)
        return setSource({ kind: 'local', url: objectUrl, refused: local.refused })
      }
      if (ref.state === 'uploading') return setSource({ kind: 'elsewhere' })
      if (!fetchStored) return setSource({ kind: 'server', url: '' })
      const p = cached(thumbnails, `${projectId}/${ref.sha256}`, () =>
        downloadThumbnail(projectId, ref.sha256).then((b) => (b ? URL.createObjectURL(b) : '')),
      )
      try {
        const url = await p
        if (live) setSource({ kind: 'server', url })
      } catch (err) {
        if (live) setSource({ kind: 'failed', message: errorMessage(err) })
      }
    })()
    return () => {
      live = false
      if (objectUrl) URL.revokeObjectURL(objectUrl)
    }
  }, [projectId, ref.sha256, ref.state, fetchStored, version])
  return source
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Attachments of a task or a comment: image thumbnails (lightbox) and file chips. */
export function AttachmentList(props: {
  taskId: string
  commentId?: string | null
  canRemove: boolean
}) {
  const { doc } = useBoardEnv()
  const refs = useAttachments(doc, props.taskId, props.commentId ?? null)
  if (refs.length === 0) return null
  return (
    <ul className="flex flex-wrap gap-2" data-testid="attachments">
      {refs.map((ref) => (
        <AttachmentItem key={ref.key} attachment={ref} canRemove={props.canRemove} />
      ))}
    </ul>
  )
}

function AttachmentItem({
  attachment: a,
  canRemove,
}: {
  attachment: AttachmentRef
  canRemove: boolean
}) {
  const { projectId, doc, membersById, userId } = useBoardEnv()
  const image = IMAGE.test(a.type)
  const source = useSource(projectId, a, image)
  const [error, setError] = useState<string | null>(null)
  const adder = a.addedBy ? membersById.get(a.addedBy) : undefined
  const adderName =
    a.addedBy === userId ? 'this' : `${adder?.name || adder?.email || 'a teammate'}’s`
  const url = source.kind === 'local' || source.kind === 'server' ? source.url : ''
  // The whole file: this device's copy, else fetched from the server when first needed.
  const full = () =>
    source.kind === 'local' ? Promise.resolve(source.url) : fullFileUrl(projectId, a.sha256)

  const download = async () => {
    try {
      const href = await full()
      const link = document.createElement('a')
      link.href = href
      link.download = a.name
      link.click()
      setError(null)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  let status: ReactNode = null
  if (source.kind === 'elsewhere')
    status = <span data-testid="attachment-status">Uploading from {adderName} device</span>
  else if (source.kind === 'local')
    status = (
      <span data-testid="attachment-status" className={cx(source.refused && 'text-red-600')}>
        {source.refused ? `Not uploaded: ${source.refused}` : 'Waiting to upload'}
      </span>
    )
  else if (source.kind === 'failed') status = <span className="text-red-600">{source.message}</span>

  return (
    <li
      data-testid="attachment"
      data-name={a.name}
      data-state={a.state}
      className="flex max-w-full items-center gap-2 rounded-md border border-slate-200 p-1.5 text-xs dark:border-slate-700"
    >
      {image && (source.kind === 'local' || source.kind === 'server') ? (
        <Lightbox name={a.name} load={full}>
          {url ? (
            <img
              src={url}
              alt={a.name}
              data-testid="attachment-thumbnail"
              className="size-14 rounded object-cover"
            />
          ) : (
            <ImageIcon className="size-5 text-slate-500" aria-hidden />
          )}
        </Lightbox>
      ) : (
        <FileText className="size-5 shrink-0 text-slate-500" aria-hidden />
      )}
      <span className="min-w-0">
        <span className="block max-w-48 truncate font-medium" title={a.name}>
          {a.name}
        </span>
        <span className="block text-slate-500">
          {formatSize(a.size)} {status && <>· {status}</>}
        </span>
        {error && <span className="block text-red-600">{error}</span>}
      </span>
      {(source.kind === 'server' || source.kind === 'local') && (
        <button
          type="button"
          aria-label={`Download ${a.name}`}
          className="rounded p-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
          onClick={() => void download()}
        >
          <Download className="size-3.5" />
        </button>
      )}
      {canRemove && (
        <button
          type="button"
          aria-label={`Remove ${a.name}`}
          className="rounded p-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
          onClick={() => {
            removeAttachment(doc, a.key)
            if (source.kind === 'local' && source.refused) void forgetPending(projectId, a.sha256)
          }}
        >
          <X className="size-3.5" />
        </button>
      )}
    </li>
  )
}

/** The full image, loaded when the lightbox opens (lists show only thumbnails). */
function Lightbox(props: { name: string; load: () => Promise<string>; children: ReactNode }) {
  const [open, setOpen] = useState(false)
  const [src, setSrc] = useState<{ url?: string; error?: string }>({})
  // The latest loader, read when the lightbox opens (a new function each render).
  const load = useRef(props.load)
  load.current = props.load
  useEffect(() => {
    if (!open) return
    let live = true
    load.current().then(
      (url) => live && setSrc({ url }),
      (err) => live && setSrc({ error: errorMessage(err) }),
    )
    return () => {
      live = false
    }
  }, [open])
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" aria-label={`Open ${props.name}`} className="shrink-0">
          {props.children}
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/80" />
        <Dialog.Content
          aria-describedby={undefined}
          className="fixed inset-4 z-40 flex flex-col items-center justify-center gap-3"
        >
          <Dialog.Title className="text-sm text-white">{props.name}</Dialog.Title>
          {src.url ? (
            <img
              src={src.url}
              alt={props.name}
              data-testid="attachment-full"
              className="max-h-[85vh] max-w-full object-contain"
            />
          ) : (
            <p className="text-sm text-white">{src.error ?? 'Loading…'}</p>
          )}
          <div className="flex gap-2">
            {src.url && (
              <a
                href={src.url}
                target="_blank"
                rel="noreferrer"
                className="rounded bg-white px-3 py-1 text-sm"
              >
                Open
              </a>
            )}
            <Dialog.Close asChild>
              <Button size="sm" variant="secondary">
                Close
              </Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

/** A paperclip button and a drop target that hand files to `onFiles`. */
export function useFilePicker(onFiles: (files: File[]) => void) {
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)
  const dropProps = {
    onDragOver: (e: DragEvent) => {
      if (![...e.dataTransfer.types].includes('Files')) return
      e.preventDefault()
      setOver(true)
    },
    onDragLeave: () => setOver(false),
    onDrop: (e: DragEvent) => {
      if (e.dataTransfer.files.length === 0) return
      e.preventDefault()
      setOver(false)
      onFiles([...e.dataTransfer.files])
    },
  }
  const button = (label: string) => (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={label}
        data-testid="attach-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])]
          e.target.value = ''
          if (files.length) onFiles(files)
        }}
      />
      <Button size="sm" variant="ghost" onClick={() => input.current?.click()}>
        <Paperclip className="size-4" /> {label}
      </Button>
    </>
  )
  return { over, dropProps, button }
}

/** The task panel's "Attachments" section: list, button and drop zone. */
export function TaskAttachments({ taskId }: { taskId: string }) {
  const { projectId, doc, userId, readOnly } = useBoardEnv()
  const [error, setError] = useState<string | null>(null)
  const picker = useFilePicker((files) => {
    attachFiles({ projectId, doc, userId, taskId }, files).then(setError, (e) =>
      setError(errorMessage(e)),
    )
  })
  return (
    <section
      aria-label="Attachments"
      className={cx('space-y-2 rounded-md', picker.over && 'ring-2 ring-indigo-400')}
      {...(readOnly ? {} : picker.dropProps)}
    >
      <div className="flex items-center">
        <h3 className="flex-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
          Attachments
        </h3>
        {!readOnly && picker.button('Attach file')}
      </div>
      <AttachmentList taskId={taskId} canRemove={!readOnly} />
      {error && <p className="text-sm text-red-600">{error}</p>}
    </section>
  )
}
