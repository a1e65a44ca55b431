// This file never imports markdown.ts (vitest gives each test file its own modules), so
// the codec is not installed: what a bundle without the Markdown code sees.
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { getBoardView, initBoard } from './index.js'
import { createTask } from './tasks.js'

it('a descriptionMarkdown write without the Markdown codec fails with the import to add, and writes nothing', () => {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Docs' })
  const columnId = getBoardView(doc).columns[0]!.id
  expect(() => createTask(doc, { columnId, title: 'T', descriptionMarkdown: '# hi' })).toThrow(
    "import '@taskflow/board/markdown'",
  )
  expect(getBoardView(doc).columns.flatMap((c) => c.tasks)).toHaveLength(0)
  // A plain description needs no codec.
  expect(createTask(doc, { columnId, title: 'T', description: 'hi' }).ok).toBe(true)
})
