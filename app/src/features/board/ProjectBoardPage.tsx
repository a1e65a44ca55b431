import { Link, Outlet, useParams } from '@tanstack/react-router'
import { CLOSE_CODES } from '@taskflow/api'
import { Activity, ChartColumn, History, Redo2, Settings, Undo2 } from 'lucide-react'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import { notifyUnauthorized } from '../../api/client'
import { useRequiredSession } from '../../auth/use-session'
import { announcePresence, unknownPresentUsers, usePresence } from '../../sync/presence'
import { useBoardSnapshotWriter, useBoardView, useLabels } from '../../sync/use-board'
import { useProjectDoc, useSyncStatus } from '../../sync/use-project-doc'
import { Button, ErrorNote, Spinner } from '../../ui/primitives'
import { startUploader } from '../attachments/uploader'
import { AwayPanel } from '../away/AwayPanel'
import { useWhileAway } from '../away/use-while-away'
import { useFields } from '../fields/use-fields'
import { HistoryMode } from '../history/HistoryMode'
import { useMembers } from '../projects/use-members'
import { useProjectSummary } from '../projects/use-projects'
import { ProjectViews } from '../views/ProjectViews'
import { BoardOverflowMenu } from './BoardOverflowMenu'
import { useBoardCommands } from './board-commands'
import { type BoardEnv, BoardEnvContext } from './board-context'
import { NewerSchemaNotice } from './NewerSchemaNotice'
import { NoAccessNotice } from './NoAccessNotice'
import { PresenceAvatars } from './PresenceAvatars'
import { SyncIndicator } from './SyncIndicator'
import { TrashMenu } from './TrashMenu'
import { undoManagerOf, useUndoShortcuts } from './undo'

/** The board of one project, with the task panel (child route) over it. */
export function ProjectBoardPage() {
  const { projectId } = useParams({ from: '/_authed/projects/$projectId' })
  const { user } = useRequiredSession()
  const { projectDoc, localLoaded, snapshot } = useProjectDoc(projectId)
  const { doc, provider } = projectDoc
  const project = useProjectSummary(projectId)
  const { members, forbidden, reload: reloadMembers } = useMembers(projectId)
  const membersById = useMemo(() => new Map((members ?? []).map((m) => [m.userId, m])), [members])
  const labels = useLabels(doc)
  const fields = useFields(doc)
  const liveView = useBoardView(doc)
  // Until the document is loaded, the saved snapshot is painted instead; it is display-only.
  const view = snapshot ?? liveView
  useBoardSnapshotWriter(projectDoc, user.id, localLoaded)
  const status = useSyncStatus(projectDoc)
  const presence = usePresence(provider, membersById)
  useMembersOfPresence(provider, members !== null ? membersById : null, reloadMembers)
  const refused = useRefusal(projectDoc)
  // Saved by a newer TaskFlow (B3): this code must never write to it.
  const newerSchema =
    useSyncExternalStore(projectDoc.schema.subscribe, projectDoc.schema.get) === 'newer_schema'
  // The sync socket or the REST API says this account may not see the project any more.
  const noAccess = forbidden || (refused !== null && refused.code !== CLOSE_CODES.unauthenticated)
  // Until the role is known (first visit, offline) nothing is editable: safer than a rejected edit.
  const readOnly =
    !project || project.role === 'viewer' || refused !== null || noAccess || newerSchema
  useEffect(() => {
    // The login page says the session expired and brings the person back here.
    if (refused?.code === CLOSE_CODES.unauthenticated) notifyUnauthorized()
  }, [refused])
  useEffect(() => {
    // Nothing more will sync: do not keep knocking (REST may say so before the socket does).
    if (forbidden) provider.disconnect()
  }, [forbidden, provider])

  useEffect(() => {
    announcePresence(provider, { id: user.id, name: user.name || user.email })
  }, [provider, user])
  useUndoShortcuts(doc, !readOnly)
  // Files attached on this device (offline too) go up once the document is loaded, so the
  // "stored" mark lands on references it holds (A4).
  const uploads = localLoaded && !readOnly
  useEffect(() => {
    if (!uploads) return
    return startUploader(projectId, doc, user.id, (fn) => {
      const onStatus = (e: { status: string }) => e.status === 'connected' && fn()
      provider.on('status', onStatus)
      return () => provider.off('status', onStatus)
    })
  }, [uploads, projectId, doc, user.id, provider])
  // Only a board this account may read has a "while you were away" and a visit to record.
  useWhileAway(projectId, provider, user.id, project !== null && !noAccess)

  const env = useMemo<BoardEnv>(
    () => ({
      projectId,
      doc,
      provider,
      userId: user.id,
      // No edits against the snapshot: they would be lost or land on an empty document.
      readOnly: readOnly || !localLoaded,
      role: project?.role ?? null,
      membersById,
      labelsById: new Map(labels.map((l) => [l.id, l])),
      fields,
    }),
    [
      projectId,
      doc,
      provider,
      user.id,
      readOnly,
      localLoaded,
      project?.role,
      membersById,
      labels,
      fields,
    ],
  )
  useBoardCommands(env, view)
  // History mode: undefined off; null from the newest step; a time: from the first step after it.
  const [historyFrom, setHistoryFrom] = useState<string | null | undefined>(undefined)
  const leaveHistory = useCallback(() => setHistoryFrom(undefined), [])
  const hasContent = view.columns.length > 0 && view.schemaVersion !== null

  return (
    <BoardEnvContext.Provider value={env}>
      {/* Bounded to the viewport below the app header (h-14): columns scroll on their own,
          which is what lets long columns virtualise (an unbounded column renders every card). */}
      <div className="flex h-[calc(100dvh-3.5rem)] min-h-0 flex-col">
        {/* One row at any width (phones too): the name gives way, and below `sm` the less used
            actions move into the "⋯" menu. */}
        <div
          className="flex items-center gap-2 border-b border-slate-200 bg-white/70 px-4 py-2 backdrop-blur max-sm:gap-1 max-sm:px-2 dark:border-slate-800 dark:bg-slate-900/70 [&>*:not(h1)]:shrink-0"
          data-testid="board-toolbar"
        >
          <h1 className="min-w-0 truncate text-lg font-semibold" data-testid="board-name">
            {view.name || project?.name || 'Board'}
          </h1>
          {readOnly && project && (
            <span
              className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300"
              data-testid="read-only-badge"
            >
              Read only
            </span>
          )}
          <div className="flex-1" />
          {!noAccess && hasContent && (
            <Button
              variant={historyFrom === undefined ? 'ghost' : 'secondary'}
              size="sm"
              data-testid="history-toggle"
              aria-pressed={historyFrom !== undefined}
              onClick={() => setHistoryFrom(historyFrom === undefined ? null : undefined)}
            >
              <History className="size-4" /> History
            </Button>
          )}
          <PresenceAvatars presence={presence} />
          {!noAccess && <SyncIndicator status={status} />}
          {!readOnly && <UndoButtons doc={doc} />}
          <div className="flex items-center gap-2 max-sm:hidden">
            <TrashMenu trash={view.trash} />
            {!noAccess && <ServerLinks projectId={projectId} />}
          </div>
          <div className="sm:hidden">
            <BoardOverflowMenu projectId={projectId} trash={view.trash} serverLinks={!noAccess} />
          </div>
        </div>
        {newerSchema && !noAccess && (
          <div className="px-4 pt-3">
            <NewerSchemaNotice />
          </div>
        )}
        {noAccess ? (
          <div className="px-4 pt-3">
            <NoAccessNotice
              projectId={projectId}
              userId={user.id}
              name={view.name || project?.name || 'board'}
              view={view}
            />
          </div>
        ) : (
          refused && (
            <div className="px-4 pt-3">
              <ErrorNote message="Your session expired: sign in again to sync this board." />
            </div>
          )
        )}
        {!noAccess && hasContent && <AwayPanel onScrub={(since) => setHistoryFrom(since)} />}
        <div className="min-h-0 flex-1">
          {hasContent && historyFrom !== undefined ? (
            <HistoryMode live={view} from={historyFrom} onExit={leaveHistory} />
          ) : hasContent ? (
            <ProjectViews view={view} presence={presence} loaded={localLoaded} />
          ) : (
            <div className="p-8">
              <Spinner
                label={localLoaded ? 'Waiting for the board from the server' : 'Opening board'}
              />
            </div>
          )}
        </div>
      </div>
      <Outlet />
    </BoardEnvContext.Provider>
  )
}

