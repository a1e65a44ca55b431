import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: imports nothing from src/. Full-text search on Postgres (issue 17): what
// FTS5 (2026_12_04_215000) does on SQLite, with Postgres's own tools, so `GET /search`
// answers the same on both. Nothing changes on SQLite.
//
// - `taskflow_fold(text)` folds accented Latin letters to their base letter, one character
//   for one (`translate`), so "cafe" finds "café" (FTS5's remove_diacritics) and a position
//   in the folded text is the same position in the stored text (snippets map back by it).
//   ASCII text is returned as is: translate compares each character with each of the ~600
//   accented ones, which cost milliseconds per description.
// - `taskflow_words(text)` is that folding with punctuation, symbols and emoji turned into
//   spaces, still one character for one: words are then runs of letters, marks and digits as
//   in FTS5's unicode61 tokenizer (Postgres's own parser would keep `bob@example.com` or
//   `1.2.3` as one token, and a query word `example` would miss it). The character classes
//   are spelled out: `[:alnum:]` follows the database's locale and knows no non-ASCII
//   letter in the C locale.
// - `search_docs.search_vector`: a generated column, so every write of the projection (the
//   same inserts, updates and deletes FTS5's triggers follow) keeps it in step; weights
//   title A, labels B, description C, comments and checklist D (bm25's 8/4/2/1 on SQLite).
// - a GIN index on it: every query word is a prefix (`'word':*`), which GIN answers.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  const [from, to] = accentTable()
  await sql
    .raw(`CREATE FUNCTION taskflow_fold(t text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $fold$ SELECT CASE WHEN t ~ '^[\x01-\x7f]*$' THEN t
        ELSE translate(t, '${from}', '${to}') END $fold$`)
    .execute(db)
  await sql
    .raw(`CREATE FUNCTION taskflow_words(t text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $words$ SELECT regexp_replace(taskflow_fold(t), '${SEPARATORS}', ' ', 'g') $words$`)
    .execute(db)
  const vector = (column: string, weight: string) =>
    `setweight(to_tsvector('simple'::regconfig, taskflow_words(${column})), '${weight}')`
  await sql
    .raw(`ALTER TABLE search_docs ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      ${vector('title', 'A')} || ${vector('labels', 'B')} || ${vector('description', 'C')} ||
      ${vector('comments', 'D')} || ${vector('checklist', 'D')}) STORED`)
    .execute(db)
  await sql`CREATE INDEX search_docs_vector ON search_docs USING gin (search_vector)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`DROP INDEX IF EXISTS search_docs_vector`.execute(db)
  await sql`ALTER TABLE search_docs DROP COLUMN IF EXISTS search_vector`.execute(db)
  await sql`DROP FUNCTION IF EXISTS taskflow_words(text)`.execute(db)
  await sql`DROP FUNCTION IF EXISTS taskflow_fold(text)`.execute(db)
}

// Controls, ASCII and Latin-1 punctuation and symbols, general punctuation, arrows to
// miscellaneous symbols, CJK punctuation, fullwidth punctuation, emoji (one character each).
const SEPARATORS =
  '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\xbf\\xd7\\xf7\\u2000-\\u206f\\u2190-\\u2bff' +
  '\\u3000-\\u303f\\ufe30-\\ufe4f\\uff01-\\uff0f\\U0001F000-\\U0001FAFF]'

/**
 * Every Latin letter with diacritics whose canonical decomposition is one base letter and
 * marks (Latin-1, Extended-A and -B, Extended Additional), and that base letter.
 */
function accentTable(): [string, string] {
  let from = ''
  let to = ''
  const ranges: [number, number][] = [
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ]
  for (const [lo, hi] of ranges) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp)
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '')
      if (base !== ch && [...base].length === 1 && /^[A-Za-z]$/.test(base)) {
        from += ch
        to += base
      }
    }
  }
  return [from, to]
}
