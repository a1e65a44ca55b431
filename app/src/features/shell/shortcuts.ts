import { useEffect, useRef } from 'react'

/**
 * The app's keyboard shortcuts: one window listener, and a registry that features add to
 * while they are on screen (the board its card keys, views `f`, search `/`). It is the
 * extension point: a feature registers a shortcut (listed in the `?` overlay) or provides
 * the action behind a shortcut another part registered (`provideAction`).
 */
export interface Shortcut {
  /** `KeyboardEvent.key` to match, e.g. 'c', '?', 'ArrowDown', 'Escape'. */
  key: string
  /** Also matches this key (e.g. 'j' and 'ArrowDown'). */
  alt?: string
  shift?: boolean
  /** Ctrl on Windows/Linux, ⌘ on macOS. */
  mod?: boolean
  /** What the `?` overlay shows for the key(s), e.g. 'j / ↓'. */
  keys: string
  description: string
  group: string
  /** Fires even while typing (⌘K). */
  inInputs?: boolean
  /** Return false to let the key through (nothing to act on). */
  run: (e: KeyboardEvent) => undefined | boolean
}

const shortcuts = new Set<Shortcut>()
const listeners = new Set<() => void>()
let version = 0

function changed() {
  version++
  for (const l of listeners) l()
}

export function registerShortcut(s: Shortcut): () => void {
  shortcuts.add(s)
  changed()
  return () => {
    shortcuts.delete(s)
    changed()
  }
}

export const shortcutRegistry = {
  list: (): Shortcut[] => [...shortcuts],
  subscribe(l: () => void) {
    listeners.add(l)
    return () => listeners.delete(l)
  },
  version: () => version,
}

/** Registers shortcuts while the calling component is mounted; `make` may read fresh props. */
export function useShortcuts(make: () => Shortcut[], enabled = true): void {
  const ref = useRef(make)
  ref.current = make
  useEffect(() => {
    if (!enabled) return
    // Registered once; each run reads the latest closure so handlers see current state.
    const offs = ref
      .current()
      .map((s, i) => registerShortcut({ ...s, run: (e) => ref.current()[i]?.run(e) }))
    return () => {
      for (const off of offs) off()
    }
  }, [enabled])
}

/* Named actions behind shortcuts that another feature implements (filter, search). */
const actions = new Map<string, () => void>()

/** Provides the action behind a named shortcut (`'search'`, `'filter'`) while mounted. */
export function provideAction(name: string, run: () => void): () => void {
  actions.set(name, run)
  return () => {
    if (actions.get(name) === run) actions.delete(name)
  }
}

/** Runs a provided action; false when no feature on screen provides it. */
export function runAction(name: string): boolean {
  const run = actions.get(name)
  if (!run) return false
  run()
  return true
}

/** True when keys typed go into a field: never steal them. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(
      target.type,
    )
  }
  return target.closest('[contenteditable="true"]') !== null
}

/** A dialog (task panel, palette, confirmations) or an open menu owns the keys while open. */
export function modalOpen(root: ParentNode = document): boolean {
  return root.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]') !== null
}

function matches(s: Shortcut, e: KeyboardEvent): boolean {
  const mod = e.ctrlKey || e.metaKey
  if (Boolean(s.mod) !== mod || e.altKey) return false
  // '?' is Shift+/ on most layouts: the key itself says it, the Shift flag does not matter.
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
  const want = (k: string) => (k.length === 1 ? k.toLowerCase() : k)
  if (key !== want(s.key) && (!s.alt || key !== want(s.alt))) return false
  if (s.key.length === 1 && !/[a-z]/i.test(s.key)) return true
  return Boolean(s.shift) === e.shiftKey
}

/**
 * Runs the first registered shortcut the event matches, unless the person is typing or a
 * dialog owns the keys. Returns whether one ran (and then the event was prevented).
 */
export function dispatchShortcut(e: KeyboardEvent, list: Iterable<Shortcut> = shortcuts): boolean {
  if (e.defaultPrevented || e.isComposing) return false
  const typing = isTypingTarget(e.target)
  // Asked only for a key that is a shortcut: a query of the whole page on every key typed
  // into a field (a filter box over a big board) is time that key's paint waits for.
  let dialog: boolean | undefined
  const blocked = () => {
    dialog ??= modalOpen()
    return typing || dialog
  }
  // Latest registrations first: a view on screen overrides an app-wide default.
  for (const s of [...list].reverse()) {
    if (!matches(s, e)) continue
    if (!s.inInputs && blocked()) continue
    if (s.run(e) === false) continue
    e.preventDefault()
    return true
  }
  return false
}

/** Installs the one window listener (in the signed-in shell). */
export function useShortcutDispatcher(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => void dispatchShortcut(e)
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
