import type { BoardResponse, HistoryStep } from '@taskflow/api'
import type { BoardView } from '@taskflow/board'
import { ChevronLeft, ChevronRight, History, RotateCcw, X } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { errorMessage } from '../../api/client'
import { getBoardAt, getHistorySteps, restoreFromHistory } from '../../api/history.api'
import { Button, ErrorNote, Spinner } from '../../ui/primitives'
import { When } from '../../ui/When'
import { setStepMarks } from '../away/away-store'
import { type BoardEnv, BoardEnvContext, useBoardEnv } from '../board/board-context'
import { ProjectViews } from '../views/ProjectViews'
import { boardViewAt, goneSince, labelsAt } from './board-at'
import { historyStore } from './history-store'
import { describeStep, startStepIndex } from './step-text'

// The board is read once the scrubber rests this long (dragging passes many steps).
const SETTLE_MS = 150

/**
 * History mode: a scrubber over the board's change steps; the board as it was after the
 * chosen step, drawn read-only by the same views as the live board, with the step's cards
 * marked and who made it. What existed then and is gone now can be restored (members), as a
 * new edit. Esc leaves.
 */
export function HistoryMode(props: {
  live: BoardView
  /** Start at the first step after this instant (from "while you were away"); else the newest. */
  from: string | null
  onExit: () => void
}) {
  const env = useBoardEnv()
  const { projectId } = env
  const [steps, setSteps] = useState<HistoryStep[] | null>(null)
  const [index, setIndex] = useState(0)
  const [board, setBoard] = useState<{ at: string; value: BoardResponse } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)
  const nameOf = (id: string) => env.membersById.get(id)?.name ?? 'Someone'

  useEffect(() => {
    let cancelled = false
    getHistorySteps(projectId).then(
      (r) => {
        if (cancelled) return
        setSteps(r.steps)
        setIndex(startStepIndex(r.steps, props.from, env.userId))
      },
      (err) => !cancelled && setError(errorMessage(err)),
    )
    return () => {
      cancelled = true
    }
  }, [projectId, props.from, env.userId])

  const step = steps?.[index] ?? null
  useEffect(() => {
    if (!step) return
    historyStore.set({ projectId, at: step.at })
    setStepMarks(new Set(step.tasks.map((t) => t.taskId)))
    let cancelled = false
    const timer = setTimeout(() => {
      getBoardAt(projectId, step.at).then(
        (value) => !cancelled && setBoard({ at: step.at, value }),
        (err) => !cancelled && setError(errorMessage(err)),
      )
    }, SETTLE_MS)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [projectId, step])

  useEffect(
    () => () => {
      setStepMarks(null)
      historyStore.set(null)
    },
    [],
  )

  const { onExit } = props
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Esc in an open dialog (the task panel) closes that first.
      if (e.key !== 'Escape' || document.querySelector('[role="dialog"]')) return
      onExit()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onExit])

  const view = useMemo(() => (board ? boardViewAt(board.value) : null), [board])
  const historyEnv = useMemo<BoardEnv | null>(
    () => (board ? { ...env, readOnly: true, labelsById: labelsAt(board.value) } : null),
    [env, board],
  )
  const gone = useMemo(() => (view ? goneSince(view, props.live) : null), [view, props.live])
  // Restoring writes the live board: members only, never from a read-only board.
  const canRestore = !env.readOnly

  const restore = async (
    body: { taskId?: string; columnId?: string; board?: true },
    what: string,
  ) => {
    if (!board) return
    setNote(null)
    setError(null)
    try {
      const r = await restoreFromHistory(projectId, { at: board.at, ...body })
      setNote(r.changed ? `Restored ${what}.` : `${what} is already as it was then.`)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="history-mode">
      <div
        className="flex flex-wrap items-center gap-2 border-b border-sky-200 bg-sky-50 px-4 py-2 text-sm dark:border-sky-900 dark:bg-sky-950/40"
        data-testid="history-bar"
      >
        <History className="size-4 text-sky-700" aria-hidden />
        <strong>History</strong>
        {steps && steps.length > 0 && (
          <>
            <Button
              variant="ghost"
              size="sm"
              aria-label="Previous step"
              disabled={index === 0}
              onClick={() => setIndex(index - 1)}
            >
              <ChevronLeft className="size-4" />
            </Button>
            <input
              type="range"
              min={0}
              max={steps.length - 1}
              value={index}
              onChange={(e) => setIndex(Number(e.target.value))}
              aria-label="Point in history"
              aria-valuetext={step ? `Step ${index + 1} of ${steps.length}` : undefined}
              data-testid="history-scrubber"
              className="w-48 accent-sky-600"
            />
            <Button
              variant="ghost"
              size="sm"
              aria-label="Next step"
              disabled={index === steps.length - 1}
              onClick={() => setIndex(index + 1)}
            >
              <ChevronRight className="size-4" />
            </Button>
            {step && (
              <span data-testid="history-step" data-at={step.at}>
                {describeStep(step, nameOf)} · <When at={step.at} />
              </span>
            )}
          </>
        )}
        {steps && steps.length === 0 && <span>No changes in the history yet.</span>}
        <div className="flex-1" />
        {canRestore && board && (
          <Button
            variant="secondary"
            size="sm"
            data-testid="history-restore-board"
            onClick={() => void restore({ board: true }, 'the board')}
          >
            <RotateCcw className="size-4" /> Restore board to this point
          </Button>
        )}
        <Button variant="ghost" size="sm" data-testid="history-exit" onClick={onExit}>
          <X className="size-4" /> Leave history (Esc)
        </Button>
      </div>
      {gone && (gone.tasks.length > 0 || gone.columns.length > 0) && (
        <div
          className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-1.5 text-sm dark:border-slate-800"
          data-testid="history-gone"
        >
          <span className="text-slate-500">Gone since:</span>
          {gone.columns.map((c) => (
            <span key={c.id} className="flex items-center gap-1" data-testid="gone-column">
              column “{c.name}”
              {canRestore && (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => void restore({ columnId: c.id }, `column “${c.name}”`)}
                >
                  Restore
                </Button>
              )}
            </span>
          ))}
          {gone.tasks.map((t) => (
            <span key={t.id} className="flex items-center gap-1" data-testid="gone-task">
              “{t.title || 'Untitled'}”
              {canRestore && (
                <Button
                  size="sm"
                  variant="secondary"
                  aria-label={`Restore “${t.title || 'Untitled'}”`}
                  onClick={() => void restore({ taskId: t.id }, `“${t.title || 'Untitled'}”`)}
                >
                  Restore
                </Button>
              )}
            </span>
          ))}
        </div>
      )}
      {(error || note) && (
        <div className="px-4 pt-2" data-testid="history-note">
          {error ? (
            <ErrorNote message={error} />
          ) : (
            <p className="text-sm text-emerald-700">{note}</p>
          )}
        </div>
      )}
      <div className="min-h-0 flex-1">
        {view && historyEnv ? (
          <BoardEnvContext.Provider value={historyEnv}>
            <ProjectViews view={view} presence={[]} loaded />
          </BoardEnvContext.Provider>
        ) : (
          !error && (
            <div className="p-8">
              <Spinner label="Reading the board’s history" />
            </div>
          )
        )}
      </div>
    </div>
  )
}
