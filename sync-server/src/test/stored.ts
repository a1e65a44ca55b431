import { execFileSync } from 'node:child_process'
import SQLite from 'better-sqlite3'

/**
 * What a test server stored, read synchronously through a connection of its own (tests poll
 * it inside `waitFor`). `ref` is a server's `dbFile`: a SQLite file, or on the Postgres
 * backend the TASKFLOW_DATABASE_URL of its schema — then the query runs in a short child
 * process (pg has no synchronous client). Write `sql` with `?` placeholders; byte columns
 * come back as Uint8Array on both.
 */
export function queryStored<T>(ref: string, sql: string, params: readonly unknown[] = []): T[] {
  if (!isPostgresRef(ref)) {
    const db = new SQLite(ref, { readonly: true })
    try {
      return db.prepare(sql).all(...params) as T[]
    } finally {
      db.close()
    }
  }
  let n = 0
  const text = sql.replace(/\?/g, () => `$${++n}`)
  const out = execFileSync(process.execPath, ['-e', CHILD], {
    input: JSON.stringify({ url: ref, text, params }),
    encoding: 'utf8',
  })
  return JSON.parse(out, (_k, v) =>
    v && typeof v === 'object' && typeof v.$bytes === 'string'
      ? new Uint8Array(Buffer.from(v.$bytes, 'base64'))
      : v,
  ) as T[]
}

/** Runs a write (`?` placeholders) against what a stopped test server stored (see queryStored). */
export function writeStored(ref: string, sql: string, params: readonly unknown[] = []): void {
  if (!isPostgresRef(ref)) {
    const db = new SQLite(ref)
    try {
      db.prepare(sql).run(...params)
    } finally {
      db.close()
    }
    return
  }
  queryStored(ref, sql, params)
}

export function isPostgresRef(ref: string): boolean {
  return /^postgres(ql)?:\/\//.test(ref)
}

// Runs in the child: one query, rows as JSON (int8 as numbers, bytea as base64).
const CHILD = `
const pg = require('pg')
pg.types.setTypeParser(20, Number)
let input = ''
process.stdin.on('data', (c) => (input += c)).on('end', async () => {
  const { url, text, params } = JSON.parse(input)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(text, params)
    process.stdout.write(JSON.stringify(rows, (_k, v) =>
      v && v.type === 'Buffer' && Array.isArray(v.data)
        ? { $bytes: Buffer.from(v.data).toString('base64') }
        : v))
  } finally {
    await client.end()
  }
})`
