// @vitest-environment jsdom
import { createTask, getBoardView, getTask, initBoard, updateTask } from '@taskflow/board'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { createElement } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Member } from '../../api/schemas'
import { type BoardEnv, BoardEnvContext } from '../board/board-context'
import { Assignees } from './TaskPanel'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const member = (userId: string, name: string, role: Member['role']): Member => ({
  userId,
  name,
  email: `${userId}@example.com`,
  role,
})
const membersById = new Map<string, Member>([
  ['u1', member('u1', 'Ada', 'owner')],
  ['u2', member('u2', 'Bob', 'member')],
  ['u3', member('u3', 'Vera', 'viewer')],
  ['u4', member('u4', 'Walt', 'viewer')],
])

function setup(assigneeIds: string[]) {
  const doc = new Y.Doc()
  must(initBoard(doc, { name: 'B' }))
  const columnId = getBoardView(doc).columns[0]!.id
  const id = must(createTask(doc, { columnId, title: 'T' })).id
  must(updateTask(doc, id, { assigneeIds }))
  const env: BoardEnv = {
    projectId: 'p1',
    doc,
    provider: null as unknown as WebsocketProvider,
    userId: 'u1',
    readOnly: false,
    role: 'owner',
    membersById,
    labelsById: new Map(),
    fields: [],
  }
  const show = () =>
    createElement(
      BoardEnvContext.Provider,
      { value: env },
      createElement(Assignees, { task: getTask(doc, id)!, onResult: () => {} }),
    )
  const view = render(show())
  return { doc, id, rerender: () => view.rerender(show()) }
}

const offered = () => screen.getAllByRole('button').map((b) => b.textContent?.slice(1))

afterEach(cleanup)

describe('assignee picker', () => {
  it('offers owners, admins and members, not viewers', () => {
    setup([])
    expect(offered()).toEqual(['Ada', 'Bob'])
  })

  it('still shows a viewer who is assigned, so they can be unassigned', () => {
    const { doc, id, rerender } = setup(['u3'])
    expect(offered()).toEqual(['Ada', 'Bob', 'Vera'])
    const vera = screen.getByRole('button', { name: /Vera/ })
    expect(vera.getAttribute('aria-pressed')).toBe('true')
    act(() => fireEvent.click(vera))
    expect(getTask(doc, id)!.assigneeIds).toEqual([])
    rerender()
    expect(offered()).toEqual(['Ada', 'Bob'])
  })
})
