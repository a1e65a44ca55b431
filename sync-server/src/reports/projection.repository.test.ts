import { describe, expect, it } from 'vitest'
import { createTestApi, signUp } from '../test/test-api.js'
import { deleteTasks, insertStatusChanges, type StatusChange } from './projection.repository.js'

describe('projection repository', () => {
  it('writes and deletes thousands of rows at once (past SQLite’s variable limit)', async () => {
    const api = await createTestApi()
    const ann = await signUp(api, 'ann@example.com')
    const created = await api.call('POST', '/api/v1/projects', {
      token: ann.token,
      body: { name: 'Big' },
    })
    const projectId = created.body.id as string
    const changes: StatusChange[] = Array.from({ length: 5000 }, (_, i) => ({
      taskId: `t${i}`,
      fromColumnId: null,
      fromCategory: null,
      toColumnId: 'c',
      toCategory: 'todo',
      at: i,
      userId: ann.id,
      seq: 2,
    }))
    await insertStatusChanges(api.db, projectId, changes)
    const count = await api.db
      .selectFrom('report_status_changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(5000)
    await expect(
      deleteTasks(
        api.db,
        projectId,
        changes.map((c) => c.taskId),
      ),
    ).resolves.toBeUndefined()
  })
})
