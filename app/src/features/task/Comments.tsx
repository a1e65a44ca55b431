import {
  addComment,
  type CommentView,
  deleteComment,
  editComment,
  listComments,
  MAX_COMMENT,
  type TaskDetail,
  toggleReaction,
} from '@taskflow/board'
import { Pencil, Trash2 } from 'lucide-react'
import { type KeyboardEvent, lazy, Suspense, useMemo, useRef, useState } from 'react'
import { LengthCounter, refusalText } from '../../ui/length-limit'
import { Avatar, Button, cx, ErrorNote } from '../../ui/primitives'
import { When } from '../../ui/When'
import { AttachmentList, useFilePicker } from '../attachments/Attachments'
import { attachFiles } from '../attachments/uploader'
import { useBoardEnv } from '../board/board-context'
import { MentionText, MentionTextarea } from './mentions'
import { useAuthors } from './use-authors'

// The markdown parser loads with the first comment shown, not with the board.
const CommentMarkdown = lazy(() => import('./comment-markdown'))

export const REACTIONS = ['👍', '🎉', '❤️', '😄', '👀'] as const

/** Enter sends, Shift+Enter is a newline. */
function sendOnEnter(send: () => void) {
  return (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }
}

/** A task's comment thread, in creation order, with the composer below it. */
export function Comments({ task }: { task: TaskDetail }) {
  const { doc, readOnly, userId, role, membersById, projectId } = useBoardEnv()
  // `task` changes identity whenever anything in the task (comments included) changes.
  const comments = useMemo(() => listComments(doc, task.id), [doc, task])
  const authors = useAuthors(
    projectId,
    comments.map((c) => c.authorClientId),
  )
  const members = useMemo(() => [...membersById.values()], [membersById])
  const [error, setError] = useState<string | null>(null)
  const [draft, setDraft] = useState('')
  const ref = useRef<HTMLTextAreaElement>(null)
  const isAdmin = role === 'admin' || role === 'owner'

  /** The author from the server's binding; the claimed id only while the binding is unknown. */
  const authorOf = (c: CommentView): { userId: string | null; name: string } => {
    const bound = c.authorClientId !== null ? authors.get(c.authorClientId) : undefined
    if (bound)
      return {
        userId: bound.userId,
        name: bound.name || membersById.get(bound.userId)?.name || 'Former member',
      }
    const member = c.authorId ? membersById.get(c.authorId) : undefined
    return { userId: c.authorId, name: member ? member.name || member.email : 'Unknown' }
  }

  // Files chosen for the comment being written: attached to it when it is sent.
  const [files, setFiles] = useState<File[]>([])
  const picker = useFilePicker((more) => setFiles((f) => [...f, ...more]))

  const send = () => {
    if (!draft.trim()) return
    const r = addComment(doc, task.id, { body: draft }, { userId })
    // Refused (too long): the draft stays for the user to shorten.
    if (!r.ok) return setError(refusalText(r.error.message))
    setError(null)
    setDraft('')
    if (files.length) {
      setFiles([])
      attachFiles({ projectId, doc, userId, taskId: task.id, commentId: r.value.id }, files).then(
        setError,
        (e) => setError(String(e)),
      )
    }
  }

  return (
    <section className="space-y-3" aria-label="Comments">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
        Comments {task.commentCount > 0 ? task.commentCount : ''}
      </h3>
      <ol className="space-y-3" data-testid="comment-thread">
        {comments.map((c) => {
          const author = authorOf(c)
          return (
            <CommentItem
              key={c.id}
              comment={c}
              authorName={author.name}
              authorUserId={author.userId}
              mine={author.userId === userId}
              canDelete={!readOnly && (author.userId === userId || isAdmin)}
              readOnly={readOnly}
              onError={setError}
            />
          )
        })}
      </ol>
      {comments.length === 0 && <p className="text-sm text-slate-500">No comments yet.</p>}
      <ErrorNote message={error} />
      {!readOnly && (
        <div
          className={cx('space-y-2 rounded-md', picker.over && 'ring-2 ring-indigo-400')}
          data-testid="comment-composer"
          {...picker.dropProps}
        >
          <MentionTextarea
            textareaRef={ref}
            aria-label="Write a comment"
            placeholder="Write a comment… (@ to mention, Shift+Enter for a new line)"
            rows={2}
            value={draft}
            onValueChange={setDraft}
            members={members}
            onOtherKeyDown={sendOnEnter(send)}
          />
          {files.length > 0 && (
            <ul className="flex flex-wrap gap-1 text-xs" data-testid="comment-files">
              {files.map((f, i) => (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: a picked list, only appended to or cut by index
                  key={`${f.name}-${i}`}
                  className="rounded bg-slate-100 px-2 py-0.5 dark:bg-slate-800"
                >
                  {f.name}{' '}
                  <button
                    type="button"
                    aria-label={`Do not attach ${f.name}`}
                    onClick={() => setFiles((all) => all.filter((_, k) => k !== i))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="flex items-center justify-end gap-2">
            {picker.button('Attach')}
            <LengthCounter length={draft.length} max={MAX_COMMENT} />
            <Button size="sm" onClick={send} disabled={!draft.trim()}>
              Comment
            </Button>
          </div>
        </div>
      )}
    </section>
  )
}

function CommentItem(props: {
  comment: CommentView
  authorName: string
  authorUserId: string | null
  mine: boolean
  canDelete: boolean
  readOnly: boolean
  onError: (message: string | null) => void
}) {
  const { comment: c } = props
  const { doc, userId, membersById } = useBoardEnv()
  const [editing, setEditing] = useState<string | null>(null)
  const ref = useRef<HTMLTextAreaElement>(null)
  const members = useMemo(() => [...membersById.values()], [membersById])
  const deleted = c.deletedAt !== null
  const apply = (r: { ok: true } | { ok: false; error: { message: string } }) =>
    props.onError(r.ok ? null : r.error.message)

  const saveEdit = () => {
    if (editing === null) return
    if (editing.trim() && editing !== c.body) {
      const r = editComment(doc, c.taskId, c.id, { body: editing }, { userId })
      // A refused edit (too long) stays open with its text so it can be shortened.
      props.onError(r.ok ? null : refusalText(r.error.message))
      if (!r.ok) return
    }
    setEditing(null)
  }

  return (
    <li data-testid="comment" data-comment-id={c.id} className="group flex gap-2.5">
      <Avatar id={props.authorUserId ?? c.id} name={props.authorName} size="sm" />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2 text-xs">
          <span
            className="font-semibold text-slate-800 dark:text-slate-200"
            data-testid="comment-author"
          >
            {props.authorName}
          </span>
          {c.createdAt !== null && <When at={c.createdAt} className="text-slate-500" />}
          {c.editedAt !== null && !deleted && <span className="text-slate-400">(edited)</span>}
          <span className="flex-1" />
          {!deleted && editing === null && (
            <span className="flex gap-0.5 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100">
              {!props.readOnly &&
                REACTIONS.filter((emoji) => !c.reactions[emoji]?.length).map((emoji) => (
                  <button
                    key={emoji}
                    type="button"
                    aria-label={`React ${emoji}`}
                    aria-pressed={false}
                    className="rounded px-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
                    onClick={() => apply(toggleReaction(doc, c.taskId, c.id, emoji, { userId }))}
                  >
                    {emoji}
                  </button>
                ))}
              {props.mine && !props.readOnly && (
                <button
                  type="button"
                  aria-label="Edit comment"
                  className="rounded p-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
                  onClick={() => setEditing(c.body)}
                >
                  <Pencil className="size-3.5" />
                </button>
              )}
              {props.canDelete && (
                <button
                  type="button"
                  aria-label="Delete comment"
                  className="rounded p-1 text-red-600 hover:bg-red-50 dark:hover:bg-red-950"
                  onClick={() =>
                    apply(deleteComment(doc, c.taskId, c.id, { userId, asAdmin: !props.mine }))
                  }
                >
                  <Trash2 className="size-3.5" />
                </button>
              )}
            </span>
          )}
        </div>
        {deleted ? (
          <p className="text-sm text-slate-400 italic" data-testid="comment-deleted">
            This comment was deleted.
          </p>
        ) : editing !== null ? (
          <div className="mt-1 space-y-1">
            <MentionTextarea
              textareaRef={ref}
              aria-label="Edit comment text"
              rows={2}
              value={editing}
              onValueChange={setEditing}
              members={members}
              autoFocus
              onOtherKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault()
                  e.stopPropagation()
                  setEditing(null)
                } else sendOnEnter(saveEdit)(e)
              }}
            />
            <div className="flex items-center justify-end gap-1">
              <LengthCounter length={editing.length} max={MAX_COMMENT} />
              <Button size="sm" variant="ghost" onClick={() => setEditing(null)}>
                Cancel
              </Button>
              <Button size="sm" onClick={saveEdit}>
                Save
              </Button>
            </div>
          </div>
        ) : (
          <div
            className="text-sm break-words text-slate-800 dark:text-slate-200"
            data-testid="comment-body"
          >
            <Suspense
              fallback={
                <p className="whitespace-pre-wrap">
                  <MentionText text={c.body} membersById={membersById} />
                </p>
              }
            >
              <CommentMarkdown text={c.body} membersById={membersById} />
            </Suspense>
          </div>
        )}
        {!deleted && (
          <div className="mt-1">
            <AttachmentList
              taskId={c.taskId}
              commentId={c.id}
              canRemove={props.mine && !props.readOnly}
            />
          </div>
        )}
        {!deleted && REACTIONS.some((emoji) => c.reactions[emoji]?.length) && (
          <div className="mt-1 flex flex-wrap gap-1" data-testid="comment-reactions">
            {REACTIONS.map((emoji) => {
              const users = c.reactions[emoji] ?? []
              if (users.length === 0) return null
              const reacted = users.includes(userId)
              return (
                <button
                  key={emoji}
                  type="button"
                  aria-pressed={reacted}
                  aria-label={`React ${emoji}`}
                  disabled={props.readOnly}
                  title={users.map((u) => membersById.get(u)?.name ?? '?').join(', ')}
                  onClick={() => apply(toggleReaction(doc, c.taskId, c.id, emoji, { userId }))}
                  className={cx(
                    'inline-flex h-6 items-center gap-1 rounded-full border px-1.5 text-xs transition-colors disabled:cursor-default',
                    reacted
                      ? 'border-indigo-400 bg-indigo-50 text-indigo-700 dark:border-indigo-500 dark:bg-indigo-950 dark:text-indigo-300'
                      : 'border-slate-200 text-slate-600 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800',
                  )}
                >
                  <span>{emoji}</span>
                  <span>{users.length}</span>
                </button>
              )
            })}
          </div>
        )}
      </div>
    </li>
  )
}