/** Pages the server builds (activity, reports) and the project's settings. */
function ServerLinks({ projectId }: { projectId: string }) {
  return (
    <>
      <Link
        to="/projects/$projectId/activity"
        params={{ projectId }}
        className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <Activity className="size-4" /> Activity
      </Link>
      <Link
        to="/projects/$projectId/reports"
        params={{ projectId }}
        className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <ChartColumn className="size-4" /> Reports
      </Link>
      <Link
        to="/projects/$projectId/settings"
        params={{ projectId }}
        aria-label="Project settings"
        className="rounded-md p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <Settings className="size-4" />
      </Link>
    </>
  )
}

function UndoButtons({ doc }: { doc: BoardEnv['doc'] }) {
  const um = undoManagerOf(doc)
  const canUndo = useSyncExternalStore(
    (cb) => {
      um.on('stack-item-added', cb)
      um.on('stack-item-popped', cb)
      um.on('stack-cleared', cb)
      return () => {
        um.off('stack-item-added', cb)
        um.off('stack-item-popped', cb)
        um.off('stack-cleared', cb)
      }
    },
    () => `${um.canUndo()}/${um.canRedo()}`,
  )
  const [undo, redo] = canUndo.split('/').map((v) => v === 'true')
  return (
    <div className="flex">
      <Button
        variant="ghost"
        size="sm"
        aria-label="Undo"
        disabled={!undo}
        onClick={() => um.undo()}
      >
        <Undo2 className="size-4" />
      </Button>
      <Button
        variant="ghost"
        size="sm"
        aria-label="Redo"
        disabled={!redo}
        onClick={() => um.redo()}
      >
        <Redo2 className="size-4" />
      </Button>
    </div>
  )
}

/**
 * Presence names teammates from the member list (sync SPEC 4.8); someone present who is not
 * in it joined the project after the list was loaded: load it again (once per such user).
 */
function useMembersOfPresence(
  provider: WebsocketProvider,
  membersById: ReadonlyMap<string, unknown> | null,
  reload: () => void,
) {
  const asked = useRef(new Set<string>())
  useEffect(() => {
    if (!membersById) return
    const check = () => {
      const fresh = unknownPresentUsers(provider, membersById).filter(
        (id) => !asked.current.has(id),
      )
      if (fresh.length === 0) return
      for (const id of fresh) asked.current.add(id)
      reload()
    }
    check()
    provider.awareness.on('change', check)
    return () => provider.awareness.off('change', check)
  }, [provider, membersById, reload])
}

function useRefusal(projectDoc: ReturnType<typeof useProjectDoc>['projectDoc']) {
  return useSyncExternalStore(
    (cb) => {
      projectDoc.provider.on('closed', cb)
      return () => projectDoc.provider.off('closed', cb)
    },
    () => projectDoc.refusal,
  )
}
