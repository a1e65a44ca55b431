import { RotateCcw } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { errorMessage } from '../../api/client'
import { getTaskHistory, restoreFromHistory, type TaskVersion } from '../../api/history.api'
import { Button, ErrorNote, Spinner } from '../../ui/primitives'
import { When } from '../../ui/When'
import { useBoardEnv } from '../board/board-context'
import { descriptionDiff, FIELD_LABELS, previousDescriptions, versionValue } from './version-text'

/**
 * The task panel's History tab: every version of every field, newest first, with who set it
 * and when; descriptions as a word diff against the version before. Members restore a whole
 * version (the task as it was then) or one field, as a new edit; viewers browse.
 */
export function TaskHistory({ taskId }: { taskId: string }) {
  const env = useBoardEnv()
  const [versions, setVersions] = useState<TaskVersion[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)
  const [reload, setReload] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` asks for a fresh read
  useEffect(() => {
    let cancelled = false
    getTaskHistory(env.projectId, taskId).then(
      (v) => !cancelled && setVersions(v),
      (err) => !cancelled && setError(errorMessage(err)),
    )
    return () => {
      cancelled = true
    }
  }, [env.projectId, taskId, reload])

  const before = useMemo(() => previousDescriptions(versions ?? []), [versions])
  const names = {
    user: (id: string) => env.membersById.get(id)?.name ?? 'a former member',
    label: (id: string) => env.labelsById.get(id)?.name ?? 'a deleted label',
  }

  const restore = async (v: TaskVersion, field: boolean) => {
    setNote(null)
    setError(null)
    try {
      const r = await restoreFromHistory(env.projectId, {
        at: v.at,
        taskId,
        ...(field ? { field: v.field } : {}),
      })
      setNote(
        r.changed
          ? field
            ? `${FIELD_LABELS[v.field]} restored.`
            : 'The task is restored as it was then.'
          : 'Already as it was then.',
      )
      setReload((n) => n + 1)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  if (error && !versions) return <ErrorNote message={error} />
  if (!versions) return <Spinner label="Reading the task’s history" />
  if (versions.length === 0) return <p className="text-sm text-slate-500">No history yet.</p>
  return (
    <div className="space-y-3" data-testid="task-history">
      <ErrorNote message={error} />
      {note && <p className="text-sm text-emerald-700">{note}</p>}
      <ol className="space-y-2">
        {versions.map((v) => (
          <li
            key={`${v.field}-${v.seq}`}
            data-testid="task-version"
            data-field={v.field}
            className="rounded-md border border-slate-200 p-2 text-sm dark:border-slate-700"
          >
            <div className="flex items-center gap-2 text-xs text-slate-500">
              <span className="font-semibold text-slate-700 dark:text-slate-200">
                {FIELD_LABELS[v.field]}
              </span>
              <span>{v.userId ? names.user(v.userId) : 'Someone'}</span>
              <When at={v.at} />
              <span className="flex-1" />
              {!env.readOnly && (
                <>
                  <Button
                    size="sm"
                    variant="ghost"
                    data-testid="restore-field"
                    onClick={() => void restore(v, true)}
                  >
                    <RotateCcw className="size-3.5" /> Restore field
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    data-testid="restore-version"
                    onClick={() => void restore(v, false)}
                  >
                    Restore this version
                  </Button>
                </>
              )}
            </div>
            {v.field === 'description' ? (
              <p className="mt-1 whitespace-pre-wrap break-words" data-testid="description-diff">
                {descriptionDiff(before.get(v) ?? '', v.value).map((p, i) =>
                  p.kind === 'added' ? (
                    // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed diff
                    <ins key={i} className="bg-emerald-100 no-underline dark:bg-emerald-900/50">
                      {p.text}
                    </ins>
                  ) : p.kind === 'removed' ? (
                    // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed diff
                    <del key={i} className="bg-red-100 text-red-800 dark:bg-red-900/50">
                      {p.text}
                    </del>
                  ) : (
                    // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed diff
                    <span key={i}>{p.text}</span>
                  ),
                )}
              </p>
            ) : (
              <p className="mt-1 break-words" data-testid="version-value">
                {versionValue(v, names)}
              </p>
            )}
          </li>
        ))}
      </ol>
    </div>
  )
}
