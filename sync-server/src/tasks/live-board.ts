import { ERROR_CODES } from '@taskflow/api'
import { type BoardError, openBoard, type Result } from '@taskflow/board'
import type * as Y from 'yjs'
import type { Clock } from '../clock.js'
import { AppError } from '../http/app-error.js'
import type { LiveDocs, SyncControl } from '../sync/access.js'

export interface LiveBoardDeps {
  now: Clock
  /** The live sync hub (it starts after the app). */
  getSync: () => SyncControl | undefined
}

/** What every board operation run through `write` gets: pass it on to the operation. */
export interface OpCtx {
  origin: unknown
  now: number
  userId: string
}

/**
 * The live board as the REST APIs (tasks, relations, fields, history restore) use it: reads
 * of the document the sync hub holds (committed state), and writes that are board
 * operations applied to it as the caller (LiveDocs.write): its own bound client ID,
 * persisted before relay, attributed in activity and notifications. Routes check the
 * caller's role first (requireRole, projects/require-role.ts): these trust them.
 */
export function createLiveBoard(deps: LiveBoardDeps) {
  const { now } = deps

  function live(): LiveDocs {
    const docs = deps.getSync()?.liveDocs
    if (!docs) throw new AppError(503, ERROR_CODES.unavailable, 'Boards are not available yet')
    return docs
  }

  async function read<T>(projectId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    try {
      return await live().read(projectId, fn)
    } catch (err) {
      throw unavailable(err)
    }
  }

  /**
   * Runs `op` as the user on the live board. `op` gets the op context to pass to every board
   * operation and returns the operation's result; a refusal changes nothing and becomes a
   * 4xx (boardFailure). `changed` is false when nothing was written.
   */
  async function edit<T>(
    projectId: string,
    userId: string,
    op: (doc: Y.Doc, ctx: OpCtx) => Result<T>,
  ): Promise<{ value: T; changed: boolean }> {
    let result: Result<T>
    let changed: boolean
    try {
      ;({ value: result, changed } = await live().write(projectId, userId, (doc, origin) => {
        const ctx = { origin, now: now(), userId }
        // As the app does on open: an older board is migrated (by this user), a newer one
        // is never written by this server.
        const opened = openBoard(doc, ctx)
        if (!opened.ok) return opened
        return op(doc, ctx)
      }))
    } catch (err) {
      throw unavailable(err)
    }
    if (!result.ok) throw boardFailure(result.error)
    return { value: result.value, changed }
  }

  /** `edit`, answering the operation's value. */
  async function write<T>(
    projectId: string,
    userId: string,
    op: (doc: Y.Doc, ctx: OpCtx) => Result<T>,
  ): Promise<T> {
    return (await edit(projectId, userId, op)).value
  }

  return { read, write, edit }
}

export type LiveBoard = ReturnType<typeof createLiveBoard>

/** not_found → 404, invalid → 400, conflict or newer schema → 409. */
export function boardFailure(e: BoardError): AppError {
  switch (e.code) {
    case 'not_found':
      return new AppError(404, ERROR_CODES.notFound, e.message)
    case 'invalid':
      return new AppError(400, ERROR_CODES.validation, e.message)
    case 'conflict':
    case 'newer_schema':
      return new AppError(409, ERROR_CODES.conflict, e.message)
  }
}

/** A failure of the live documents (shutdown, storage) is a 503; request errors pass. */
export function unavailable(err: unknown): unknown {
  if (err instanceof AppError) return err
  return new AppError(503, ERROR_CODES.unavailable, 'The board could not be written; try again')
}
