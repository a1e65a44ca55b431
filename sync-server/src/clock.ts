/**
 * The server's one clock (SPEC rule 10.1): milliseconds since the epoch. Everything that
 * reads the time — sessions, sync authorization, rate limits, stored update times,
 * projection and activity stamps, notifications, mail, compaction — takes a `Clock`
 * that `composeServer()` (composition.ts) wires once from its `now` seam. Tests move that
 * clock instead of depending on the calendar; components take it as a required argument, so none can
 * quietly fall back to the wall clock and disagree with the rest (issue 11: REST accepted
 * sessions that the sync socket, on the wall clock, refused).
 */
export type Clock = () => number

/** The wall clock: the only place in the server that reads it. */
export const systemClock: Clock = () => Date.now()
