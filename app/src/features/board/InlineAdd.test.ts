// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { createElement } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { OpResult } from '../../ui/length-limit'
import { InlineAdd } from './InlineAdd'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

afterEach(cleanup)

function open(onAdd: (value: string) => OpResult, max = 10) {
  render(createElement(InlineAdd, { label: 'Add task', placeholder: 'Task title', max, onAdd }))
  fireEvent.click(screen.getByRole('button', { name: 'Add task' }))
  return screen.getByLabelText('Task title') as HTMLInputElement
}

function submit(input: HTMLInputElement, value: string) {
  fireEvent.change(input, { target: { value } })
  fireEvent.submit(input.closest('form')!)
}

describe('InlineAdd', () => {
  it('clears the field after an accepted add', () => {
    const onAdd = vi.fn((): OpResult => ({ ok: true }))
    const input = open(onAdd)
    submit(input, 'Write docs')
    expect(onAdd).toHaveBeenCalledWith('Write docs')
    expect(input.value).toBe('')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('keeps the text and shows why when the add is refused', () => {
    const input = open(() => ({
      ok: false,
      error: { message: 'title must be at most 10 characters' },
    }))
    submit(input, 'eleven char')
    expect(input.value).toBe('eleven char')
    expect(screen.getByRole('alert').textContent).toBe('Title must be at most 10 characters.')
    expect(input.getAttribute('aria-invalid')).toBe('true')
  })

  it('shows a counter near the limit and a note once over it, before any add', () => {
    const input = open(() => ({ ok: true }))
    fireEvent.change(input, { target: { value: 'abcd' } })
    expect(screen.queryByTestId('length-counter')).toBeNull()
    fireEvent.change(input, { target: { value: 'abcdefghi' } })
    expect(screen.getByTestId('length-counter').textContent).toBe('9/10')
    fireEvent.change(input, { target: { value: 'abcdefghijk' } })
    expect(screen.getByTestId('length-counter').textContent).toBe('11/10')
    expect(screen.getByRole('alert').textContent).toBe(
      'Task title is too long: 11 characters, at most 10.',
    )
  })
})
