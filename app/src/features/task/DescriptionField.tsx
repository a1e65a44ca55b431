import { getTaskBody, mentionToken, parseMentions, type TaskDetail } from '@taskflow/board'
import { lazy, Suspense, useMemo } from 'react'
import { myPresenceIdentity, presenceIdentity } from '../../sync/presence'
import { useBoardEnv } from '../board/board-context'
import { CollabTextField } from './CollabTextField'
import { MentionText } from './mentions'

const RichDescription = lazy(() => import('./RichDescription'))

/**
 * The task description: the collaborative rich-text editor for a task with a body, the
 * plain textarea for a task created before rich text (kept as it is, never converted).
 * Nobody edits a task in the trash: restore it first.
 */
export function DescriptionField({ task }: { task: TaskDetail }) {
  const env = useBoardEnv()
  const { doc, provider, membersById, userId } = env
  const readOnly = env.readOnly || task.deletedAt !== null
  const members = useMemo(() => [...membersById.values()], [membersById])
  const body = task.richBody ? getTaskBody(doc, task.id) : undefined

  if (!body) {
    return (
      <>
        <CollabTextField
          doc={doc}
          taskId={task.id}
          field="description"
          readOnly={readOnly}
          label="Description"
          placeholder={readOnly ? '' : 'Add a description… (@ to mention)'}
          className="text-sm"
          members={members}
        />
        <DescriptionMentions text={task.description} />
      </>
    )
  }
  const me = membersById.get(userId)
  const caretUser =
    myPresenceIdentity(provider) ??
    presenceIdentity({ id: userId, name: me?.name || me?.email || '' })
  return (
    <Suspense fallback={<DescriptionLoading text={task.description} />}>
      <RichDescription
        key={task.id}
        fragment={body}
        provider={provider}
        caretUser={caretUser}
        editable={!readOnly}
        members={members}
        membersById={membersById}
      />
    </Suspense>
  )
}

/** The plain text while the editor's code loads (it is cached after the first time). */
function DescriptionLoading({ text }: { text: string }) {
  const { membersById } = useBoardEnv()
  return (
    <p className="min-h-24 rounded-md border border-slate-200 px-2 py-1.5 text-sm whitespace-pre-wrap text-slate-500 dark:border-slate-700">
      {text ? <MentionText text={text} membersById={membersById} /> : 'Loading the editor…'}
    </p>
  )
}

/** A plain description holds `<@id>` tokens: its mentions as chips below it. */
function DescriptionMentions({ text }: { text: string }) {
  const { membersById } = useBoardEnv()
  const ids = parseMentions(text)
  if (ids.length === 0) return null
  return (
    <p className="text-xs text-slate-500" data-testid="description-mentions">
      Mentions: <MentionText text={ids.map(mentionToken).join(' ')} membersById={membersById} />
    </p>
  )
}
