import { editTaskText, getTaskText } from '@taskflow/board'
import { useEffect, useRef } from 'react'
import type * as Y from 'yjs'
import type { Member } from '../../api/schemas'
import { cx } from '../../ui/primitives'
import { diffToEdit, transformPosition } from './collab-text'
import { useMentionPicker } from './mentions'

/**
 * A plain input/textarea bound to a task's Y.Text: each keystroke becomes one character
 * edit (so concurrent typing merges by character), remote edits update the field in place
 * and keep the caret where the user was typing.
 */
export function CollabTextField(props: {
  doc: Y.Doc
  taskId: string
  field: 'title' | 'description'
  readOnly: boolean
  label: string
  placeholder?: string
  className?: string
  /** Members for the `@` mention picker (description only). */
  members?: readonly Member[]
}) {
  const { doc, taskId, field } = props
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null)
  const applyingInput = useRef(false)

  useEffect(() => {
    const el = ref.current
    const ytext = getTaskText(doc, taskId, field)
    if (!el || !ytext) return
    el.value = ytext.toString()
    const onChange = (event: Y.YTextEvent) => {
      if (applyingInput.current) return
      const focused = document.activeElement === el
      const start = transformPosition(el.selectionStart ?? 0, event.delta)
      const end = transformPosition(el.selectionEnd ?? 0, event.delta)
      el.value = ytext.toString()
      if (focused) el.setSelectionRange(start, end)
    }
    ytext.observe(onChange)
    return () => ytext.unobserve(onChange)
  }, [doc, taskId, field])

  const picker = useMentionPicker({
    ref,
    members: props.members ?? [],
    apply: (value, caret) => {
      const el = ref.current
      if (!el) return
      el.value = value
      onInput()
      el.setSelectionRange(caret, caret)
    },
  })
  const withPicker = field === 'description' && props.members !== undefined && !props.readOnly

  function onInput() {
    const el = ref.current
    const ytext = getTaskText(doc, taskId, field)
    if (!el || !ytext) return
    const edit = diffToEdit(ytext.toString(), el.value)
    if (!edit) return
    applyingInput.current = true
    try {
      const r = editTaskText(doc, taskId, field, edit)
      // A refused edit (too long) is undone in the field so it never shows unsaved text.
      if (!r.ok) el.value = ytext.toString()
    } finally {
      applyingInput.current = false
    }
  }

  const common = {
    ref,
    'aria-label': props.label,
    placeholder: props.placeholder,
    readOnly: props.readOnly,
    onInput,
    'data-collab': 'true',
    'data-testid': `task-${field}`,
    className: cx(
      'w-full rounded-md border border-transparent bg-transparent px-2 py-1.5 hover:border-slate-300 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:hover:border-slate-700',
      props.className,
    ),
  }
  if (!withPicker) {
    return field === 'description' ? <textarea rows={6} {...common} /> : <input {...common} />
  }
  return (
    <div className="relative">
      {picker.list}
      <textarea
        rows={6}
        {...common}
        onInput={() => {
          onInput()
          picker.update()
        }}
        onKeyDown={(e) => {
          picker.onKeyDown(e)
        }}
        onBlur={picker.close}
      />
    </div>
  )
}
