import { Plus } from 'lucide-react'
import { useId, useState } from 'react'
import { LimitNote, type OpResult, refusalText, tooLongNote } from '../../ui/length-limit'
import { Button, Input } from '../../ui/primitives'

/**
 * "Add …" that turns into an input: Enter adds and clears the field so the next one can be
 * typed straight away; Escape or an empty blur closes it. A refused add (too long, say)
 * keeps the text and says why; a counter shows `max` as the text nears it.
 */
export function InlineAdd(props: {
  label: string
  placeholder: string
  /** The limit the add operation enforces (a MAX_* of @taskflow/board). */
  max: number
  onAdd: (value: string) => OpResult
  className?: string
}) {
  const [open, setOpen] = useState(false)
  const [value, setValue] = useState('')
  const [refusal, setRefusal] = useState<string | null>(null)
  const noteId = useId()
  if (!open) {
    return (
      <Button variant="ghost" size="sm" className={props.className} onClick={() => setOpen(true)}>
        <Plus className="size-4" /> {props.label}
      </Button>
    )
  }
  const error = refusal ?? tooLongNote(props.placeholder, value.length, props.max)
  return (
    <form
      className={props.className}
      onSubmit={(e) => {
        e.preventDefault()
        const v = value.trim()
        if (!v) return
        const r = props.onAdd(v)
        if (!r.ok) return setRefusal(refusalText(r.error.message))
        setRefusal(null)
        setValue('')
      }}
    >
      <Input
        autoFocus
        aria-label={props.placeholder}
        aria-invalid={error !== null}
        aria-describedby={noteId}
        data-escape-closes-self="true"
        placeholder={props.placeholder}
        value={value}
        onChange={(e) => {
          setValue(e.target.value)
          setRefusal(null)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setValue('')
            setRefusal(null)
            setOpen(false)
          }
        }}
        onBlur={() => {
          if (!value.trim()) setOpen(false)
        }}
      />
      <LimitNote id={noteId} length={value.length} max={props.max} error={error} />
    </form>
  )
}
