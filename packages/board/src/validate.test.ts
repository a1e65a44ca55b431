import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard, readMeta, updateBoardMeta } from './board.js'
import { addChecklistItem } from './checklist.js'
import { createColumn, updateColumn } from './columns.js'
import { createLabel, listLabels, updateLabel } from './labels.js'
import type { Result } from './result.js'
import { createTask, editTaskText, getTaskText, updateTask } from './tasks.js'
import { stripUnsafeNameChars } from './validate.js'
import { getBoardView } from './views.js'

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

function board(): { doc: Y.Doc; columnId: string; taskId: string; labelId: string } {
  const doc = new Y.Doc()
  must(initBoard(doc, { name: 'Launch' }))
  const columnId = getBoardView(doc).columns[0]!.id
  const taskId = must(createTask(doc, { columnId, title: 'Spec' })).id
  const labelId = must(createLabel(doc, { name: 'bug', color: '#ef4444' })).id
  return { doc, columnId, taskId, labelId }
}

// NUL, tab, CR/LF, ESC, DEL, a C1 control, the line separator, bidi override and isolate.
const UNSAFE = ['\u0000', '\t', '\r\n', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\u2066']

describe('names refuse control and bidi-override characters', () => {
  it.each(UNSAFE)(
    'refuses %j in board, column, label, task and checklist names and writes nothing',
    (c) => {
      const { doc, columnId, taskId, labelId } = board()
      const before = Y.encodeStateAsUpdate(doc)
      const name = `Ship${c}it`
      const results: Result<unknown>[] = [
        updateBoardMeta(doc, { name }),
        createColumn(doc, { name, category: 'todo' }),
        updateColumn(doc, columnId, { name }),
        createLabel(doc, { name, color: '#000000' }),
        updateLabel(doc, labelId, { name }),
        createTask(doc, { columnId, title: name }),
        updateTask(doc, taskId, { title: name }),
        editTaskText(doc, taskId, 'title', { index: 4, insert: c }),
        addChecklistItem(doc, taskId, { text: name }),
      ]
      for (const r of results) {
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.error.code).toBe('invalid')
          expect(r.error.message).toMatch(
            /must not contain control characters .* bidirectional override/,
          )
        }
      }
      expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
      expect(readMeta(doc).name).toBe('Launch')
      expect(listLabels(doc).map((l) => l.name)).toEqual(['bug'])
      expect(getTaskText(doc, taskId, 'title')!.toString()).toBe('Spec')
    },
  )

  it('names the refused character in the message', () => {
    const { doc } = board()
    const r = createColumn(doc, { name: 'Done\u202Egnp.exe', category: 'done' })
    expect(r.ok || r.error.message).toMatch(/found U\+202E$/)
  })

  it('keeps accepting HTML-looking text, emoji, right-to-left names and their direction marks', () => {
    const { doc, columnId, taskId } = board()
    for (const name of [
      '<b>R&D</b>',
      'Ship 🚀',
      'שלום עולם',
      'مرحبا\u200F 2026',
      'a\u200Eb',
      'Ünïcødé',
    ]) {
      expect(createColumn(doc, { name, category: 'todo' }).ok).toBe(true)
      expect(createLabel(doc, { name, color: '#123456' }).ok).toBe(true)
      expect(updateTask(doc, taskId, { title: name }).ok).toBe(true)
    }
    expect(editTaskText(doc, taskId, 'title', { index: 0, insert: '👋 ' }).ok).toBe(true)
    expect(
      createTask(doc, { columnId, title: 'x', description: 'line one\nline two\ttabbed' }).ok,
    ).toBe(true)
  })
})

describe('stripUnsafeNameChars', () => {
  it('turns line breaks and controls into single spaces and drops bidi controls', () => {
    expect(stripUnsafeNameChars('Launch\r\nBcc: evil@example.org')).toBe(
      'Launch Bcc: evil@example.org',
    )
    expect(stripUnsafeNameChars('inv\u202Efdp.exe')).toBe('invfdp.exe')
    expect(stripUnsafeNameChars('a\u0000b\u2066c\u2069')).toBe('a bc')
    expect(stripUnsafeNameChars('  plain <b>name</b> ')).toBe('plain <b>name</b>')
    expect(stripUnsafeNameChars('مرحبا\u200F')).toBe('مرحبا\u200F')
  })
})
