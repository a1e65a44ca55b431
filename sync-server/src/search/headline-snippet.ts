/**
 * Postgres makes snippets (`ts_headline`) from the folded text (`taskflow_words`: accents
 * folded, punctuation turned into spaces, one character for one), where its words are the
 * same as the index's. This puts the stored text back under the marks: the headline's text
 * is found in the folded text, and each of its characters is replaced by the stored one at
 * the same position. Like FTS5's snippet, a cut end gets `…`; an end with only punctuation
 * or spaces beyond it gets that text instead.
 */
export function snippetFromHeadline(
  stored: string,
  folded: string,
  headline: string,
  marks: { start: string; end: string },
): string {
  const isMark = (c: string) => c === marks.start || c === marks.end
  const shown = [...headline.trim()]
  const core = shown.filter((c) => !isMark(c)).join('')
  const at = folded.indexOf(core)
  const original = [...stored]
  const foldedChars = [...folded]
  // Not one character for one (never expected): the headline as Postgres wrote it.
  if (core === '' || at < 0 || original.length !== foldedChars.length) return headline.trim()
  const start = [...folded.slice(0, at)].length
  const end = start + [...core].length
  let pos = start
  let out = ''
  for (const c of shown) out += isMark(c) ? c : original[pos++]
  const blank = (chars: string[]) => chars.every((c) => /\s/.test(c))
  const before = blank(foldedChars.slice(0, start)) ? original.slice(0, start).join('') : '…'
  const after = blank(foldedChars.slice(end)) ? original.slice(end).join('') : '…'
  return `${before}${out}${after}`
}
