import { Ban, CheckCircle2, CloudOff, Loader2, RefreshCw, ServerOff } from 'lucide-react'
import type { SyncStatus } from '../../sync/sync-status'
import { cx } from '../../ui/primitives'

const LABELS = {
  offline: 'Offline',
  connecting: 'Connecting…',
  unreachable: "Can't reach the server",
  syncing: 'Syncing…',
  saved: 'All changes saved',
  refused: 'Not syncing',
} as const

const ICONS = {
  offline: CloudOff,
  connecting: Loader2,
  unreachable: ServerOff,
  syncing: RefreshCw,
  saved: CheckCircle2,
  refused: Ban,
} as const

/** Always-visible sync state with the number of local changes the server has not confirmed. */
export function SyncIndicator({ status }: { status: SyncStatus }) {
  const Icon = ICONS[status.phase]
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="sync-indicator"
      data-phase={status.phase}
      data-unsynced={status.unsynced}
      title={LABELS[status.phase]}
      className={cx(
        'flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium',
        (status.phase === 'offline' ||
          status.phase === 'unreachable' ||
          status.phase === 'refused') &&
          'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
        status.phase === 'connecting' &&
          'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300',
        status.phase === 'syncing' && 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
        status.phase === 'saved' &&
          'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
      )}
    >
      <Icon
        className={cx(
          'size-3.5',
          (status.phase === 'connecting' || status.phase === 'syncing') && 'animate-spin',
        )}
      />
      {/* On a phone the icon and its colour say it; the words stay for screen readers. */}
      <span className="max-sm:sr-only">{LABELS[status.phase]}</span>
      {status.unsynced > 0 && (
        <>
          {/* Takes no room between flex items; makes the text read "Offline · 2 unsynced". */}{' '}
          <span className="tabular-nums" title="Local changes not yet on the server">
            <span className="max-sm:hidden">· </span>
            {status.unsynced}
            <span className="max-sm:sr-only"> unsynced</span>
          </span>
        </>
      )}
    </div>
  )
}
