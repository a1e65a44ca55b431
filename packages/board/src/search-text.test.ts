import { describe, expect, it } from 'vitest'
import { addChecklistItem } from './checklist.js'
import { addComment, deleteComment } from './comments.js'
import { createLabel, updateLabel } from './labels.js'
import { allTaskSearchTexts, taskSearchTexts } from './search-text.js'
import { createTask, deleteTask } from './tasks.js'
import { columnIds, replicas } from './test/replicas.js'

describe('task search text', () => {
  it('gives every searchable field of a task as plain text, label names included', () => {
    const [doc] = replicas(1)
    const [todo] = columnIds(doc!)
    const label = createLabel(doc!, { name: 'backend', color: '#ef4444' })
    if (!label.ok) throw new Error('setup')
    const t = createTask(doc!, {
      columnId: todo!,
      title: 'Ship the invoice export',
      description: 'CSV and\nPDF',
      labelIds: [label.value.id],
    })
    if (!t.ok) throw new Error('setup')
    addChecklistItem(doc!, t.value.id, { text: 'write tests' })
    const c1 = addComment(doc!, t.value.id, { body: 'looks good' }, { userId: 'ann' })
    const c2 = addComment(doc!, t.value.id, { body: 'gone soon' }, { userId: 'ann' })
    if (!c1.ok || !c2.ok) throw new Error('setup')
    deleteComment(doc!, t.value.id, c2.value.id, { userId: 'ann' })
    expect(taskSearchTexts(doc!, [t.value.id, 'nope'])).toEqual({
      rows: [
        {
          taskId: t.value.id,
          title: 'Ship the invoice export',
          description: 'CSV and\nPDF',
          comments: 'looks good',
          checklist: 'write tests',
          labels: 'backend',
          deleted: false,
        },
      ],
      missing: ['nope'],
    })
    updateLabel(doc!, label.value.id, { name: 'api' })
    deleteTask(doc!, t.value.id)
    expect(allTaskSearchTexts(doc!)[0]).toMatchObject({ labels: 'api', deleted: true })
  })
})
