import type * as Y from 'yjs'
import type { RoomObserver } from './room.js'

/**
 * Several observers as one (the reporting projection, activity, notifications). Each is
 * called in order; one that throws is logged by the caller's logger and does not stop
 * the others or the room.
 */
export function combineObservers(
  observers: readonly RoomObserver[],
  onError: (err: unknown) => void,
): RoomObserver {
  const each = (fn: (o: RoomObserver) => void) => {
    for (const o of observers) {
      try {
        fn(o)
      } catch (err) {
        onError(err)
      }
    }
  }
  return {
    docBuilt: (name: string, doc: Y.Doc) => each((o) => o.docBuilt(name, doc)),
    committed: (name: string, seq: number) => each((o) => o.committed(name, seq)),
    docDropped: (name: string) => each((o) => o.docDropped(name)),
    catchUp: (name: string) => each((o) => o.catchUp?.(name)),
  }
}
