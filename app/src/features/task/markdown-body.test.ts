// @vitest-environment jsdom
import { createTask, getBoardView, getTaskBody, initBoard } from '@taskflow/board'
import { getTaskMarkdown } from '@taskflow/board/markdown'
import { getSchema } from '@tiptap/core'
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { descriptionSchemaExtensions } from './description-extensions'

type Dump = { text: unknown } | { name: string; attrs: unknown; children: Dump[] }
function dump(n: Y.XmlElement | Y.XmlText | Y.XmlHook): Dump {
  if (n instanceof Y.XmlText) return { text: n.toDelta() }
  const el = n as Y.XmlElement
  return { name: el.nodeName, attrs: el.getAttributes(), children: el.toArray().map(dump) }
}

it('a body written from Markdown is exactly what the editor itself would write for it', () => {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Docs' })
  const columnId = getBoardView(doc).columns[0]!.id
  const md = [
    '## Plan',
    '',
    'Some **bold _both_**, ~~gone~~, `code`, a [link](https://example.com "T") and a',
    'second line <b>not html</b>',
    '',
    '1. one',
    '2. two',
    '   - nested',
    '',
    '> quoted',
    '',
    '```ts',
    'const a = 1',
    '```',
    '',
    '---',
  ].join('\n')
  const r = createTask(doc, { columnId, title: 'T', descriptionMarkdown: md })
  if (!r.ok) throw new Error(r.error.message)
  const body = getTaskBody(doc, r.value.id)!
  const schema = getSchema(descriptionSchemaExtensions())
  // The editor's view of the body, checked against its schema, then written back by it.
  const pm = yXmlFragmentToProseMirrorRootNode(body, schema)
  pm.check()
  const again = new Y.Doc().getXmlFragment('body')
  prosemirrorToYXmlFragment(pm, again)
  expect(again.toArray().map(dump)).toEqual(body.toArray().map(dump))
  expect(pm.textContent).toContain('<b>not html</b>')
  expect(getTaskMarkdown(doc, r.value.id)).toContain('1. one\n2. two\n   - nested')
})
