import * as Y from 'yjs'
import { newId } from './ids.js'
import { fail, ok, type Result } from './result.js'
import { type OpContext, roots, runOp, str } from './schema.js'
import { checkColor, checkName, MAX_LABEL_NAME } from './validate.js'

export interface Label {
  id: string
  name: string
  color: string
}

/** Every label of the board, by name then id. */
export function listLabels(doc: Y.Doc): Label[] {
  const out: Label[] = []
  roots(doc).labels.forEach((m, id) => {
    out.push({ id, name: str(m, 'name'), color: str(m, 'color', '#64748b') })
  })
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1))
}

/** Creates a label. @example createLabel(doc, { name: 'bug', color: '#ef4444' }) */
export function createLabel(
  doc: Y.Doc,
  input: { name: string; color: string },
  ctx?: OpContext,
): Result<{ id: string }> {
  const bad = checkName(input?.name, 'name', MAX_LABEL_NAME) ?? checkColor(input.color)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, () => {
    const id = newId()
    const m = new Y.Map<unknown>()
    m.set('name', input.name.trim())
    m.set('color', input.color.toLowerCase())
    roots(doc).labels.set(id, m)
    return ok({ id })
  })
}

/** Renames or recolours a label; name and colour merge independently. */
export function updateLabel(
  doc: Y.Doc,
  labelId: string,
  patch: { name?: string; color?: string },
  ctx?: OpContext,
): Result<null> {
  const m = roots(doc).labels.get(labelId)
  if (!m) return fail('not_found', `label ${labelId} does not exist`)
  const bad =
    (patch?.name !== undefined ? checkName(patch.name, 'name', MAX_LABEL_NAME) : null) ??
    (patch?.color !== undefined ? checkColor(patch.color) : null)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, () => {
    if (patch.name !== undefined) m.set('name', patch.name.trim())
    if (patch.color !== undefined) m.set('color', patch.color.toLowerCase())
    return ok(null)
  })
}

/**
 * Deletes a label. Tasks keep the id in their set, but every view drops ids of labels that
 * no longer exist (B15), so a concurrent "add label to task" cannot resurrect it.
 */
export function deleteLabel(doc: Y.Doc, labelId: string, ctx?: OpContext): Result<null> {
  const labels = roots(doc).labels
  if (!labels.has(labelId)) return fail('not_found', `label ${labelId} does not exist`)
  return runOp(doc, ctx, () => {
    labels.delete(labelId)
    return ok(null)
  })
}

/**
 * Puts a label back as it was (history restore, B21): a deleted label is written again
 * under its old id, so the tasks that still hold the id in their set (B15) show it again;
 * an existing one gets the name and colour as field writes (B15). Concurrent restores of
 * one deleted label set the same key: one map wins, so there is one label.
 * @example restoreLabel(doc, { id, name: 'bug', color: '#ef4444' })
 */
export function restoreLabel(
  doc: Y.Doc,
  input: Label,
  ctx?: OpContext,
): Result<{ created: boolean }> {
  const bad =
    (typeof input?.id === 'string' && input.id.length > 0 ? null : 'id must be a label id') ??
    checkName(input.name, 'name', MAX_LABEL_NAME) ??
    checkColor(input.color)
  if (bad) return fail('invalid', bad)
  const { labels } = roots(doc)
  const name = input.name.trim()
  const color = input.color.toLowerCase()
  const existing = labels.get(input.id)
  if (existing) {
    return runOp(doc, ctx, () => {
      if (str(existing, 'name') !== name) existing.set('name', name)
      if (str(existing, 'color') !== color) existing.set('color', color)
      return ok({ created: false })
    })
  }
  return runOp(doc, ctx, () => {
    const m = new Y.Map<unknown>()
    m.set('name', name)
    m.set('color', color)
    labels.set(input.id, m)
    return ok({ created: true })
  })
}
