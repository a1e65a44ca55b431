import {
  type FieldDef,
  type FieldRaw,
  type FieldValueInput,
  type Result,
  renderFieldValue,
  setTaskFieldValue,
} from '@taskflow/board'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import type { Member } from '../../api/schemas'
import { cx, Input } from '../../ui/primitives'
import { FieldValueChips } from './FieldValueChips'

const inputClass =
  'h-10 w-full rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900'

/**
 * The task panel's custom fields: one input per live field, by type (F7 refuses what does
 * not fit; the refusal shows through `onResult`).
 */
export function TaskFieldValues(props: {
  doc: Y.Doc
  taskId: string
  fields: readonly FieldDef[]
  values: Readonly<Record<string, FieldRaw>>
  readOnly: boolean
  members: readonly Member[]
  onResult: (r: Result<unknown>) => void
}) {
  const { fields, values } = props
  if (fields.length === 0) return null
  const set = (fieldId: string, v: FieldValueInput) =>
    props.onResult(setTaskFieldValue(props.doc, props.taskId, fieldId, v))
  return (
    <div className="grid grid-cols-2 gap-3 text-sm" data-testid="task-custom-fields">
      {fields.map((f) => (
        <div key={f.id} className={cx('space-y-1', f.type === 'multi_select' && 'col-span-2')}>
          <span className="block text-xs font-medium text-slate-500">{f.name}</span>
          <FieldInput
            field={f}
            raw={values[f.id]}
            readOnly={props.readOnly}
            members={props.members}
            onChange={(v) => set(f.id, v)}
          />
        </div>
      ))}
    </div>
  )
}

export function FieldInput(props: {
  field: FieldDef
  raw: FieldRaw | undefined
  readOnly: boolean
  members: readonly Member[]
  onChange: (v: FieldValueInput) => void
}) {
  const { field, raw, readOnly, onChange } = props
  const shown = renderFieldValue(field, raw)
  const label = field.name
  switch (field.type) {
    case 'single_select': {
      const current = shown?.options?.[0]
      return (
        <div className="flex items-center gap-2">
          {current && (
            <FieldValueChips value={{ ...shown!, options: [current] }} userName={(id) => id} />
          )}
          <select
            aria-label={label}
            className={inputClass}
            disabled={readOnly}
            value={current && !current.removed ? current.id : ''}
            onChange={(e) => onChange(e.target.value || null)}
          >
            <option value="">{current?.removed ? 'Removed option' : 'No value'}</option>
            {field.options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      )
    }
    case 'multi_select': {
      const held = new Set(shown?.options?.map((o) => o.id) ?? [])
      const removed = shown?.options?.filter((o) => o.removed) ?? []
      return (
        <fieldset className="flex flex-wrap gap-1.5" aria-label={label}>
          {field.options.map((o) => {
            const on = held.has(o.id)
            return (
              <button
                key={o.id}
                type="button"
                aria-pressed={on}
                disabled={readOnly}
                onClick={() => {
                  const next = new Set(held)
                  if (on) next.delete(o.id)
                  else next.add(o.id)
                  // Removed options cannot be written back (F7): keep only live ones.
                  onChange([...next].filter((id) => field.options.some((x) => x.id === id)))
                }}
                className={cx(
                  'rounded-full border px-2.5 py-1 text-xs font-medium',
                  on ? 'text-white' : 'border-slate-300 text-slate-700 dark:text-slate-300',
                )}
                style={on ? { backgroundColor: o.color, borderColor: o.color } : undefined}
              >
                {o.name}
              </button>
            )
          })}
          {removed.length > 0 && (
            <FieldValueChips value={{ ...shown!, options: removed }} userName={(id) => id} />
          )}
        </fieldset>
      )
    }
    case 'checkbox':
      return (
        <input
          type="checkbox"
          aria-label={label}
          disabled={readOnly}
          checked={shown?.checked ?? false}
          onChange={(e) => onChange(e.target.checked)}
          className="size-4"
        />
      )
    case 'person':
      return (
        <select
          aria-label={label}
          className={inputClass}
          disabled={readOnly}
          value={shown?.userId ?? ''}
          onChange={(e) => onChange(e.target.value || null)}
        >
          <option value="">Nobody</option>
          {props.members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name || m.email}
            </option>
          ))}
          {shown?.userId && !props.members.some((m) => m.userId === shown.userId) && (
            <option value={shown.userId}>Former member</option>
          )}
        </select>
      )
    case 'date':
      return (
        <Input
          type="date"
          aria-label={label}
          disabled={readOnly}
          value={shown?.text ?? ''}
          onChange={(e) => onChange(e.target.value || null)}
        />
      )
    case 'number':
      return (
        <CommitInput
          type="number"
          label={label}
          readOnly={readOnly}
          value={shown?.text ?? ''}
          onCommit={(v) => onChange(v.trim() === '' ? null : Number(v))}
        />
      )
    case 'url':
      return (
        <div className="space-y-1">
          <CommitInput
            type="url"
            label={label}
            readOnly={readOnly}
            value={typeof raw === 'string' ? raw : ''}
            onCommit={(v) => onChange(v.trim() === '' ? null : v.trim())}
          />
          {shown?.href && <FieldValueChips value={shown} userName={(id) => id} />}
        </div>
      )
    case 'text':
      return (
        <CommitInput
          type="text"
          label={label}
          readOnly={readOnly}
          value={shown?.text ?? ''}
          onCommit={(v) => onChange(v.trim() === '' ? null : v)}
        />
      )
  }
}

/**
 * A text input that writes on blur or Enter, not per key: a half-typed URL or number is not a
 * value the board would take, and one write per edit keeps undo steps whole.
 */
function CommitInput(props: {
  type: 'text' | 'number' | 'url'
  label: string
  readOnly: boolean
  value: string
  onCommit: (v: string) => void
}) {
  const [draft, setDraft] = useState(props.value)
  useEffect(() => setDraft(props.value), [props.value])
  const commit = () => {
    if (draft !== props.value) props.onCommit(draft)
  }
  return (
    <Input
      type={props.type}
      aria-label={props.label}
      disabled={props.readOnly}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
      }}
    />
  )
}
