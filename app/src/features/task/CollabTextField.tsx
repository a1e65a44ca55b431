import { editTaskText, getTaskText, MAX_DESCRIPTION, MAX_TITLE } from '@taskflow/board'
import { useEffect, useId, useRef, useState } from 'react'
import type * as Y from 'yjs'
import type { Member } from '../../api/schemas'
import { LimitNote, tooLongNote } from '../../ui/length-limit'
import { cx } from '../../ui/primitives'
import { diffToEdit, rebaseHeld, transformPosition } from './collab-text'
import { useMentionPicker } from './mentions'

/**
 * A plain input/textarea bound to a task's Y.Text: each keystroke becomes one character
 * edit (so concurrent typing merges by character), remote edits update the field in place
 * and keep the caret where the user was typing. Text over the limit (a long paste) stays in
 * the field, unsaved, with a note saying so, until it is shortened; meanwhile remote edits
 * do not overwrite it.
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
  // While the field holds text the document refused (too long, so unsaved): the document's
  // text it differs from, so remote edits can be carried into it.
  const heldBase = useRef<string | null>(null)
  const [length, setLength] = useState(0)
  const [refusal, setRefusal] = useState<string | null>(null)
  const max = field === 'title' ? MAX_TITLE : MAX_DESCRIPTION
  const noteId = useId()

  useEffect(() => {
    const el = ref.current
    const ytext = getTaskText(doc, taskId, field)
    if (!el || !ytext) return
    el.value = ytext.toString()
    heldBase.current = null
    setRefusal(null)
    setLength(el.value.length)
    const onChange = (event: Y.YTextEvent) => {
      if (applyingInput.current) return
      const focused = document.activeElement === el
      const start = transformPosition(el.selectionStart ?? 0, event.delta)
      const end = transformPosition(el.selectionEnd ?? 0, event.delta)
      const now = ytext.toString()
      if (heldBase.current !== null) {
        // Keep the unsaved text, with the teammate's edit applied beneath it.
        const fromEnd = el.value.length - (el.selectionEnd ?? el.value.length)
        el.value = rebaseHeld(heldBase.current, el.value, event.delta, now)
        heldBase.current = now
        setLength(el.value.length)
        if (focused) el.setSelectionRange(el.value.length - fromEnd, el.value.length - fromEnd)
        return
      }
      el.value = now
      setLength(el.value.length)
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
    setLength(el.value.length)
    const base = ytext.toString()
    const edit = diffToEdit(base, el.value)
    if (!edit) {
      heldBase.current = null
      setRefusal(null)
      return
    }
    applyingInput.current = true
    try {
      const r = editTaskText(doc, taskId, field, edit)
      // A refused edit (too long) stays in the field, marked unsaved, so the user can trim it.
      heldBase.current = r.ok ? null : base
      setRefusal(
        r.ok
          ? null
          : `${tooLongNote(props.label, el.value.length, max) ?? r.error.message} Not saved until shortened.`,
      )
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
    'aria-invalid': refusal !== null,
    'aria-describedby': noteId,
    'data-testid': `task-${field}`,
    className: cx(
      'w-full rounded-md border border-transparent bg-transparent px-2 py-1.5 hover:border-slate-300 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:hover:border-slate-700',
      props.className,
    ),
  }
  const note = <LimitNote id={noteId} length={length} max={max} error={refusal} />
  if (!withPicker) {
    return (
      <div>
        {field === 'description' ? <textarea rows={6} {...common} /> : <input {...common} />}
        {note}
      </div>
    )
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
      {note}
    </div>
  )
}
