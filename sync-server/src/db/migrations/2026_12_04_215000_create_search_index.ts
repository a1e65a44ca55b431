import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: imports nothing from src/. Full-text search over tasks (issue 15).
// `search_docs` holds each live task's searchable text, written by the reporting projection
// in the same transaction as its rows; `search_fts` is an FTS5 index over it (external
// content, kept in step by the triggers below, as the FTS5 documentation shows), so deletes
// and updates go by the (project_id, task_id) key and snippets read the stored text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_docs')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('comments', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    // The project as one token ('p' + its id's hex digits), indexed so a search over a few
    // projects reads only their postings instead of filtering every match.
    .addColumn('scope', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('search_docs_task')
    .on('search_docs')
    .columns(['project_id', 'task_id'])
    .unique()
    .execute()
  // Dialect-aware (issue 17), unchanged on SQLite: FTS5 is SQLite's. On Postgres the index
  // is left out (search_docs still holds the text); full-text search there needs its own
  // index (tsvector), which is future work — docs/operations.md says search is SQLite-only.
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter
  // Prefix indexes for 2- to 6-letter prefixes: as-you-type queries end in a short prefix,
  // and FTS5 answers a prefix without its own index by merging every matching term's
  // postings up front (100+ ms for a common prefix over 100,000 tasks).
  if (!onPostgres) await createFts(db)
  // Projects that existed before search: the server indexes each from its stored document
  // once at start-up (descriptions and comments are not in any SQL table to copy from).
  await db.schema
    .createTable('search_backfill')
    .addColumn('project_id', 'text', (c) =>
      c.primaryKey().references('projects.id').onDelete('cascade'),
    )
    .execute()
  await sql`INSERT INTO search_backfill (project_id) SELECT id FROM projects`.execute(db)
}

async function createFts(db: Kysely<any>): Promise<void> {
  await sql`CREATE VIRTUAL TABLE search_fts USING fts5(
    title, description, comments, checklist, labels, scope,
    content='search_docs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6'
  )`.execute(db)
  const cols = 'title, description, comments, checklist, labels, scope'
  const oldCols = 'old.title, old.description, old.comments, old.checklist, old.labels, old.scope'
  const newCols = 'new.title, new.description, new.comments, new.checklist, new.labels, new.scope'
  await sql
    .raw(`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
      INSERT INTO search_fts(rowid, ${cols}) VALUES (new.id, ${newCols});
    END`)
    .execute(db)
  await sql
    .raw(`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, ${cols}) VALUES ('delete', old.id, ${oldCols});
    END`)
    .execute(db)
  await sql
    .raw(`CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, ${cols}) VALUES ('delete', old.id, ${oldCols});
      INSERT INTO search_fts(rowid, ${cols}) VALUES (new.id, ${newCols});
    END`)
    .execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_backfill').execute()
  await sql`DROP TABLE IF EXISTS search_fts`.execute(db)
  await db.schema.dropTable('search_docs').execute()
}
