import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { withStatementCache } from './statement-cache.js'

describe('SQLite statement cache', () => {
  it('prepares each SQL text once, and gives a query a fresh statement while the cached one is being iterated', () => {
    const sqlite = new SQLite(':memory:')
    sqlite.exec('create table t (n integer); insert into t values (1), (2), (3)')
    const db = withStatementCache(sqlite)
    const sql = 'select n from t order by n'
    const first = db.prepare(sql)
    expect(db.prepare(sql)).toBe(first)
    const seen: unknown[] = []
    for (const row of first.iterate([]) as Iterable<{ n: number }>) {
      // The cached statement is busy: the same text must still run, in full.
      seen.push([row.n, db.prepare(sql).all([]).length])
    }
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ])
    db.close()
    expect(sqlite.open).toBe(false)
  })
})
