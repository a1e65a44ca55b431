import { EditorContent, useEditor } from '@tiptap/react'
import { type KeyboardEvent, useEffect, useRef, useState } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import type { Member } from '../../api/schemas'
import { type PresenceIdentity, vouchedIdentity } from '../../sync/presence'
import { cx } from '../../ui/primitives'
import { DescriptionToolbar } from './DescriptionToolbar'
import { DESCRIPTION_PLACEHOLDER, descriptionExtensions } from './description-extensions'
import { EditorMembersContext, MentionPickerList, MentionPickerStore } from './description-mentions'

export interface RichDescriptionProps {
  /** The task's body (`getTaskBody`); a different fragment makes a new editor. */
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  /** Who I am in awareness: my caret is labelled with this in teammates' editors. */
  caretUser: PresenceIdentity
  editable: boolean
  members: readonly Member[]
  membersById: ReadonlyMap<string, Member>
}

/**
 * The task description as collaborative rich text (TipTap on the task's Y.XmlFragment),
 * with teammates' carets and an `@` member picker. Loaded lazily by DescriptionField:
 * the editor is most of the task panel's weight and the board must not wait for it.
 */
export default function RichDescription(props: RichDescriptionProps) {
  const { fragment, provider, caretUser, editable } = props
  const members = useRef(props.members)
  members.current = props.members
  // Read when a caret is drawn, so carets follow the member list without a new editor.
  const membersById = useRef(props.membersById)
  membersById.current = props.membersById
  const [picker] = useState(() => new MentionPickerStore(members))
  const container = useRef<HTMLDivElement>(null)

  const editor = useEditor(
    {
      extensions: descriptionExtensions({
        fragment,
        provider,
        caretUser,
        teammate: (user) => vouchedIdentity(user, membersById.current),
        mentions: picker,
        placeholder: DESCRIPTION_PLACEHOLDER,
      }),
      editable,
      // Toolbar state is read through useEditorState; typing must not re-render this tree.
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          'data-testid': 'task-description',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Description',
          class: 'rich-description min-h-24 px-2 py-1.5 focus:outline-none',
        },
      },
    },
    // caretUser is read once: the caret plugin publishes it when the editor starts.
    [fragment, provider],
  )

  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    editor.setEditable(editable)
    editor.view.dom.setAttribute('aria-readonly', String(!editable))
  }, [editor, editable])

  return (
    <EditorMembersContext.Provider value={props.membersById}>
      <div
        ref={container}
        className={cx(
          'relative rounded-md border text-sm',
          editable
            ? 'border-slate-200 focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-500/30 dark:border-slate-700'
            : 'border-transparent',
        )}
      >
        {editable && editor && <DescriptionToolbar editor={editor} />}
        <EditorContent editor={editor} onKeyDown={keepUndoInEditor} />
        <MentionPickerList store={picker} container={container} />
      </div>
    </EditorMembersContext.Provider>
  )
}

/**
 * Ctrl/Cmd+Z, Shift+Z and Y inside the editor were handled by its own UndoManager: stop
 * them here so the board's window-level undo (another history: moves, fields) does not
 * also revert something, and so the browser's native contenteditable undo never runs.
 */
function keepUndoInEditor(e: KeyboardEvent<HTMLDivElement>) {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return
  const key = e.key.toLowerCase()
  if (key !== 'z' && key !== 'y') return
  if (!(e.target instanceof HTMLElement) || !e.target.closest('.rich-description')) return
  e.preventDefault()
  e.stopPropagation()
}
