// @vitest-environment jsdom
import {
  bodyToPlainText,
  createTask,
  getBoardView,
  getTaskBody,
  initBoard,
  parseMentions,
} from '@taskflow/board'
import { Editor, getSchema } from '@tiptap/core'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { presenceIdentity, vouchedIdentity } from '../../sync/presence'
import { descriptionExtensions, descriptionSchemaExtensions } from './description-extensions'
import { MentionPickerStore } from './description-mentions'

const editors: Editor[] = []
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy()
})

/** Two replicas of one board that exchange every update at once, like a live connection. */
function twoReplicas() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== b && Y.applyUpdate(b, u, a))
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== a && Y.applyUpdate(a, u, b))
  initBoard(a, { name: 'Docs' })
  const columnId = getBoardView(a).columns[0]!.id
  const r = createTask(a, { columnId, title: 'Spec' })
  if (!r.ok) throw new Error(r.error.message)
  return { a, b, taskId: r.value.id }
}

function openEditor(doc: Y.Doc, taskId: string, name: string): Editor {
  const fragment = getTaskBody(doc, taskId)
  if (!fragment) throw new Error('no body')
  const provider = { awareness: new Awareness(doc) } as unknown as WebsocketProvider
  const editor = new Editor({
    element: document.body.appendChild(document.createElement('div')),
    extensions: descriptionExtensions({
      fragment,
      provider,
      caretUser: { id: name, name, color: '#10b981' },
      teammate: () => null,
      mentions: new MentionPickerStore({ current: [] }),
      placeholder: '',
    }),
  })
  editors.push(editor)
  return editor
}

function typeAtEnd(editor: Editor, text: string) {
  editor.chain().focus('end').insertContent(text).run()
}

function pressUndo(editor: Editor) {
  editor.view.dom.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }),
  )
}

/** Two replicas whose updates wait in a queue until `flush`: edits in between are concurrent. */
function twoQueuedReplicas() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const toA: Uint8Array[] = []
  const toB: Uint8Array[] = []
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && toB.push(u))
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && toA.push(u))
  const flush = () => {
    for (const u of toB.splice(0)) Y.applyUpdate(b, u, 'remote')
    for (const u of toA.splice(0)) Y.applyUpdate(a, u, 'remote')
  }
  initBoard(a, { name: 'Docs' })
  const columnId = getBoardView(a).columns[0]!.id
  const r = createTask(a, { columnId, title: 'Spec' })
  if (!r.ok) throw new Error(r.error.message)
  flush()
  return { a, b, taskId: r.value.id, flush }
}

describe('the rich description editor', () => {
  it('keeps both texts intact when two people start typing into an empty description at once', () => {
    const { a, b, taskId, flush } = twoQueuedReplicas()
    const ada = openEditor(a, taskId, 'Ada')
    const bob = openEditor(b, taskId, 'Bob')
    ada.commands.focus('end')
    bob.commands.focus('end')
    // Each letter is typed at the typist's own caret on both sides before either sees the
    // other's: fully concurrent, as two people typing at the same moment.
    for (let i = 0; i < 3; i++) {
      ada.commands.insertContent('Ada'[i]!)
      bob.commands.insertContent('Bob'[i]!)
      flush()
    }
    expect(ada.getText()).toBe(bob.getText())
    expect(['AdaBob', 'BobAda']).toContain(ada.getText())
    expect(bodyToPlainText(getTaskBody(a, taskId)!)).toBe(ada.getText())
  })

  it('undoes only my own typing with Ctrl+Z, never a teammate’s', () => {
    const { a, b, taskId } = twoReplicas()
    const ada = openEditor(a, taskId, 'Ada')
    const bob = openEditor(b, taskId, 'Bob')
    typeAtEnd(ada, 'Ada writes the intro.')
    typeAtEnd(bob, ' Bob adds details.')
    expect(bodyToPlainText(getTaskBody(a, taskId)!)).toBe('Ada writes the intro. Bob adds details.')

    pressUndo(ada)

    for (const doc of [a, b])
      expect(bodyToPlainText(getTaskBody(doc, taskId)!)).toBe(' Bob adds details.')
    expect(ada.getText()).toBe(' Bob adds details.')
    pressUndo(ada)
    expect(bob.getText()).toBe(' Bob adds details.')
  })

  it('writes mentions the model reads as `<@id>` tokens (what notifications look for)', () => {
    const schema = getSchema(descriptionSchemaExtensions())
    const { a, taskId } = twoReplicas()
    const body = getTaskBody(a, taskId)!
    a.transact(() => {
      body.delete(0, body.length)
      prosemirrorJSONToYXmlFragment(
        schema,
        {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Ask ', marks: [{ type: 'bold' }] },
                { type: 'mention', attrs: { id: 'u-cy', label: 'Cy' } },
              ],
            },
          ],
        },
        body,
      )
    })
    expect(bodyToPlainText(body)).toBe('Ask <@u-cy>')
    expect(parseMentions(bodyToPlainText(body))).toEqual(['u-cy'])
  })
})

describe("teammates' carets", () => {
  const members = new Map([
    ['u-ann', { userId: 'u-ann', email: 'ann@example.com', name: 'Ann', role: 'owner' as const }],
    ['u-bob', { userId: 'u-bob', email: 'bob@example.com', name: 'Bob', role: 'member' as const }],
  ])
  function caretExtension() {
    const doc = new Y.Doc()
    initBoard(doc, { name: 'Docs' })
    const columnId = getBoardView(doc).columns[0]!.id
    const r = createTask(doc, { columnId, title: 'Spec' })
    if (!r.ok) throw new Error(r.error.message)
    const extensions = descriptionExtensions({
      fragment: getTaskBody(doc, r.value.id)!,
      provider: { awareness: new Awareness(doc) } as unknown as WebsocketProvider,
      caretUser: presenceIdentity({ id: 'u-ann', name: 'Ann' }),
      teammate: (user) => vouchedIdentity(user, members),
      mentions: new MentionPickerStore({ current: [] }),
      placeholder: '',
    })
    const caret = extensions.find((e) => e.name === 'collaborationCaret')!
    return caret.options as {
      render: (user: Record<string, unknown>) => HTMLElement
      selectionRender: (user: Record<string, unknown>) => { style?: string }
    }
  }

  it('are named and coloured from the member the server-stamped id names, not from what the state claims (sync SPEC 4.8)', () => {
    const caret = caretExtension()
    // Bob claims to be Ann; the server stamped his own id.
    const claimed = {
      id: 'u-bob',
      name: 'Ann',
      color: presenceIdentity({ id: 'u-ann', name: '' }).color,
    }
    const el = caret.render(claimed)
    const bob = presenceIdentity({ id: 'u-bob', name: 'Bob' })
    expect(el.textContent).toBe('Bob')
    expect(el.querySelector('[data-testid="caret-label"]')).not.toBeNull()
    expect(el.style.borderColor).toBe(hexToRgb(bob.color))
    expect(caret.selectionRender(claimed).style).toContain(bob.color)
  })

  it('have no label for someone who is not a member', () => {
    const caret = caretExtension()
    const el = caret.render({ id: 'u-eve', name: 'Ann', color: '#000000' })
    expect(el.textContent).toBe('')
    expect(caret.selectionRender({ id: 'u-eve', name: 'Ann', color: '#000000' })).toEqual({})
  })
})

function hexToRgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`
}
