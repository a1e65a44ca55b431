/**
 * Turns what a person typed into an FTS5 MATCH expression that can only mean "all these
 * words, each as a prefix": every word is a quoted string (FTS5's own escaping, and words
 * hold only letters, marks and digits, never a quote), so `"`, `*`, `NEAR`, `AND`, `OR`,
 * `NOT`, `^`, `:`, `-` and parentheses are plain text or separators, never operators.
 */

// What FTS5's unicode61 tokenizer keeps in a token; everything else separates tokens.
const WORD = /[\p{L}\p{N}\p{M}]+/gu

/** Words of one query that are searched; later ones are ignored (bounds the query's cost). */
export const MAX_QUERY_WORDS = 12

/**
 * The MATCH expression for `text`, or null when it holds no word at all (only punctuation):
 * then nothing can match and the caller answers with no results.
 * @example toMatchExpression('invoice "exp') // '"invoice"* "exp"*'
 */
export function toMatchExpression(text: string): string | null {
  const words = text.match(WORD)?.slice(0, MAX_QUERY_WORDS)
  if (!words || words.length === 0) return null
  return words.map((w) => `"${w}"*`).join(' ')
}
