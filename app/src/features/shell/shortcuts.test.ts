// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  dispatchShortcut,
  isTypingTarget,
  provideAction,
  runAction,
  type Shortcut,
} from './shortcuts'

afterEach(() => {
  document.body.innerHTML = ''
})

function press(target: Element, key: string, init: KeyboardEventInit = {}) {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
  Object.defineProperty(e, 'target', { value: target })
  return e
}

function shortcut(over: Partial<Shortcut> = {}): Shortcut & { run: ReturnType<typeof vi.fn> } {
  return {
    key: 'c',
    keys: 'c',
    description: 'Create',
    group: 'Test',
    run: vi.fn(),
    ...over,
  } as never
}

describe('dispatchShortcut', () => {
  it('runs a shortcut pressed on the page and prevents the key', () => {
    const s = shortcut()
    const e = press(document.body, 'c')
    expect(dispatchShortcut(e, [s])).toBe(true)
    expect(s.run).toHaveBeenCalledOnce()
    expect(e.defaultPrevented).toBe(true)
  })

  it.each([
    ['an input', '<input type="text">'],
    ['a search input', '<input type="search">'],
    ['a textarea', '<textarea></textarea>'],
    ['a select', '<select><option>a</option></select>'],
    ['a contenteditable', '<div contenteditable="true"><p>x</p></div>'],
  ])('never fires while typing in %s', (_name, html) => {
    document.body.innerHTML = html
    const field = document.body.firstElementChild as HTMLElement
    // jsdom does not compute isContentEditable: the closest() check must catch it.
    const target = field.querySelector('p') ?? field
    const s = shortcut()
    const e = press(target, 'c')
    expect(isTypingTarget(target)).toBe(true)
    expect(dispatchShortcut(e, [s])).toBe(false)
    expect(s.run).not.toHaveBeenCalled()
    expect(e.defaultPrevented).toBe(false)
  })

  it('fires from a checkbox or a button (not typing)', () => {
    document.body.innerHTML = '<input type="checkbox"><button>b</button>'
    const s = shortcut()
    expect(dispatchShortcut(press(document.body.children[0]!, 'c'), [s])).toBe(true)
    expect(dispatchShortcut(press(document.body.children[1]!, 'c'), [s])).toBe(true)
  })

  it('lets ⌘K through in inputs when the shortcut says so', () => {
    document.body.innerHTML = '<input>'
    const s = shortcut({ key: 'k', mod: true, inInputs: true })
    expect(
      dispatchShortcut(press(document.body.firstElementChild!, 'k', { ctrlKey: true }), [s]),
    ).toBe(true)
    expect(dispatchShortcut(press(document.body, 'k'), [s])).toBe(false)
  })

  it('does nothing while a dialog owns the keys', () => {
    document.body.innerHTML = '<div role="dialog"></div>'
    const s = shortcut()
    expect(dispatchShortcut(press(document.body, 'c'), [s])).toBe(false)
    expect(s.run).not.toHaveBeenCalled()
  })

  it('tells Shift+j from j, matches the alternative key, and ignores Shift for ?', () => {
    const down = shortcut({ key: 'j', alt: 'ArrowDown' })
    const extend = shortcut({ key: 'j', alt: 'ArrowDown', shift: true })
    const help = shortcut({ key: '?' })
    dispatchShortcut(press(document.body, 'J', { shiftKey: true }), [down, extend])
    dispatchShortcut(press(document.body, 'ArrowDown'), [down, extend])
    dispatchShortcut(press(document.body, '?', { shiftKey: true }), [help])
    expect(extend.run).toHaveBeenCalledOnce()
    expect(down.run).toHaveBeenCalledOnce()
    expect(help.run).toHaveBeenCalledOnce()
  })

  it('a shortcut returning false lets the key through', () => {
    const s = shortcut({ run: vi.fn(() => false) })
    const e = press(document.body, 'c')
    expect(dispatchShortcut(e, [s])).toBe(false)
    expect(e.defaultPrevented).toBe(false)
  })
})

describe('provideAction', () => {
  it('runs what the feature on screen provides, and nothing once it is gone', () => {
    const search = vi.fn()
    const off = provideAction('search', search)
    expect(runAction('search')).toBe(true)
    off()
    expect(runAction('search')).toBe(false)
    expect(search).toHaveBeenCalledOnce()
  })
})
