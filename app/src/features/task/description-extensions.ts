import { mentionToken } from '@taskflow/board'
import type { AnyExtension } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import Mention from '@tiptap/extension-mention'
import { Placeholder } from '@tiptap/extensions'
import { ReactNodeViewRenderer } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { defaultSelectionBuilder } from '@tiptap/y-tiptap'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import type { PresenceIdentity } from '../../sync/presence'
import { MentionNodeView, type MentionPickerStore } from './description-mentions'

export const DESCRIPTION_PLACEHOLDER = 'Add a description… (@ to mention)'

/**
 * The nodes and marks a task body may hold — exactly those of docs/document-schema.md
 * (paragraph, heading, lists, blockquote, codeBlock, horizontalRule, hardBreak, mention;
 * bold, italic, strike, code, link). Without collaboration, so tests can build the schema.
 */
export function descriptionSchemaExtensions(mentions?: MentionPickerStore): AnyExtension[] {
  return [
    StarterKit.configure({
      // With collaboration, undo is the Yjs UndoManager of the Collaboration extension.
      undoRedo: false,
      // Not in the body schema; a trailing paragraph added by every client would also
      // make two clients append one each.
      underline: false,
      trailingNode: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    Mention.extend({
      addNodeView: () => ReactNodeViewRenderer(MentionNodeView, { as: 'span' }),
    }).configure({
      // `renderText` is what copying a mention puts on the clipboard: the board's token.
      renderText: ({ node }) => mentionToken(String(node.attrs.id)),
      ...(mentions ? { suggestion: mentions.suggestion() } : {}),
    }),
  ]
}

/**
 * The editor's extensions bound to one task body. Undo (Ctrl+Z in the editor) is the
 * Collaboration extension's Yjs UndoManager: it is scoped to this fragment and tracks only
 * transactions this editor wrote (origin: the y-prosemirror sync plugin), so it reverts my
 * typing and never a teammate's, whose changes arrive with the provider as origin.
 */
export function descriptionExtensions(opts: {
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  caretUser: PresenceIdentity
  /**
   * Who a teammate's awareness `user` field stands for (see vouchedIdentity): their caret
   * is labelled and coloured from this, never from the name or colour their state claims.
   */
  teammate: (user: unknown) => PresenceIdentity | null
  mentions: MentionPickerStore
  placeholder: string
}): AnyExtension[] {
  return [
    ...descriptionSchemaExtensions(opts.mentions),
    Collaboration.configure({ fragment: opts.fragment }),
    CollaborationCaret.configure({
      provider: opts.provider,
      // The same `user` the board's presence publishes, so this does not change who I am.
      user: opts.caretUser,
      render: (user) => renderCaret(opts.teammate(user)),
      selectionRender: (user) => {
        const who = opts.teammate(user)
        return who ? defaultSelectionBuilder({ color: who.color }) : {}
      },
    }),
    Placeholder.configure({ placeholder: opts.placeholder }),
  ]
}

/**
 * A teammate's caret with their name; built with text nodes only (names are user input).
 * Someone the member list does not know gets a grey caret without a label.
 */
function renderCaret(who: PresenceIdentity | null): HTMLElement {
  const color = who?.color ?? '#64748b'
  const caret = document.createElement('span')
  caret.className = 'collaboration-carets__caret'
  caret.style.borderColor = color
  if (!who) return caret
  const label = document.createElement('span')
  label.className = 'collaboration-carets__label'
  label.dataset.testid = 'caret-label'
  label.style.backgroundColor = color
  label.textContent = who.name
  caret.append(label)
  return caret
}
