import { AlertDialog } from 'radix-ui'
import { Button } from '../../ui/primitives'

export const changesText = (n: number) => (n === 1 ? '1 change' : `${n} changes`)

/**
 * Asked before anything deletes local data that holds changes the server has not confirmed
 * (sign-out, deleting a project's local copy): they exist only on this device.
 */
export function UnsyncedChangesDialog(props: {
  open: boolean
  unsynced: number
  title: string
  /** What deleting does, after the sentence about the changes. */
  consequence: string
  /** The safe choice ("Stay signed in until synced"); omitted when waiting cannot help. */
  wait?: { label: string; onSelect: () => void }
  onDiscard: () => void
  onCancel: () => void
}) {
  return (
    <AlertDialog.Root open={props.open} onOpenChange={(open) => !open && props.onCancel()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <AlertDialog.Content
          data-testid="unsynced-dialog"
          className="fixed top-1/2 left-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 space-y-3 rounded-xl border border-slate-200 bg-white p-5 shadow-xl dark:border-slate-700 dark:bg-slate-900"
        >
          <AlertDialog.Title className="text-base font-semibold">{props.title}</AlertDialog.Title>
          <AlertDialog.Description className="text-sm text-slate-600 dark:text-slate-300">
            {changesText(props.unsynced)} you made {props.unsynced === 1 ? 'has' : 'have'} not
            reached the server yet. {props.consequence}
          </AlertDialog.Description>
          <div className="flex flex-wrap justify-end gap-2 pt-2">
            <AlertDialog.Cancel asChild>
              <Button variant="ghost">Cancel</Button>
            </AlertDialog.Cancel>
            <Button variant="danger" onClick={props.onDiscard}>
              Discard {changesText(props.unsynced)}
            </Button>
            {props.wait && (
              <AlertDialog.Action asChild>
                <Button onClick={props.wait.onSelect}>{props.wait.label}</Button>
              </AlertDialog.Action>
            )}
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  )
}
