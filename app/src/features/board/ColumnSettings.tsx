import {
  COLUMN_CATEGORIES,
  type ColumnCategory,
  type ColumnView,
  deleteColumn,
  MAX_NAME,
  updateColumn,
} from '@taskflow/board'
import { MoreHorizontal } from 'lucide-react'
import { Popover } from 'radix-ui'
import { memo, useState } from 'react'
import { LengthCounter, refusalText } from '../../ui/length-limit'
import { Button, ErrorNote, Input } from '../../ui/primitives'
import { useBoardEnv } from './board-context'

const CATEGORY_LABELS: Record<ColumnCategory, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  done: 'Done',
}

/**
 * Rename, category, WIP limit and delete of one column, in a popover. Renders again only
 * when one of those changes, not when the column's tasks do (every key of the filter box).
 */
export const ColumnSettings = memo(function ColumnSettings({ column }: { column: ColumnView }) {
  const { doc } = useBoardEnv()
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [nameLength, setNameLength] = useState(column.name.length)

  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next)
        setError(null)
        setNameLength(column.name.length)
      }}
    >
      <Popover.Trigger
        aria-label={`Column settings of ${column.name}`}
        className="rounded p-1 text-slate-500 hover:bg-slate-200 dark:hover:bg-slate-700"
      >
        <MoreHorizontal className="size-4" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          className="z-40 w-64 space-y-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault()
              const form = new FormData(e.currentTarget)
              const wip = String(form.get('wip') ?? '').trim()
              const r = updateColumn(doc, column.id, {
                name: String(form.get('name') ?? ''),
                category: String(form.get('category')) as ColumnCategory,
                wipLimit: wip === '' ? null : Number(wip),
              })
              // Refused (a name too long, say): the form stays open with what was typed.
              if (!r.ok) setError(refusalText(r.error.message))
              else setOpen(false)
            }}
          >
            <label className="block space-y-1">
              <span className="flex text-xs font-medium text-slate-500">
                <span className="flex-1">Name</span>
                <LengthCounter length={nameLength} max={MAX_NAME} />
              </span>
              <Input
                name="name"
                defaultValue={column.name}
                required
                onChange={(e) => setNameLength(e.target.value.length)}
              />
            </label>
            <label className="block space-y-1">
              <span className="text-xs font-medium text-slate-500">Category</span>
              <select
                name="category"
                defaultValue={column.category}
                className="h-10 w-full rounded-md border border-slate-300 bg-white px-2 dark:border-slate-700 dark:bg-slate-900"
              >
                {COLUMN_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {CATEGORY_LABELS[c]}
                  </option>
                ))}
              </select>
            </label>
            <label className="block space-y-1">
              <span className="text-xs font-medium text-slate-500">WIP limit (empty = none)</span>
              <Input name="wip" type="number" min={1} defaultValue={column.wipLimit ?? ''} />
            </label>
            <ErrorNote message={error} />
            <div className="flex justify-between">
              <Button
                variant="danger"
                size="sm"
                onClick={() => {
                  if (
                    !confirm(`Delete column “${column.name}”? Its tasks move to the first column.`)
                  )
                    return
                  const r = deleteColumn(doc, column.id)
                  if (!r.ok) setError(refusalText(r.error.message))
                }}
              >
                Delete
              </Button>
              <Button type="submit" size="sm">
                Save
              </Button>
            </div>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}, sameSettings)

function sameSettings(a: { column: ColumnView }, b: { column: ColumnView }): boolean {
  const x = a.column
  const y = b.column
  return (
    x.id === y.id && x.name === y.name && x.category === y.category && x.wipLimit === y.wipLimit
  )
}
