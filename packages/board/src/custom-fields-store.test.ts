import { describe, expect, it } from 'vitest'
import { createField, setTaskFieldValue } from './custom-fields.js'
import { createTask } from './tasks.js'
import { columnIds, replicas, syncAll } from './test/replicas.js'
import { createBoardViewStore } from './view-store.js'
import { getBoardView } from './views.js'

describe('custom-field values in the incremental view store', () => {
  it('shows values once the first field arrives, also when field and value come in one sync', () => {
    const [a, b] = replicas(2)
    const col = columnIds(a!)[0]!
    const t = createTask(a!, { columnId: col, title: 'T' })
    if (!t.ok) throw new Error(t.error.message)
    syncAll([a!, b!])
    const store = createBoardViewStore(b!)
    expect(store.getSnapshot().columns[0]!.tasks[0]!.fields).toEqual({})
    const f = createField(a!, { name: 'Cost', type: 'number' })
    if (!f.ok) throw new Error(f.error.message)
    setTaskFieldValue(a!, t.value.id, f.value.id, 3)
    syncAll([a!, b!])
    expect(store.getSnapshot().columns[0]!.tasks[0]!.fields).toEqual({ [f.value.id]: 3 })
    expect(store.getSnapshot()).toEqual(getBoardView(b!))
    store.destroy()
  })
})
