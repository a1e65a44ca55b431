/**
 * Turns what a person typed into a full-text query that can only mean "all these words, each
 * as a prefix", for FTS5 (a MATCH expression) or Postgres (a tsquery): every word is a quoted
 * string (each engine's own quoting, and words hold only letters, marks and digits, never a
 * quote), so `"`, `'`, `*`, `&`, `|`, `!`, `NEAR`, `AND`, `OR`, `NOT`, `^`, `:`, `-` and
 * parentheses are plain text or separators, never operators.
 */

// What FTS5's unicode61 tokenizer keeps in a token; everything else separates tokens.
const WORD = /[\p{L}\p{N}\p{M}]+/gu

/** Words of one query that are searched; later ones are ignored (bounds the query's cost). */
export const MAX_QUERY_WORDS = 12

/**
 * The words of `text` that are searched, or null when it holds no word at all (only
 * punctuation): then nothing can match and the caller answers with no results.
 */
export function queryWords(text: string): string[] | null {
  const words = text.match(WORD)?.slice(0, MAX_QUERY_WORDS)
  return words && words.length > 0 ? words : null
}

/**
 * The FTS5 MATCH expression for `text`, or null when it holds no word (see queryWords).
 * @example toMatchExpression('invoice "exp') // '"invoice"* "exp"*'
 */
export function toMatchExpression(text: string): string | null {
  const words = queryWords(text)
  return words ? fts5Expression(words) : null
}

/** FTS5: all of `words`, each a quoted prefix term. */
export function fts5Expression(words: readonly string[]): string {
  return words.map((w) => `"${w}"*`).join(' ')
}

/**
 * Postgres: the to_tsquery text for all (`&`) or any (`|`) of `words`, each a quoted prefix
 * lexeme. Postgres lower-cases lexemes itself; accents are folded in SQL (taskflow_fold).
 * @example tsQueryText(['invoice', 'exp'], '&') // "'invoice':* & 'exp':*"
 */
export function tsQueryText(words: readonly string[], join: '&' | '|'): string {
  return words.map((w) => `'${w}':*`).join(` ${join} `)
}
