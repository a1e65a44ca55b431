import { useNavigate } from '@tanstack/react-router'
import type { BoardView } from '@taskflow/board'
import { Download, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { deleteProjectLocalCopy } from '../../sync/project-doc'
import { unsyncedCount } from '../../sync/unsynced'
import { Button } from '../../ui/primitives'
import { UnsyncedChangesDialog } from '../shell/SignOutDialog'

/**
 * Shown when the server refuses this project (membership removed, project archived or
 * deleted): the board stays readable from this device's copy, which the person may save
 * as a file and then delete — asked first when it holds changes the server never got.
 */
export function NoAccessNotice(props: {
  projectId: string
  userId: string
  name: string
  view: BoardView
}) {
  const navigate = useNavigate()
  const [askUnsynced, setAskUnsynced] = useState<number | null>(null)

  async function deleteCopy() {
    setAskUnsynced(null)
    await navigate({ to: '/projects' })
    await deleteProjectLocalCopy(props.userId, props.projectId)
  }

  return (
    <div
      role="alert"
      data-testid="no-access"
      className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      <span className="flex-1">
        You no longer have access to this project. What you see is the copy on this device.
      </span>
      <Button variant="secondary" size="sm" onClick={() => downloadJson(props.name, props.view)}>
        <Download className="size-4" /> Download a copy
      </Button>
      <Button
        variant="danger"
        size="sm"
        onClick={() => {
          const unsynced = unsyncedCount(props.userId, props.projectId)
          if (unsynced > 0) setAskUnsynced(unsynced)
          else void deleteCopy()
        }}
      >
        <Trash2 className="size-4" /> Delete from this device
      </Button>
      <UnsyncedChangesDialog
        open={askUnsynced !== null}
        unsynced={askUnsynced ?? 0}
        title="Delete this project's copy?"
        consequence="The server no longer accepts them: download a copy first to keep them."
        onDiscard={() => void deleteCopy()}
        onCancel={() => setAskUnsynced(null)}
      />
    </div>
  )
}

function downloadJson(name: string, view: BoardView): void {
  const blob = new Blob([JSON.stringify(view, null, 2)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = `${name.replace(/[^\w.-]+/g, '-') || 'board'}.json`
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
