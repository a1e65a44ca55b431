import {
  type CreateFieldBody,
  ERROR_CODES,
  type Field,
  type FieldList,
  type UpdateFieldBody,
} from '@taskflow/api'
import {
  addFieldOption,
  createField,
  deleteField,
  type FieldDef,
  getField,
  listFields,
  moveField,
  type Result,
  removeFieldOption,
  updateField,
  updateFieldOption,
} from '@taskflow/board'
import * as Y from 'yjs'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import type { SyncControl } from '../sync/access.js'
import { createLiveBoard } from '../tasks/live-board.js'

export interface FieldsDeps {
  db: Db
  now: Clock
  getSync: () => SyncControl | undefined
}

/** A field as the API shows it; `position` among the live fields. */
export function toField(f: FieldDef, position: number): Field {
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    showOnCard: f.showOnCard,
    position,
    options: f.options.map((o) => ({ id: o.id, name: o.name, color: o.color })),
  }
}

/**
 * Custom fields of a project (board operations F1–F9 on the live document, as the caller,
 * like the task API): members read, admins define.
 */
export function createFieldsService(deps: FieldsDeps) {
  const { read, write } = createLiveBoard(deps)

  function fieldOf(doc: Y.Doc, fieldId: string): Field {
    const fields = listFields(doc)
    const i = fields.findIndex((f) => f.id === fieldId)
    if (i < 0) throw new AppError(404, ERROR_CODES.notFound, 'Field not found')
    return toField(fields[i]!, i)
  }

  return {
    async list(projectId: string): Promise<FieldList> {
      return read(projectId, (doc) => ({ fields: listFields(doc).map(toField) }))
    },

    async create(projectId: string, userId: string, body: CreateFieldBody): Promise<Field> {
      const { id } = await write(projectId, userId, (doc, ctx) => createField(doc, body, ctx))
      return read(projectId, (doc) => fieldOf(doc, id))
    },

    /**
     * Applies every change of the body in one board write: all of them, or (the first
     * refusal) none — the write's transaction is rolled back by checking first.
     */
    async update(projectId: string, userId: string, fieldId: string, body: UpdateFieldBody) {
      await write(projectId, userId, (doc, ctx) => {
        const field = getField(doc, fieldId)
        if (!field || field.deletedAt !== null) return notFound()
        // Check every option reference before writing anything: a refusal changes nothing.
        for (const id of [
          ...(body.updateOptions ?? []).map((o) => o.id),
          ...(body.removeOptions ?? []),
        ]) {
          if (!field.options.some((o) => o.id === id)) {
            return invalid(`field "${field.name}" has no option ${id}`)
          }
        }
        const dry = dryRun(doc, (scratch) => apply(scratch, fieldId, body, ctx))
        if (!dry.ok) return dry
        return apply(doc, fieldId, body, ctx)
      })
      return read(projectId, (doc) => fieldOf(doc, fieldId))
    },

    async remove(projectId: string, userId: string, fieldId: string): Promise<void> {
      await write(projectId, userId, (doc, ctx) => {
        const field = getField(doc, fieldId)
        if (!field || field.deletedAt !== null) return notFound()
        return deleteField(doc, fieldId, ctx)
      })
    },
  }
}

export type FieldsService = ReturnType<typeof createFieldsService>

type Ctx = { origin: unknown; now: number; userId: string }

function apply(doc: Y.Doc, fieldId: string, body: UpdateFieldBody, ctx: Ctx): Result<null> {
  const steps: Array<() => Result<unknown>> = []
  if (body.name !== undefined || body.type !== undefined || body.showOnCard !== undefined) {
    steps.push(() =>
      updateField(
        doc,
        fieldId,
        { name: body.name, type: body.type, showOnCard: body.showOnCard },
        ctx,
      ),
    )
  }
  if (body.index !== undefined) steps.push(() => moveField(doc, fieldId, body.index!, ctx))
  for (const o of body.updateOptions ?? []) {
    const { id, ...patch } = o
    steps.push(() => updateFieldOption(doc, fieldId, id, patch, ctx))
  }
  for (const id of body.removeOptions ?? []) {
    steps.push(() => removeFieldOption(doc, fieldId, id, ctx))
  }
  for (const o of body.addOptions ?? []) steps.push(() => addFieldOption(doc, fieldId, o, ctx))
  for (const step of steps) {
    const r = step()
    if (!r.ok) return r
  }
  return { ok: true, value: null }
}

/**
 * Runs `fn` on a scratch copy of the document: the field operations check their input one
 * step at a time, so a later step's refusal is found here, before the real write starts.
 */
function dryRun(doc: Y.Doc, fn: (scratch: Y.Doc) => Result<null>): Result<null> {
  const scratch = new Y.Doc()
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc))
    return fn(scratch)
  } finally {
    scratch.destroy()
  }
}

const notFound = (): Result<never> => ({
  ok: false,
  error: { code: 'not_found', message: 'Field not found' },
})
const invalid = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'invalid', message },
})
