import { Plus } from 'lucide-react'
import { useState } from 'react'
import { Button, Input } from '../../ui/primitives'

/**
 * "Add …" that turns into an input: Enter adds and clears the field so the next one can be
 * typed straight away; Escape or an empty blur closes it.
 */
export function InlineAdd(props: {
  label: string
  placeholder: string
  onAdd: (value: string) => void
  className?: string
}) {
  const [open, setOpen] = useState(false)
  const [value, setValue] = useState('')
  if (!open) {
    return (
      <Button variant="ghost" size="sm" className={props.className} onClick={() => setOpen(true)}>
        <Plus className="size-4" /> {props.label}
      </Button>
    )
  }
  return (
    <form
      className={props.className}
      onSubmit={(e) => {
        e.preventDefault()
        const v = value.trim()
        if (!v) return
        props.onAdd(v)
        setValue('')
      }}
    >
      <Input
        autoFocus
        aria-label={props.placeholder}
        data-escape-closes-self="true"
        placeholder={props.placeholder}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setValue('')
            setOpen(false)
          }
        }}
        onBlur={() => {
          if (!value.trim()) setOpen(false)
        }}
      />
    </form>
  )
}
