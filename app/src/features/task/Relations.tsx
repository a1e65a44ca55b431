import { useNavigate } from '@tanstack/react-router'
import {
  addRelation,
  boardViewStore,
  type RelatedTask,
  type RelationKind,
  removeRelationByKey,
  type TaskDetail,
} from '@taskflow/board'
import { Ban, Link2, X } from 'lucide-react'
import { useId, useMemo, useState } from 'react'
import { Button, cx, Input } from '../../ui/primitives'
import { useBoardEnv } from '../board/board-context'
import { useRelations } from './use-relations'

/** Kinds in the order the panel lists them, with what each reads as. */
const KINDS: { kind: RelationKind; label: string }[] = [
  { kind: 'blocked_by', label: 'Blocked by' },
  { kind: 'blocks', label: 'Blocks' },
  { kind: 'duplicate_of', label: 'Duplicate of' },
  { kind: 'duplicated_by', label: 'Duplicated by' },
  { kind: 'relates_to', label: 'Relates to' },
]

const PICKER_RESULTS = 8

type OnResult = (r: { ok: true } | { ok: false; error: { message: string } }) => void

/**
 * The task panel's Relations section: blockers, blocked tasks, duplicates and related tasks,
 * each opening that task; a task in the trash is struck through "in trash" (R5). Members add
 * a relation with a type and a task picker, and remove one.
 */
export function Relations({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, readOnly, projectId } = useBoardEnv()
  const relations = useRelations(doc, task.id)
  const navigate = useNavigate()
  const total = KINDS.reduce((n, k) => n + relations[k.kind].length, 0)
  const open = (taskId: string) =>
    void navigate({
      to: '/projects/$projectId/tasks/$taskId',
      params: { projectId, taskId },
      search: true,
    })

  return (
    <section className="space-y-2" data-testid="task-relations" aria-label="Relations">
      <h3 className="flex items-center gap-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        Relations {total > 0 ? total : ''}
        {relations.blocked_by.some((r) => !r.done && !r.trashed) && (
          <span className="inline-flex items-center gap-0.5 rounded bg-red-50 px-1.5 py-0.5 text-[11px] font-semibold tracking-normal text-red-700 normal-case dark:bg-red-950 dark:text-red-300">
            <Ban className="size-3" aria-hidden /> Blocked
          </span>
        )}
      </h3>
      {KINDS.filter((k) => relations[k.kind].length > 0).map((k) => (
        <div key={k.kind} data-testid={`relations-${k.kind}`}>
          <p className="text-xs font-medium text-slate-500">{k.label}</p>
          <ul className="space-y-0.5">
            {relations[k.kind].map((r) => (
              <RelationRow
                key={r.key}
                relation={r}
                label={k.label}
                readOnly={readOnly}
                onOpen={() => open(r.taskId)}
                onRemove={() => onResult(removeRelationByKey(doc, r.key))}
              />
            ))}
          </ul>
        </div>
      ))}
      {!readOnly && task.deletedAt === null && <AddRelation task={task} onResult={onResult} />}
    </section>
  )
}

function RelationRow(props: {
  relation: RelatedTask
  label: string
  readOnly: boolean
  onOpen: () => void
  onRemove: () => void
}) {
  const r = props.relation
  const title = r.title || 'Untitled'
  return (
    <li
      className="group flex items-center gap-2 rounded px-1 py-0.5 hover:bg-slate-50 dark:hover:bg-slate-800"
      data-testid="relation"
      data-trashed={r.trashed || undefined}
    >
      <button
        type="button"
        onClick={props.onOpen}
        className={cx(
          'flex-1 truncate text-left text-sm text-indigo-700 hover:underline dark:text-indigo-300',
          (r.trashed || r.done) && 'text-slate-400 line-through dark:text-slate-500',
        )}
      >
        {title}
      </button>
      {r.trashed && <span className="text-xs text-amber-700 dark:text-amber-300">in trash</span>}
      {r.done && <span className="text-xs text-emerald-600">done</span>}
      {!props.readOnly && (
        <button
          type="button"
          aria-label={`Remove relation: ${props.label} ${title}`}
          className="p-1 text-slate-400 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 hover:text-red-600"
          onClick={props.onRemove}
        >
          <X className="size-3.5" />
        </button>
      )}
    </li>
  )
}

function AddRelation({ task, onResult }: { task: TaskDetail; onResult: OnResult }) {
  const { doc, userId } = useBoardEnv()
  const [adding, setAdding] = useState(false)
  const [kind, setKind] = useState<RelationKind>('blocked_by')
  const [query, setQuery] = useState('')
  const listId = useId()
  const matches = useMemo(() => {
    if (!adding) return []
    const words = query.toLowerCase().split(/\s+/).filter(Boolean)
    const out: { id: string; title: string }[] = []
    for (const col of boardViewStore(doc).getSnapshot().columns) {
      for (const t of col.tasks) {
        if (t.id === task.id) continue
        const title = t.title.toLowerCase()
        if (words.every((w) => title.includes(w))) out.push({ id: t.id, title: t.title })
        if (out.length === PICKER_RESULTS) return out
      }
    }
    return out
  }, [adding, doc, query, task.id])

  if (!adding) {
    return (
      <Button variant="ghost" size="sm" onClick={() => setAdding(true)}>
        <Link2 className="size-4" /> Add relation
      </Button>
    )
  }
  const close = () => {
    setAdding(false)
    setQuery('')
  }
  return (
    <div className="space-y-2 rounded-md border border-slate-200 p-2 dark:border-slate-700">
      <div className="flex gap-2">
        <select
          aria-label="Relation type"
          className="h-10 rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900"
          value={kind}
          onChange={(e) => setKind(e.target.value as RelationKind)}
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <Input
          autoFocus
          aria-label="Find a task"
          aria-controls={listId}
          placeholder="Find a task"
          value={query}
          data-escape-closes-self="true"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close()
          }}
        />
        <Button variant="ghost" size="sm" aria-label="Cancel adding a relation" onClick={close}>
          <X className="size-4" />
        </Button>
      </div>
      <ul id={listId} aria-label="Matching tasks" className="max-h-60 overflow-y-auto">
        {matches.length === 0 && <li className="px-1 text-sm text-slate-500">No matching task</li>}
        {matches.map((m) => (
          <li key={m.id}>
            <button
              type="button"
              className="w-full truncate rounded px-1 py-1 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
              onClick={() => {
                const r = addRelation(doc, task.id, kind, m.id, { userId })
                onResult(r)
                if (r.ok) close()
              }}
            >
              {m.title || 'Untitled'}
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
