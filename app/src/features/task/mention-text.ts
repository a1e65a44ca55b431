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
