import { BOARD_LOCAL_ORIGIN } from '@taskflow/board'
import { useEffect } from 'react'
import * as Y from 'yjs'

const managers = new WeakMap<Y.Doc, Y.UndoManager>()

/**
 * The document's undo history of this user's own edits: only transactions with the
 * board's local origin are tracked, so undo never reverts a teammate's change.
 */
export function undoManagerOf(doc: Y.Doc): Y.UndoManager {
  let um = managers.get(doc)
  if (!um) {
    const scope = ['meta', 'columns', 'tasks', 'labels', 'views'].map((name) => doc.getMap(name))
    um = new Y.UndoManager(scope, {
      trackedOrigins: new Set([BOARD_LOCAL_ORIGIN]),
      captureTimeout: 400,
    })
    managers.set(doc, um)
  }
  return um
}

/** Fields whose own (browser) undo is kept: plain inputs not bound to the document. */
function keepsNativeUndo(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.dataset.collab === 'true') return false
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
}

/** Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z (or Ctrl+Y) redoes — while `enabled`. */
export function useUndoShortcuts(doc: Y.Doc, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return
    const um = undoManagerOf(doc)
    const onKeyDown = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return
      const key = e.key.toLowerCase()
      const isUndo = key === 'z' && !e.shiftKey
      const isRedo = (key === 'z' && e.shiftKey) || (key === 'y' && e.ctrlKey)
      if (!isUndo && !isRedo) return
      if (keepsNativeUndo(e.target)) return
      e.preventDefault()
      if (isUndo) um.undo()
      else um.redo()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [doc, enabled])
}
