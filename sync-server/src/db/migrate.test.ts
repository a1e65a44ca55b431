import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestSchema, type TestSchema } from '../test/postgres.js'
import { openDatabase } from './database.js'
import { MIGRATION_NAMES, migrateToLatest } from './migrate.js'

const schemas: TestSchema[] = []
afterEach(async () => {
  for (const s of schemas.splice(0)) await s.drop()
})

describe('migrations run on both dialects (issue 17)', () => {
  it('Postgres: every migration applies to an empty schema, integers hold ms times, e-mails are unique regardless of case', async () => {
    const s = await createTestSchema()
    schemas.push(s)
    const db = s.db()
    await migrateToLatest(db)
    const applied = await sql<{
      name: string
    }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)
    expect(applied.rows.map((r) => r.name)).toEqual([...MIGRATION_NAMES])
    const at = 1_765_000_000_000
    await db
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'a@example.com',
        password_hash: 'x',
        name: 'A',
        avatar_color: '#000',
        created_at: at,
        updated_at: at,
      } as never)
      .execute()
    const row = await db.selectFrom('users').select(['created_at']).executeTakeFirstOrThrow()
    expect(row.created_at).toBe(at)
    await expect(
      db
        .insertInto('users')
        .values({
          id: 'u2',
          email: 'A@Example.com',
          password_hash: 'x',
          name: 'B',
          avatar_color: '#000',
          created_at: at,
          updated_at: at,
        } as never)
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i)
  })

  it('SQLite: the same list applies to a fresh file', async () => {
    const { db, sqlite } = openDatabase(':memory:')
    try {
      await migrateToLatest(db)
      const applied = sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as {
        name: string
      }[]
      expect(applied.map((r) => r.name)).toEqual([...MIGRATION_NAMES])
    } finally {
      await db.destroy()
    }
  })
})
