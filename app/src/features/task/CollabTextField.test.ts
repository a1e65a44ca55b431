// @vitest-environment jsdom
import {
  boardViewStore,
  createTask,
  editTaskText,
  getTaskText,
  initBoard,
  MAX_TITLE,
} from '@taskflow/board'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { createElement } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CollabTextField } from './CollabTextField'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

afterEach(cleanup)

function setup(title: string) {
  const doc = new Y.Doc()
  if (!initBoard(doc, { name: 'B' }).ok) throw new Error('init')
  const columnId = boardViewStore(doc).getSnapshot().columns[0]!.id
  const r = createTask(doc, { columnId, title })
  if (!r.ok) throw new Error(r.error.message)
  const taskId = r.value.id
  render(
    createElement(CollabTextField, {
      doc,
      taskId,
      field: 'title',
      readOnly: false,
      label: 'Title',
    }),
  )
  const input = screen.getByLabelText('Title') as HTMLInputElement
  const type = (value: string) => {
    input.value = value
    fireEvent.input(input)
  }
  return { doc, taskId, input, type, saved: () => getTaskText(doc, taskId, 'title')!.toString() }
}

describe('CollabTextField', () => {
  it('keeps a too-long paste in the field, unsaved, and says why', () => {
    const { input, type, saved } = setup('Docs')
    const pasted = 'p'.repeat(MAX_TITLE)
    type(`Docs${pasted}`)
    expect(input.value).toBe(`Docs${pasted}`)
    expect(saved()).toBe('Docs')
    expect(screen.getByRole('alert').textContent).toBe(
      'Title is too long: 504 characters, at most 500. Not saved until shortened.',
    )
    expect(screen.getByTestId('length-counter').textContent).toBe('504/500')
  })

  it("carries a teammate's edit into held text and saves both once it is shortened", () => {
    const { doc, taskId, input, type, saved } = setup('Docs')
    type(`Docs${'p'.repeat(MAX_TITLE)}`)
    act(() => {
      editTaskText(doc, taskId, 'title', { index: 0, insert: 'Write ' })
    })
    expect(input.value).toBe(`Write Docs${'p'.repeat(MAX_TITLE)}`)
    type('Write Docs now')
    expect(saved()).toBe('Write Docs now')
    expect(screen.queryByRole('alert')).toBeNull()
  })
})
