import { mentionToken } from '@taskflow/board'

/** The `@query` being typed right before the caret, if any. */
export function mentionQueryAt(
  value: string,
  caret: number,
): { start: number; query: string } | null {
  const before = value.slice(0, caret)
  const m = /(^|\s)@([^\s@<>]{0,40})$/.exec(before)
  if (!m) return null
  return { start: caret - m[2]!.length - 1, query: m[2]! }
}

/** Replaces the `@query` before the caret with the member's token; returns the new value and caret. */
export function insertMention(
  value: string,
  caret: number,
  start: number,
  userId: string,
): { value: string; caret: number } {
  const token = `${mentionToken(userId)} `
  return { value: value.slice(0, start) + token + value.slice(caret), caret: start + token.length }
}

/**
 * The members a `@query` offers, at most `limit`: name or e-mail containing the query
 * (case-insensitive), people whose name starts with it first.
 */
export function matchMembers<M extends { name: string; email: string }>(
  members: readonly M[],
  query: string,
  limit = 8,
): M[] {
  const q = query.toLowerCase()
  const label = (m: M) => (m.name || m.email).toLowerCase()
  return members
    .filter((m) => label(m).includes(q) || m.email.toLowerCase().includes(q))
    .sort((a, b) => Number(!label(a).startsWith(q)) - Number(!label(b).startsWith(q)))
    .slice(0, limit)
}
