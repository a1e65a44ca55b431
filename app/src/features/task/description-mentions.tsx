import type { MentionNodeAttrs } from '@tiptap/extension-mention'
import { NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react'
import type { SuggestionOptions, SuggestionProps } from '@tiptap/suggestion'
import { createContext, type RefObject, useContext, useSyncExternalStore } from 'react'
import type { Member } from '../../api/schemas'
import { matchMembers } from './mention-text'
import { MentionChip, MentionOptions } from './mentions'

interface PickerState {
  items: Member[]
  active: number
  /** Caret box in viewport coordinates, to place the list under the `@query`. */
  rect: DOMRect | null
  choose: (member: Member) => void
}

/**
 * The `@` picker of the rich description: TipTap's suggestion plugin drives it (open,
 * query, keys) and React renders it from this store, so the list is ordinary JSX styled
 * like the comment picker.
 */
export class MentionPickerStore {
  #state: PickerState | null = null
  readonly #listeners = new Set<() => void>()

  constructor(private readonly members: RefObject<readonly Member[]>) {}

  get state(): PickerState | null {
    return this.#state
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #set(next: PickerState | null): void {
    this.#state = next
    for (const l of this.#listeners) l()
  }

  #fromProps(props: SuggestionProps<Member, MentionNodeAttrs>, active: number): PickerState {
    return {
      items: props.items,
      active: Math.min(active, Math.max(0, props.items.length - 1)),
      rect: props.clientRect?.() ?? null,
      // The board model reads `id`; `label` (the name when written) is only a fallback.
      choose: (m) => props.command({ id: m.userId, label: m.name || m.email }),
    }
  }

  /** Options for `Mention.configure({ suggestion })`. */
  suggestion(): Omit<SuggestionOptions<Member, MentionNodeAttrs>, 'editor'> {
    return {
      char: '@',
      items: ({ query }) => matchMembers(this.members.current ?? [], query),
      render: () => ({
        onStart: (props) => {
          // Escape closes the picker, not the task panel (TaskPanel checks this flag).
          props.editor.view.dom.dataset.escapeClosesSelf = 'true'
          this.#set(this.#fromProps(props, 0))
        },
        onUpdate: (props) => {
          const keep = this.#state?.items[this.#state.active]
          const index = keep ? props.items.indexOf(keep) : -1
          this.#set(this.#fromProps(props, Math.max(0, index)))
        },
        onExit: (props) => {
          delete props.editor.view.dom.dataset.escapeClosesSelf
          this.#set(null)
        },
        onKeyDown: ({ event }) => this.#onKey(event),
      }),
    }
  }

  #onKey(event: KeyboardEvent): boolean {
    const s = this.#state
    if (!s || s.items.length === 0) return false
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const d = event.key === 'ArrowDown' ? 1 : -1
      this.#set({ ...s, active: (s.active + d + s.items.length) % s.items.length })
      return true
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      s.choose(s.items[s.active]!)
      return true
    }
    if (event.key === 'Escape') {
      this.#set(null)
      // false: the suggestion plugin then dismisses itself for this `@`.
      return false
    }
    return false
  }
}

/** The picker list, placed under the caret inside `container` (position: relative). */
export function MentionPickerList(props: {
  store: MentionPickerStore
  container: RefObject<HTMLElement | null>
}) {
  const state = useSyncExternalStore(
    props.store.subscribe,
    () => props.store.state,
    () => null,
  )
  if (!state || state.items.length === 0) return null
  const box = props.container.current?.getBoundingClientRect()
  const style =
    state.rect && box
      ? { left: state.rect.left - box.left, top: state.rect.bottom - box.top + 4 }
      : { left: 0, top: '100%' }
  return (
    <MentionOptions
      members={state.items}
      active={state.active}
      onChoose={state.choose}
      style={style}
    />
  )
}

/** Members by id for mention chips inside the editor (node views render under EditorContent). */
export const EditorMembersContext = createContext<ReadonlyMap<string, Member>>(new Map())

/**
 * A mention node as a chip with the member's current name; the stored label is only the
 * fallback for someone no longer in the project.
 */
export function MentionNodeView(props: ReactNodeViewProps) {
  const membersById = useContext(EditorMembersContext)
  const id = String(props.node.attrs.id ?? '')
  const label = String(props.node.attrs.label ?? '')
  return (
    <NodeViewWrapper as="span" data-mention-id={id}>
      <MentionChip userId={id} membersById={membersById} fallbackName={label} />
    </NodeViewWrapper>
  )
}
