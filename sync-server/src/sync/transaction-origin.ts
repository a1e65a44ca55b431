import type * as Y from 'yjs'
import type { UpdateOrigin } from './room.js'

/**
 * Reading a room transaction from an observer (reporting projection, activity): who sent
 * the update, and where in the board each changed type sits.
 */

export function isUpdateOrigin(o: unknown): o is UpdateOrigin {
  return typeof o === 'object' && o !== null && typeof (o as UpdateOrigin).seq === 'number'
}

/**
 * The top-level type a nested type lives in, its key there (a task id) and the key below
 * that (the task's field), if any.
 */
export function topOf(type: Y.AbstractType<unknown>): {
  root: unknown
  key: string | null
  field: string | null
} {
  let t = type
  let key: string | null = null
  let field: string | null = null
  while (t._item) {
    field = key
    key = t._item.parentSub
    t = t._item.parent as Y.AbstractType<unknown>
  }
  return { root: t, key, field }
}
