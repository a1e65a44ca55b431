import { Link, useParams } from '@tanstack/react-router'
import {
  addFieldOption,
  createField,
  deleteField,
  FIELD_TYPES,
  type FieldDef,
  type FieldType,
  moveField,
  type Result,
  removeFieldOption,
  restoreField,
  updateField,
  updateFieldOption,
} from '@taskflow/board'
import { ArrowDown, ArrowLeft, ArrowUp, Trash2, X } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import type * as Y from 'yjs'
import { useRequiredSession } from '../../auth/use-session'
import { useProjectDoc } from '../../sync/use-project-doc'
import { Button, ErrorNote, Input, Spinner } from '../../ui/primitives'
import { useProjectSummary } from '../projects/use-projects'
import { useFields } from './use-fields'

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  single_select: 'Single select',
  multi_select: 'Multi select',
  checkbox: 'Checkbox',
  person: 'Person',
  url: 'URL',
}
const OPTION_COLORS = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#ec4899', '#64748b']
const selectClass =
  'h-9 rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900'
const isSelect = (t: FieldType) => t === 'single_select' || t === 'multi_select'

/**
 * Project settings → Fields: admins define the project's custom fields in the board
 * document itself (offline too; merge rules F1–F9). Others see the list, read-only.
 */
export function FieldsSettingsPage() {
  const { projectId } = useParams({ from: '/_authed/projects/$projectId/fields' })
  const { user } = useRequiredSession()
  const project = useProjectSummary(projectId)
  const { projectDoc, localLoaded } = useProjectDoc(projectId)
  const doc = projectDoc.doc
  const fields = useFields(doc, { includeDeleted: true })
  const live = fields.filter((f) => f.deletedAt === null)
  const deleted = fields.filter((f) => f.deletedAt !== null)
  const canManage = (project?.role === 'owner' || project?.role === 'admin') && localLoaded
  const [error, setError] = useState<string | null>(null)
  const ctx = { userId: user.id }
  const run = (r: Result<unknown>) => setError(r.ok ? null : r.error.message)

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const data = new FormData(form)
    const type = String(data.get('type')) as FieldType
    const r = createField(
      doc,
      {
        name: String(data.get('name') ?? ''),
        type,
        showOnCard: data.get('showOnCard') === 'on',
      },
      ctx,
    )
    run(r)
    if (r.ok) form.reset()
  }

  return (
    <main className="mx-auto w-full max-w-2xl space-y-6 p-4 sm:p-8">
      <Link
        to="/projects/$projectId/settings"
        params={{ projectId }}
        className="inline-flex items-center gap-1 text-sm text-indigo-600 hover:underline"
      >
        <ArrowLeft className="size-4" /> Back to settings
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">{project?.name ?? 'Project'} · Fields</h1>
      <p className="text-sm text-slate-500">
        Custom fields every task of the project can hold. Removing an option keeps it on the tasks
        that have it, shown as “removed option”; deleting a field hides it and keeps its values, so
        restoring it brings them back.
      </p>
      {!localLoaded && <Spinner label="Loading the board" />}
      {canManage && (
        <form
          onSubmit={onCreate}
          className="flex flex-wrap items-center gap-2"
          aria-label="New field"
        >
          <Input
            name="name"
            required
            placeholder="Field name"
            aria-label="Field name"
            className="min-w-40 flex-1"
          />
          <select name="type" aria-label="Field type" className={selectClass} defaultValue="text">
            {FIELD_TYPES.map((t) => (
              <option key={t} value={t}>
                {FIELD_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-1 text-sm">
            <input type="checkbox" name="showOnCard" /> Show on cards
          </label>
          <Button type="submit">Add field</Button>
        </form>
      )}
      <ErrorNote message={error} />
      {localLoaded && live.length === 0 && <p className="text-sm text-slate-500">No fields yet.</p>}
      <ul className="space-y-3">
        {live.map((f, i) => (
          <FieldRow
            key={f.id}
            doc={doc}
            field={f}
            index={i}
            count={live.length}
            canManage={canManage}
            userId={user.id}
            onResult={run}
          />
        ))}
      </ul>
      {canManage && deleted.length > 0 && (
        <section aria-label="Deleted fields" className="space-y-2">
          <h2 className="text-sm font-semibold text-slate-600 dark:text-slate-400">
            Deleted fields
          </h2>
          <ul className="divide-y divide-slate-200 rounded-lg border border-dashed border-slate-300 dark:divide-slate-800 dark:border-slate-700">
            {deleted.map((f) => (
              <li key={f.id} className="flex items-center gap-3 p-3">
                <span className="flex-1 text-sm">
                  {f.name}{' '}
                  <span className="text-xs text-slate-500">{FIELD_TYPE_LABELS[f.type]}</span>
                </span>
                <Button variant="ghost" size="sm" onClick={() => run(restoreField(doc, f.id, ctx))}>
                  Restore
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  )
}

function FieldRow(props: {
  doc: Y.Doc
  field: FieldDef
  index: number
  count: number
  canManage: boolean
  userId: string
  onResult: (r: Result<unknown>) => void
}) {
  const { doc, field: f, canManage, onResult } = props
  const ctx = { userId: props.userId }
  const [optionName, setOptionName] = useState('')
  const [optionColor, setOptionColor] = useState(OPTION_COLORS[0]!)
  const label = `field ${f.name}`
  return (
    <li
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
      data-testid="field-row"
    >
      <div className="flex flex-wrap items-center gap-2">
        <RenameInput
          value={f.name}
          label={`Name of ${label}`}
          disabled={!canManage}
          onCommit={(name) => onResult(updateField(doc, f.id, { name }, ctx))}
        />
        <select
          aria-label={`Type of ${label}`}
          className={selectClass}
          value={f.type}
          disabled={!canManage}
          onChange={(e) => {
            const type = e.target.value as FieldType
            // Values are kept whatever the type (F8); say so before a change hides them.
            if (
              confirm(
                `Change “${f.name}” to ${FIELD_TYPE_LABELS[type]}? Values that do not fit are hidden (kept, and shown again if you change it back).`,
              )
            )
              onResult(updateField(doc, f.id, { type }, ctx))
          }}
        >
          {FIELD_TYPES.map((t) => (
            <option key={t} value={t}>
              {FIELD_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        <label className="flex items-center gap-1 text-sm">
          <input
            type="checkbox"
            aria-label={`Show ${label} on cards`}
            checked={f.showOnCard}
            disabled={!canManage}
            onChange={(e) =>
              onResult(updateField(doc, f.id, { showOnCard: e.target.checked }, ctx))
            }
          />
          On cards
        </label>
        {canManage && (
          <span className="ml-auto flex">
            <button
              type="button"
              aria-label={`Move up: ${f.name}`}
              disabled={props.index === 0}
              className="p-1 disabled:opacity-30"
              onClick={() => onResult(moveField(doc, f.id, props.index - 1, ctx))}
            >
              <ArrowUp className="size-4" />
            </button>
            <button
              type="button"
              aria-label={`Move down: ${f.name}`}
              disabled={props.index === props.count - 1}
              className="p-1 disabled:opacity-30"
              onClick={() => onResult(moveField(doc, f.id, props.index + 1, ctx))}
            >
              <ArrowDown className="size-4" />
            </button>
            <button
              type="button"
              aria-label={`Delete ${label}`}
              className="p-1 text-red-600"
              onClick={() => {
                if (
                  confirm(
                    `Delete the field “${f.name}”? It disappears from every task; its values are kept and come back if you restore it.`,
                  )
                )
                  onResult(deleteField(doc, f.id, ctx))
              }}
            >
              <Trash2 className="size-4" />
            </button>
          </span>
        )}
      </div>
      {isSelect(f.type) && (
        <div className="space-y-1 pl-2">
          <ul className="space-y-1" aria-label={`Options of ${f.name}`}>
            {f.options.map((o) => (
              <li key={o.id} className="flex items-center gap-2" data-testid="field-option-row">
                <input
                  type="color"
                  aria-label={`Colour of option ${o.name}`}
                  value={o.color}
                  disabled={!canManage}
                  onChange={(e) =>
                    onResult(updateFieldOption(doc, f.id, o.id, { color: e.target.value }, ctx))
                  }
                  className="h-7 w-9 cursor-pointer rounded border border-slate-300 bg-transparent"
                />
                <RenameInput
                  value={o.name}
                  label={`Name of option ${o.name}`}
                  disabled={!canManage}
                  onCommit={(name) => onResult(updateFieldOption(doc, f.id, o.id, { name }, ctx))}
                />
                {canManage && (
                  <button
                    type="button"
                    aria-label={`Remove option ${o.name}`}
                    className="p-1 text-red-600"
                    onClick={() => {
                      if (
                        confirm(
                          `Remove the option “${o.name}”? Tasks that have it keep it, shown as “removed option”.`,
                        )
                      )
                        onResult(removeFieldOption(doc, f.id, o.id, ctx))
                    }}
                  >
                    <X className="size-4" />
                  </button>
                )}
              </li>
            ))}
          </ul>
          {canManage && (
            <form
              className="flex items-center gap-2"
              aria-label={`New option of ${f.name}`}
              onSubmit={(e) => {
                e.preventDefault()
                const r = addFieldOption(doc, f.id, { name: optionName, color: optionColor }, ctx)
                onResult(r)
                if (r.ok) {
                  setOptionName('')
                  setOptionColor(OPTION_COLORS[(f.options.length + 1) % OPTION_COLORS.length]!)
                }
              }}
            >
              <input
                type="color"
                aria-label={`Colour of new option of ${f.name}`}
                value={optionColor}
                onChange={(e) => setOptionColor(e.target.value)}
                className="h-7 w-9 cursor-pointer rounded border border-slate-300 bg-transparent"
              />
              <Input
                value={optionName}
                onChange={(e) => setOptionName(e.target.value)}
                placeholder="New option"
                aria-label={`New option of ${f.name}`}
                className="h-8 flex-1"
              />
              <Button type="submit" size="sm" variant="secondary">
                Add option
              </Button>
            </form>
          )}
        </div>
      )}
    </li>
  )
}

/** A name input that writes on blur or Enter (one board write per rename). */
function RenameInput(props: {
  value: string
  label: string
  disabled: boolean
  onCommit: (v: string) => void
}) {
  const [draft, setDraft] = useState(props.value)
  const [seen, setSeen] = useState(props.value)
  if (seen !== props.value) {
    setSeen(props.value)
    setDraft(props.value)
  }
  const commit = () => {
    if (draft.trim() && draft !== props.value) props.onCommit(draft)
    else setDraft(props.value)
  }
  return (
    <Input
      aria-label={props.label}
      value={draft}
      disabled={props.disabled}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
      }}
      className="h-8 min-w-32 flex-1"
    />
  )
}
