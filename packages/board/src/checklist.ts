import * as Y from 'yjs'
import { newId } from './ids.js'
import { compareOrdered, keyForIndex, type Ordered } from './order.js'
import { fail, ok, type Result } from './result.js'
import { type OpContext, roots, runOp, str, subMap, touchTask, type YMapAny } from './schema.js'
import { checkIndex, checkName, MAX_CHECKLIST_TEXT } from './validate.js'

export interface ChecklistItem {
  id: string
  text: string
  done: boolean
  order: string
}

/** A task's checklist items in order (key, then id). */
export function readChecklist(list: YMapAny | null): ChecklistItem[] {
  if (!list) return []
  const items: ChecklistItem[] = []
  list.forEach((item, id) => {
    if (!(item instanceof Y.Map)) return
    const m = item as YMapAny
    items.push({ id, text: str(m, 'text'), done: m.get('done') === true, order: str(m, 'order') })
  })
  return items.sort(compareOrdered)
}

function checklistOf(doc: Y.Doc, taskId: string): YMapAny | null {
  const task = typeof taskId === 'string' ? roots(doc).tasks.get(taskId) : undefined
  return task ? subMap(task, 'checklist') : null
}

function touch(doc: Y.Doc, taskId: string, now: number, ctx: OpContext | undefined) {
  const task = roots(doc).tasks.get(taskId)
  if (task) touchTask(task, now, ctx)
}

/** Adds a checklist item (default last). @example addChecklistItem(doc, taskId, { text: 'Write tests' }) */
export function addChecklistItem(
  doc: Y.Doc,
  taskId: string,
  input: { text: string; done?: boolean; index?: number },
  ctx?: OpContext,
): Result<{ id: string }> {
  const list = checklistOf(doc, taskId)
  if (!list) return fail('not_found', `task ${taskId} does not exist`)
  const bad =
    checkName(input?.text, 'text', MAX_CHECKLIST_TEXT) ??
    checkIndex(input.index) ??
    (input.done !== undefined && typeof input.done !== 'boolean' ? 'done must be a boolean' : null)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, (now) => {
    const items: Ordered[] = readChecklist(list)
    const id = newId()
    const item = new Y.Map<unknown>()
    item.set('text', input.text.trim())
    item.set('done', input.done ?? false)
    item.set(
      'order',
      keyForIndex(items, input.index ?? items.length, (iid, order) =>
        (list.get(iid) as YMapAny | undefined)?.set('order', order),
      ),
    )
    list.set(id, item)
    touch(doc, taskId, now, ctx)
    return ok({ id })
  })
}

/**
 * Puts a checklist item back under its old id (history restore, B22), at `index` among the
 * live items (default last): a deleted item is written again, so it is the same item as
 * before; two concurrent restores of it set the same key and one map wins (one item). An
 * item that is live gets the text and done that differ as field writes (B14) and keeps its
 * place.
 * @example restoreChecklistItem(doc, taskId, { id, text: 'Write tests', done: false, index: 0 })
 */
export function restoreChecklistItem(
  doc: Y.Doc,
  taskId: string,
  input: { id: string; text: string; done: boolean; index?: number },
  ctx?: OpContext,
): Result<{ created: boolean }> {
  const list = checklistOf(doc, taskId)
  if (!list) return fail('not_found', `task ${taskId} does not exist`)
  const bad =
    (typeof input?.id === 'string' && input.id.length > 0 ? null : 'id must be an item id') ??
    checkName(input.text, 'text', MAX_CHECKLIST_TEXT) ??
    checkIndex(input.index) ??
    (typeof input.done !== 'boolean' ? 'done must be a boolean' : null)
  if (bad) return fail('invalid', bad)
  const existing = list.get(input.id)
  if (existing instanceof Y.Map) {
    // Only the fields that differ: rewriting an equal value would override a concurrent edit.
    const patch: { text?: string; done?: boolean } = {}
    if (str(existing as YMapAny, 'text') !== input.text.trim()) patch.text = input.text
    if ((existing.get('done') === true) !== input.done) patch.done = input.done
    if (Object.keys(patch).length === 0) return ok({ created: false })
    const r = updateChecklistItem(doc, taskId, input.id, patch, ctx)
    return r.ok ? ok({ created: false }) : r
  }
  return runOp(doc, ctx, (now) => {
    const items: Ordered[] = readChecklist(list)
    const item = new Y.Map<unknown>()
    item.set('text', input.text.trim())
    item.set('done', input.done)
    item.set(
      'order',
      keyForIndex(items, input.index ?? items.length, (iid, order) =>
        (list.get(iid) as YMapAny | undefined)?.set('order', order),
      ),
    )
    list.set(input.id, item)
    touch(doc, taskId, now, ctx)
    return ok({ created: true })
  })
}

/** Renames or ticks an item; text and done merge independently (B14). */
export function updateChecklistItem(
  doc: Y.Doc,
  taskId: string,
  itemId: string,
  patch: { text?: string; done?: boolean },
  ctx?: OpContext,
): Result<null> {
  const item = checklistOf(doc, taskId)?.get(itemId)
  if (!(item instanceof Y.Map)) return fail('not_found', `checklist item ${itemId} does not exist`)
  const bad =
    (patch?.text !== undefined ? checkName(patch.text, 'text', MAX_CHECKLIST_TEXT) : null) ??
    (patch?.done !== undefined && typeof patch.done !== 'boolean' ? 'done must be a boolean' : null)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, (now) => {
    if (patch.text !== undefined) item.set('text', patch.text.trim())
    if (patch.done !== undefined) item.set('done', patch.done)
    touch(doc, taskId, now, ctx)
    return ok(null)
  })
}

/** Moves an item to `index` among the others. */
export function moveChecklistItem(
  doc: Y.Doc,
  taskId: string,
  itemId: string,
  index: number,
  ctx?: OpContext,
): Result<null> {
  const list = checklistOf(doc, taskId)
  const item = list?.get(itemId)
  if (!list || !(item instanceof Y.Map)) {
    return fail('not_found', `checklist item ${itemId} does not exist`)
  }
  const bad = checkIndex(index)
  if (bad || index === undefined) return fail('invalid', bad ?? 'index is required')
  return runOp(doc, ctx, (now) => {
    const others = readChecklist(list).filter((i) => i.id !== itemId)
    item.set(
      'order',
      keyForIndex(others, index, (iid, order) =>
        (list.get(iid) as YMapAny | undefined)?.set('order', order),
      ),
    )
    touch(doc, taskId, now, ctx)
    return ok(null)
  })
}

/** Removes an item; a concurrent edit of a deleted item is dropped with it (B14). */
export function deleteChecklistItem(
  doc: Y.Doc,
  taskId: string,
  itemId: string,
  ctx?: OpContext,
): Result<null> {
  const list = checklistOf(doc, taskId)
  if (!list?.has(itemId)) return fail('not_found', `checklist item ${itemId} does not exist`)
  return runOp(doc, ctx, (now) => {
    list.delete(itemId)
    touch(doc, taskId, now, ctx)
    return ok(null)
  })
}
