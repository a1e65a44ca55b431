import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestSchema, type TestSchema } from '../test/postgres.js'

let schema: TestSchema | undefined
afterEach(async () => {
  await schema?.drop()
  schema = undefined
})

describe('text with NUL characters on Postgres', () => {
  it('is stored without them, by the query builder and by sql templates alike', async () => {
    schema = await createTestSchema()
    // A scratch table outside the schema type.
    const db = schema.db() as any
    await sql`CREATE TABLE scratch (v text)`.execute(db)
    await db.insertInto('scratch').values({ v: 'Spec\u0000 one' }).execute()
    await sql`INSERT INTO scratch (v) VALUES (${'two\u0000'})`.execute(db)
    await db
      .insertInto('scratch')
      .values([{ v: 'a\u0000b' }, { v: 'plain' }])
      .execute()
    const rows = await db.selectFrom('scratch').select('v').execute()
    expect(rows.map((r: { v: string }) => r.v).sort()).toEqual(['Spec one', 'ab', 'plain', 'two'])
  })
})
